// A pod that is down, slow past its deadline or answering 5xx never fails the list: below 2.69 it
// is skipped; at 2.69 without paging/sorting/filters its servers come back as minimal UNKNOWN
// records (Nova's down-cell rule); the header names it; a marker inside it is 503.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call } from '../support/http';
import { MISSING_PODS_HEADER } from '../../src/fanout';
import { as, seed, startThreePods, type Seeded } from './helpers';

let cloud: Cloud;
let servers: Seeded[];
const P = 'proj-down';
const LIST_TIMEOUT_MS = 300;

before(async () => {
  cloud = await startThreePods({ pods: { listTimeoutMs: LIST_TIMEOUT_MS, breakerThreshold: 100 } });
  servers = await seed(cloud, P, 3);
});
after(() => cloud.close());
afterEach(async () => {
  for (const [i, p] of cloud.pods.entries()) {
    p.clearFaults();
    await p.up();
    cloud.gw.gateway.parts.pods.forgetPod(cloud.podIds[i]!);
  }
});

const url = (query = '', index = false) => `${cloud.compute}/v2.1/${P}/servers${index ? '' : '/detail'}${query}`;
const ids = (r: { body: { servers: { id: string }[] } }) => r.body.servers.map((s) => s.id);
const inAz = (az: string) => servers.filter((s) => s.az === az);

test('down pod at 2.1: skipped, the rest listed, the header names it', async () => {
  cloud.pods[1]!.inject({ kind: 'down' });
  const r = await call(url(), { headers: as(P, '2.1') });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(ids(r).sort(), [...inAz('az1'), ...inAz('az3')].map((s) => s.id).sort());
  assert.equal(r.headers.get(MISSING_PODS_HEADER), 'Pod2;reason=unreachable;shown=skipped');
});

test('down pod at 2.69 without paging, sorting or filters: minimal UNKNOWN records first', async () => {
  cloud.pods[1]!.inject({ kind: 'down' });
  const before = cloud.gw.gateway.parts.fanout.metrics.snapshot();
  const r = await call(url(), { headers: as(P, '2.69') });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get(MISSING_PODS_HEADER), 'Pod2;reason=unreachable;shown=minimal');
  const down = inAz('az2');
  const head = r.body.servers.slice(0, down.length);
  assert.deepEqual(head.map((s: { id: string }) => s.id).sort(), down.map((s) => s.id).sort());
  for (const s of head) {
    const routing = await cloud.gw.store.routings.lookup(s.id, 'server');
    assert.deepEqual(s, {
      id: s.id,
      status: 'UNKNOWN',
      tenant_id: P,
      created: routing!.created_at,
      links: [
        { rel: 'self', href: `${cloud.compute}/v2.1/${P}/servers/${s.id}` },
        { rel: 'bookmark', href: `${cloud.compute}/${P}/servers/${s.id}` },
      ],
    });
  }
  assert.equal(r.body.servers.length, servers.length);
  assert.ok(r.body.servers.slice(down.length).every((s: { status: string }) => s.status !== 'UNKNOWN'));
  const after = cloud.gw.gateway.parts.fanout.metrics.snapshot();
  assert.equal(after.minimalRecords - before.minimalRecords, 1);
  assert.equal((after.podMissing[cloud.podIds[1]!]?.unreachable ?? 0) - (before.podMissing[cloud.podIds[1]!]?.unreachable ?? 0), 1);
  assert.equal((after.partialLists.servers ?? 0) - (before.partialLists.servers ?? 0), 1);

  const index = await call(url('', true), { headers: as(P, '2.69') });
  const minimal = index.body.servers.find((s: { id: string }) => s.id === down[0]!.id);
  assert.deepEqual(Object.keys(minimal).sort(), ['id', 'links', 'status']);
  assert.equal(minimal.status, 'UNKNOWN');
});

test('down pod at 2.69 with paging, sorting or a filter: skipped, as Nova does', async () => {
  cloud.pods[1]!.inject({ kind: 'down' });
  for (const q of ['?limit=50', '?sort_key=display_name', '?name=vm', '?marker=' + inAz('az1')[0]!.id]) {
    const r = await call(url(q), { headers: as(P, '2.69') });
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    assert.equal(r.headers.get(MISSING_PODS_HEADER), 'Pod2;reason=unreachable;shown=skipped', q);
    assert.ok(!r.body.servers.some((s: { status: string }) => s.status === 'UNKNOWN'), q);
  }
});

test('a pod answering 500 is skipped with its status as the reason', async () => {
  cloud.pods[2]!.inject({ kind: 'status', status: 500, match: { path: /servers\/detail/ } });
  const r = await call(url(), { headers: as(P, '2.1') });
  assert.equal(r.status, 200);
  assert.deepEqual(ids(r).sort(), [...inAz('az1'), ...inAz('az2')].map((s) => s.id).sort());
  assert.equal(r.headers.get(MISSING_PODS_HEADER), 'Pod3;reason=status_500;shown=skipped');
});

test('a slow pod is cut at its deadline ([pods] list_timeout) and the list still answers', async () => {
  cloud.pods[2]!.inject({ kind: 'delay', ms: 3000 });
  const t0 = performance.now();
  const r = await call(url(), { headers: as(P, '2.1') });
  const ms = performance.now() - t0;
  assert.equal(r.status, 200);
  assert.ok(ms < LIST_TIMEOUT_MS + 700, `answered in ${ms.toFixed(0)} ms`);
  assert.ok(ms >= LIST_TIMEOUT_MS - 20, 'waited for the slow pod up to its deadline');
  assert.equal(r.headers.get(MISSING_PODS_HEADER), 'Pod3;reason=timeout;shown=skipped');
  assert.deepEqual(ids(r).sort(), [...inAz('az1'), ...inAz('az2')].map((s) => s.id).sort());
});

test('a marker that lives in a down pod is 503 with a clear message', async () => {
  const marker = inAz('az2')[0]!.id;
  cloud.pods[1]!.inject({ kind: 'down' });
  const r = await call(url(`?limit=2&marker=${marker}`), { headers: as(P, '2.1') });
  assert.equal(r.status, 503);
  assert.deepEqual(r.body, {
    serviceUnavailable: {
      code: 503,
      message: `Cannot list servers after marker ${marker}: pod Pod2, which holds it, is not answering. Retry later, or list from the start without the marker.`,
    },
  });
});
