// A pod's answer is read item by item and an item is checked for visibility only when the merge
// takes it: another project's server and an unrouted one at the head of a pod's answer, tied
// with the caller's, or at a page's edge must still never show nor shorten a page, with a warm
// route cache and a cold one (another gateway on the same store); an answer broken at an item
// the page reaches makes that pod missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { call } from '../support/http';
import { as, at, createServer, seed, simServer, startThreePods, walk, type Seeded } from './helpers';

let cloud: Cloud;
let cold: TestGateway;
let servers: Seeded[];
let hidden: string[];
const P = 'proj-lazy';

before(async () => {
  cloud = await startThreePods();
  servers = await seed(cloud, P, 4);
  const theirs = [await createServer(cloud, 'proj-other', 'az1', 'b-newest'), await createServer(cloud, 'proj-other', 'az1', 'b-tied')];
  const strays = [await createServer(cloud, P, 'az1', 'stray-oldest'), await createServer(cloud, P, 'az2', 'stray-tied')];
  for (const id of strays) await cloud.gw.gateway.parts.routes.forget(id, 'server');
  // Newest of all (the head of Pod1's answer), tied with one of the caller's, the oldest.
  const times: Record<string, string> = { [theirs[0]!]: at(30 * 60), [theirs[1]!]: servers[0]!.created, [strays[0]!]: at(-60), [strays[1]!]: servers[5]!.created };
  for (const [id, created] of Object.entries(times)) {
    const s = simServer(cloud, id);
    s.createdAt = created;
    s.updatedAt = created;
  }
  hidden = [...theirs, ...strays];
  // A second gateway on the same store: its route cache starts empty, so every item taken is
  // looked up in the store.
  cold = await startTestGateway({ store: cloud.gw.store, jobs: { enabled: false } });
});
after(async () => {
  await cold.close();
  await cloud.close();
});

/** Nova's default order: created_at desc, then uuid asc. */
const expected = () => [...servers].sort((a, b) => (a.created > b.created ? -1 : a.created < b.created ? 1 : a.id < b.id ? -1 : 1)).map((s) => s.id);

for (const limit of [1, 2, 5]) {
  test(`walk with limit=${limit}: the caller's servers in order, full pages, nothing hidden shown (warm and cold route cache)`, async () => {
    for (const base of [cloud.compute, cold.urls.compute]) {
      const pages = await walk(`${base}/v2.1/${P}/servers/detail?limit=${limit}`, as(P));
      assert.deepEqual(pages.flat(), expected(), base);
      assert.ok(pages.slice(0, -1).every((p) => p.length === limit), 'a hidden server never shortens a page');
      for (const id of hidden) assert.ok(!pages.flat().includes(id), `${id} stays hidden`);
    }
  });
}

test('the index view and the unpaged list hide the same servers', async () => {
  const r = await call(`${cold.urls.compute}/v2.1/${P}/servers`, { headers: as(P) });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected());
});

test('an answer broken at an item the page reaches makes its pod missing (bad_response)', async () => {
  cloud.pods[1]!.inject({ kind: 'invalid_body', text: '{"servers": [{"id": oops}], "servers_links": []}', match: { path: /\/servers\/detail$/ }, times: 1 });
  const r = await call(`${cloud.compute}/v2.1/${P}/servers/detail`, { headers: as(P) });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-trio2o-missing-pods'), 'Pod2;reason=bad_response;shown=skipped');
  const inPod2 = new Set(servers.filter((s) => s.az === 'az2').map((s) => s.id));
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected().filter((id) => !inPod2.has(id)));
});
