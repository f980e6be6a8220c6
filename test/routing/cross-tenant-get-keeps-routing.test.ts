// Pins issue 17 item 1: a GET by another project (answered 404 by the pod: the token is not the
// owner's) removed the owner's routing, and so did the owner's own route-level 404. A routing now
// goes only on proof asked with the gateway's own credentials.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

let cloud: Cloud;
const owner = identity('proj-a');
const other = identity('proj-b');
let server: string;
let volume: string;

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  const s = await call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: owner, body: { server: { name: 'mine', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202, s.text);
  server = s.body.server.id;
  const v = await call(`${cloud.volume}/v3/proj-a/volumes`, { method: 'POST', headers: owner, body: { volume: { size: 1 } } });
  assert.equal(v.status, 202, v.text);
  volume = v.body.volume.id;
  // proj-b may use the same pod: it is bound there too.
  const bind = await call(`${cloud.admin}/v1.0/bindings`, { method: 'POST', headers: identity('admin', ['admin']), body: { pod_binding: { tenant_id: 'proj-b', pod_id: cloud.podIds[0] } } });
  assert.equal(bind.status, 200, bind.text);
});
after(() => cloud.close());

const routed = async () => ({
  server: (await cloud.gw.store.routings.lookup(server, 'server'))?.status,
  volume: (await cloud.gw.store.routings.lookup(volume, 'volume'))?.status,
});

test("another project's GET of a server and a volume answers 404 and keeps the owner's routings", async () => {
  for (let i = 0; i < 3; i++) {
    const s = await call(`${cloud.compute}/v2.1/servers/${server}`, { headers: other });
    assert.equal(s.status, 404);
    const v = await call(`${cloud.volume}/v3/proj-b/volumes/${volume}`, { headers: other });
    assert.equal(v.status, 404);
  }
  // The owner's trailing-slash form too (a route-level 404 in Cinder).
  await call(`${cloud.volume}/v3/proj-a/volumes/${volume}/`, { headers: owner });
  await cloud.gw.gateway.parts.runner.idle();
  assert.deepEqual(await routed(), { server: 'active', volume: 'active' });
  assert.equal((await cloud.gw.store.jobs.list({ type: 'routing_verify', status: 'new' })).length + (await cloud.gw.store.jobs.list({ type: 'routing_verify', status: 'running' })).length <= 1, true);
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${server}`, { headers: owner })).status, 200);
  assert.equal((await call(`${cloud.volume}/v3/proj-a/volumes/${volume}`, { headers: owner })).status, 200);
});

test("a 404 to the owner is verified with the gateway's credentials: the server is there, the routing stays", async () => {
  const pod = cloud.pods[0]!;
  // The owner's URL carries its project; the gateway's own check does not (Nova), so only the owner meets the fault.
  pod.inject({ kind: 'status', status: 404, match: { method: 'GET', path: new RegExp(`/proj-a/servers/${server}$`) }, times: 1 });
  assert.equal((await call(`${cloud.compute}/v2.1/proj-a/servers/${server}`, { headers: owner })).status, 404);
  const job = await eventually(async () => (await cloud.gw.store.jobs.list({ type: 'routing_verify', resource_id: server })).find((j) => j.status === 'success'), 10_000);
  assert.match((await cloud.gw.store.jobs.history(job.id)).at(-1)!.detail ?? '', /still there/);
  assert.equal((await routed()).server, 'active');
  const asked = pod.requests.filter((r) => r.method === 'GET' && r.path === `/compute/v2.1/servers/${server}`);
  assert.ok(asked.length >= 1, 'asked with the service credentials');
  assert.equal(asked.at(-1)!.headers['x-roles'], 'admin');
});

test('a 404 the owner sees because the server is gone removes the routing after the check', async () => {
  const pod = cloud.pods[0]!;
  // Gone from the pod behind the gateway's back (deleted directly in the pod).
  pod.servers.delete(server);
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${server}`, { headers: owner })).status, 404);
  await eventually(async () => (await routed()).server === undefined, 10_000);
});
