// A pod whose cached endpoint stopped answering: the connect failure invalidates the cache,
// and the next call follows the catalog to the endpoint's new home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointResolver, PodClient, PodError, type CatalogService, type EndpointCacheStore, type ServiceType } from '../../src/pods';
import { deadPort, startUpstream } from './upstream';

test('connect failure → invalidate → catalog re-read → next call reaches the new endpoint', async (t) => {
  const up = await startUpstream((req, res) => res.end(req.url));
  t.after(() => up.close());
  const oldUrl = `http://127.0.0.1:${await deadPort()}/compute/v2.1/$(tenant_id)s`;
  const rows = new Map<string, string>([['p1/compute', oldUrl]]);
  const store: EndpointCacheStore = {
    get: async (podId: string, s: ServiceType) => rows.get(`${podId}/${s}`),
    put: async (podId: string, s: ServiceType, url: string) => void rows.set(`${podId}/${s}`, url),
    drop: async (podId: string) => {
      for (const k of [...rows.keys()]) if (k.startsWith(`${podId}/`)) rows.delete(k);
    },
  };
  let reads = 0;
  const services: CatalogService[] = [
    { type: 'compute', endpoints: [{ region: 'RegionOne', interface: 'public', url: `${up.origin}/compute/v2.1/$(tenant_id)s` }] },
  ];
  const resolver = new EndpointResolver({ store, catalog: { catalog: async () => (reads++, services) } });
  const pods = new PodClient({ resolver, retries: 0 });
  t.after(() => pods.close());
  const pod = { podId: 'p1', podName: 'RegionOne' };
  const get = () =>
    pods.request({ pod, service: 'compute', method: 'GET', path: '/v2.1/p1/servers/x', projectId: 'p1', headers: {}, requestId: 'r' });

  await assert.rejects(get(), (e: unknown) => e instanceof PodError && e.code === 'TRIO2O_POD_UNREACHABLE' && e.phase === 'connect');
  assert.equal(reads, 0, 'the first call used the stored endpoint');
  await new Promise((r) => setImmediate(r)); // invalidate runs in the background
  const res = await get();
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '/compute/v2.1/p1/servers/x');
  assert.equal(reads, 1);
  assert.equal(rows.get('p1/compute'), `${up.origin}/compute/v2.1/$(tenant_id)s`, 'the store holds the new endpoint');
});
