// Pins issue 17 item 2: after `DELETE /v1.0/routings/{id}` the route cache kept sending
// GET, actions and DELETE of that id to the old pod. Admin routing changes now go through the
// route table, and changes logged by any writer are evicted by the next refresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, type Cloud } from '../support/cloud';
import { ADMIN, call, identity } from '../support/http';

let cloud: Cloud;
const who = identity('proj-cache');

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
});
after(() => cloud.close());

async function boot(name: string): Promise<string> {
  const r = await call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: who, body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(r.status, 202, r.text);
  return r.body.server.id;
}

const podCalls = (id: string) => cloud.pods[0]!.requests.filter((r) => r.path.includes(id)).length;

test('an admin DELETE of a routing: GET, actions and DELETE of the id answer 404 at once and reach no pod', async () => {
  const id = await boot('cached');
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${id}`, { headers: who })).status, 200, 'now cached');
  const routing = await cloud.gw.store.routings.lookup(id, 'server');
  const del = await call(`${cloud.admin}/v1.0/routings/${routing!.id}`, { method: 'DELETE', headers: ADMIN });
  assert.equal(del.status, 200);
  const before = podCalls(id);
  const missing = { itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } };
  assert.deepEqual((await call(`${cloud.compute}/v2.1/servers/${id}`, { headers: who })).body, missing);
  assert.deepEqual((await call(`${cloud.compute}/v2.1/servers/${id}/action`, { method: 'POST', headers: who, body: { 'os-stop': null } })).body, missing);
  assert.deepEqual((await call(`${cloud.compute}/v2.1/servers/${id}`, { method: 'DELETE', headers: who })).body, missing);
  assert.equal(podCalls(id), before, 'nothing reached the pod');
  assert.equal((await call(`${cloud.admin}/v1.0/routings/${routing!.id}`, { method: 'DELETE', headers: ADMIN })).status, 404);
});

test('a change written to the store by anyone else is evicted by the next refresh', async () => {
  const id = await boot('changed-elsewhere');
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${id}`, { headers: who })).status, 200, 'now cached');
  const routing = await cloud.gw.store.routings.lookup(id, 'server');
  // As another site would: straight to the store, around this gateway's route table.
  await cloud.gw.store.routings.delete(routing!.id);
  assert.ok((await cloud.gw.gateway.parts.routes.refresh()) >= 1);
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${id}`, { headers: who })).status, 404);
});
