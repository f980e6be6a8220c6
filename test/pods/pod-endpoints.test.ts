// Endpoint resolution precedence (override > memory > store > catalog), catalog write-back,
// the no-endpoint error, and the per-pod backoff that stops a dead pod from re-reading the
// catalog on every request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EndpointResolver,
  PodError,
  httpStatusFor,
  type CatalogService,
  type EndpointCacheStore,
  type PodRef,
  type ServiceType,
} from '../../src/pods';

class FakeStore implements EndpointCacheStore {
  rows = new Map<string, string>();
  calls: string[] = [];
  async get(podId: string, service: ServiceType) {
    this.calls.push(`get ${podId} ${service}`);
    return this.rows.get(`${podId}/${service}`);
  }
  async put(podId: string, service: ServiceType, url: string) {
    this.calls.push(`put ${podId} ${service}`);
    this.rows.set(`${podId}/${service}`, url);
  }
  async drop(podId: string) {
    this.calls.push(`drop ${podId}`);
    for (const k of [...this.rows.keys()]) if (k.startsWith(`${podId}/`)) this.rows.delete(k);
  }
}

class FakeCatalog {
  reads = 0;
  constructor(public services: CatalogService[]) {}
  async catalog() {
    this.reads += 1;
    return this.services;
  }
}

const CATALOG: CatalogService[] = [
  {
    type: 'compute',
    endpoints: [
      { region: 'RegionOne', interface: 'internal', url: 'http://int-one/compute/v2.1' },
      { region: 'RegionOne', interface: 'public', url: 'http://one/compute/v2.1/$(tenant_id)s' },
      { region: 'RegionTwo', interface: 'public', url: 'http://two/compute/v2.1' },
    ],
  },
  { type: 'volumev3', endpoints: [{ region: 'RegionOne', interface: 'public', url: 'http://one/volume/v3/$(project_id)s' }] },
  { type: 'identity', endpoints: [{ region: 'RegionOne', interface: 'public', url: 'http://keystone/identity' }] },
];

const POD: PodRef = { podId: 'p1', podName: 'RegionOne' };

test('catalog → written to store and memory; then memory answers without the store', async () => {
  const store = new FakeStore();
  const catalog = new FakeCatalog(CATALOG);
  const r = new EndpointResolver({ store, catalog });
  assert.equal(await r.resolve(POD, 'compute'), 'http://one/compute/v2.1/$(tenant_id)s');
  assert.equal(catalog.reads, 1);
  assert.equal(store.rows.get('p1/compute'), 'http://one/compute/v2.1/$(tenant_id)s');
  assert.equal(store.rows.get('p1/volumev3'), 'http://one/volume/v3/$(project_id)s', 'the whole region is cached at once');
  assert.equal(store.rows.size, 2, 'identity and other regions are not cached');
  store.calls = [];
  assert.equal(await r.resolve(POD, 'compute'), 'http://one/compute/v2.1/$(tenant_id)s');
  assert.equal(await r.resolve(POD, 'volumev3'), 'http://one/volume/v3/$(project_id)s');
  assert.deepEqual(store.calls, [], 'memory hit: no store read');
  assert.equal(catalog.reads, 1);
});

test('precedence: override > memory > store > catalog', async () => {
  const store = new FakeStore();
  const catalog = new FakeCatalog(CATALOG);
  store.rows.set('p1/compute', 'http://from-store/v2.1');
  const r = new EndpointResolver({ store, catalog });

  const override: PodRef = { ...POD, endpoints: { compute: 'http://override/v2.1' } };
  assert.equal(await r.resolve(override, 'compute'), 'http://override/v2.1');
  assert.deepEqual(store.calls, [], 'an override needs no lookup');

  assert.equal(await r.resolve(POD, 'compute'), 'http://from-store/v2.1', 'store beats catalog');
  assert.equal(catalog.reads, 0);
  store.rows.set('p1/compute', 'http://changed-in-store/v2.1');
  assert.equal(await r.resolve(POD, 'compute'), 'http://from-store/v2.1', 'memory beats store');
  assert.deepEqual(store.calls, ['get p1 compute']);
  assert.equal(await r.resolve(override, 'compute'), 'http://override/v2.1', 'override beats memory');
});

test('no endpoint anywhere → TRIO2O_POD_NO_ENDPOINT (503) naming pod and service; catalog not re-read inside the backoff', async () => {
  let now = 0;
  const catalog = new FakeCatalog(CATALOG);
  const r = new EndpointResolver({ store: new FakeStore(), catalog, refreshBackoffMs: 30_000, now: () => now });
  const three: PodRef = { podId: 'p3', podName: 'RegionThree' };
  const check = (e: unknown) => {
    assert.ok(e instanceof PodError);
    assert.equal(e.code, 'TRIO2O_POD_NO_ENDPOINT');
    assert.equal(e.message, 'No image endpoint for pod RegionThree: none is in the service catalog');
    assert.equal(e.podId, 'p3');
    assert.equal(e.service, 'image');
    assert.equal(httpStatusFor(e), 503);
    return true;
  };
  await assert.rejects(r.resolve(three, 'image'), check);
  await assert.rejects(r.resolve(three, 'image'), check);
  assert.equal(catalog.reads, 1);
  now = 30_000;
  catalog.services = [{ type: 'image', endpoints: [{ region: 'RegionThree', interface: 'public', url: 'http://three:9292' }] }];
  assert.equal(await r.resolve(three, 'image'), 'http://three:9292');
  assert.equal(catalog.reads, 2);

  const noauth = new EndpointResolver({ store: new FakeStore() });
  await assert.rejects(noauth.resolve(POD, 'compute'), /No compute endpoint for pod RegionOne: none is configured/);
});

test('invalidate drops memory and store, next resolve re-reads the catalog; at most once per backoff', async () => {
  let now = 1_000_000;
  const store = new FakeStore();
  const catalog = new FakeCatalog(CATALOG);
  store.rows.set('p1/compute', 'http://stale/v2.1');
  const r = new EndpointResolver({ store, catalog, refreshBackoffMs: 30_000, now: () => now });
  assert.equal(await r.resolve(POD, 'compute'), 'http://stale/v2.1');

  assert.equal(await r.invalidate('p1'), true);
  assert.equal(store.rows.size, 0);
  assert.equal(await r.resolve(POD, 'compute'), 'http://one/compute/v2.1/$(tenant_id)s');
  assert.equal(catalog.reads, 1);

  // The pod keeps failing: every request would invalidate, but the catalog answer is fresh.
  for (let i = 0; i < 5; i++) {
    now += 1_000;
    assert.equal(await r.invalidate('p1'), false);
    await r.resolve(POD, 'compute');
  }
  assert.equal(catalog.reads, 1);

  now += 30_000;
  assert.equal(await r.invalidate('p1'), true);
  await r.resolve(POD, 'compute');
  assert.equal(catalog.reads, 2);

  assert.equal(await new EndpointResolver({ store }).invalidate('p1'), false, 'without a catalog nothing is dropped');
});

test('concurrent misses share one catalog read; a failing store is a cache miss; a failing catalog is no endpoint', async () => {
  const catalog = new FakeCatalog(CATALOG);
  const r = new EndpointResolver({ catalog });
  const all = await Promise.all([r.resolve(POD, 'compute'), r.resolve(POD, 'compute'), r.resolve(POD, 'volumev3')]);
  assert.equal(all[0], all[1]);
  assert.equal(catalog.reads, 1);

  const storeErrors: unknown[] = [];
  const broken: EndpointCacheStore = {
    get: () => Promise.reject(new Error('db down')),
    put: () => Promise.reject(new Error('db down')),
    drop: () => Promise.reject(new Error('db down')),
  };
  const r2 = new EndpointResolver({ store: broken, catalog, onStoreError: (e) => storeErrors.push(e) });
  assert.equal(await r2.resolve(POD, 'compute'), 'http://one/compute/v2.1/$(tenant_id)s');
  assert.equal(storeErrors.length, 3, 'one get and two puts failed, and were reported');

  const r3 = new EndpointResolver({ catalog: { catalog: () => Promise.reject(new Error('keystone down')) } });
  await assert.rejects(r3.resolve(POD, 'compute'), (e: unknown) => {
    assert.ok(e instanceof PodError);
    assert.equal(e.code, 'TRIO2O_POD_NO_ENDPOINT');
    assert.equal(e.message, 'No compute endpoint for pod RegionOne: the service catalog could not be read');
    assert.equal((e.cause as Error).message, 'keystone down');
    return true;
  });
});
