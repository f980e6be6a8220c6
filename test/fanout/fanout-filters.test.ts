// Filters pass through to the pods; availability_zone selects pods and is rewritten to each
// pod's pod_az_name; only the tenant's routed servers are returned, from its own pods only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call } from '../support/http';
import { as, createServer, seed, simServer, startThreePods, type Seeded } from './helpers';

let cloud: Cloud;
let servers: Seeded[];
const P = 'proj-filters';

before(async () => {
  cloud = await startThreePods();
  servers = await seed(cloud, P, 4);
});
after(() => cloud.close());

const ids = (r: { body: { servers: { id: string }[] } }) => r.body.servers.map((s) => s.id).sort();
const detail = (project: string, query: string, version = '2.1') =>
  call(`${cloud.compute}/v2.1/${project}/servers/detail${query}`, { headers: as(project, version) });
const clearRequests = () => cloud.pods.forEach((p) => (p.requests.length = 0));
const listCalls = (i: number) => cloud.pods[i]!.requests.filter((q) => q.path.endsWith('/servers/detail'));

test('name and status filters reach every pod and select across pods', async () => {
  const byName = await detail(P, '?name=vm-d');
  assert.equal(byName.status, 200);
  assert.deepEqual(ids(byName), servers.filter((s) => /vm-d/.test(s.name)).map((s) => s.id).sort());
  assert.ok(ids(byName).length >= 2, 'the seed puts vm-d in more than one pod');

  const stopped = [servers[1]!, servers[6]!, servers[11]!];
  for (const s of stopped) simServer(cloud, s.id).vmState = 'stopped';
  clearRequests();
  const r = await detail(P, '?status=SHUTOFF');
  assert.deepEqual(ids(r), stopped.map((s) => s.id).sort());
  for (const i of [0, 1, 2]) assert.equal(listCalls(i)[0]!.query.status, 'SHUTOFF');
  for (const s of stopped) simServer(cloud, s.id).vmState = 'active';
});

test('availability_zone selects the pods of that top AZ and is rewritten to pod_az_name', async () => {
  clearRequests();
  const r = await detail(P, '?availability_zone=az2', '2.79');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(ids(r), servers.filter((s) => s.az === 'az2').map((s) => s.id).sort());
  for (const s of r.body.servers) assert.equal(s['OS-EXT-AZ:availability_zone'], 'az2', 'top AZ shown');
  assert.equal(listCalls(0).length, 0, 'Pod1 (az1) not asked');
  assert.equal(listCalls(2).length, 0, 'Pod3 (az3) not asked');
  assert.equal(listCalls(1)[0]!.query.availability_zone, 'nova-2');
});

test('an empty pod_az_name drops availability_zone from the pod query', async () => {
  clearRequests();
  const r = await detail(P, '?availability_zone=az3', '2.79');
  assert.deepEqual(ids(r), servers.filter((s) => s.az === 'az3').map((s) => s.id).sort());
  assert.equal(listCalls(2)[0]!.query.availability_zone, undefined);
});

test('an AZ no pod serves is an empty list', async () => {
  clearRequests();
  const r = await detail(P, '?availability_zone=nowhere', '2.79');
  assert.deepEqual(r.body, { servers: [] });
  assert.equal(cloud.pods.reduce((n, p) => n + p.requests.length, 0), 0);
});

test('tenant isolation: another tenant in a shared pod sees only its own, and only its pods are asked', async () => {
  const theirs = await createServer(cloud, 'proj-b', 'az1', 'b-1');
  clearRequests();
  const mine = await detail(P, '');
  assert.ok(!ids(mine).includes(theirs));
  assert.equal(ids(mine).length, servers.length);
  clearRequests();
  const b = await detail('proj-b', '');
  assert.deepEqual(ids(b), [theirs]);
  assert.equal(listCalls(0).length, 1);
  assert.equal(listCalls(1).length + listCalls(2).length, 0, 'proj-b has no binding or routing in Pod2, Pod3');
});

test('a server the pod lists without a routing row of the tenant is not returned', async () => {
  const stray = await createServer(cloud, P, 'az2', 'stray');
  await cloud.gw.gateway.parts.routes.forget(stray, 'server');
  assert.ok(cloud.pods[1]!.servers.has(stray), 'still in the pod');
  const r = await detail(P, '');
  assert.ok(!ids(r).includes(stray));
  assert.equal(ids(r).length, servers.length);
  const paged = await detail(P, '?limit=3&sort_key=display_name&sort_dir=desc');
  assert.equal(paged.body.servers.length, 3, 'a hidden server never shortens a page');
});
