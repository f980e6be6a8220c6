// The pod's request id reaches the caller as x-compute-request-id, and finds the instance action
// the pod recorded under it. Real Nova records instance actions under its own request id (not
// the gateway's, which it keeps as the global id); Tempest's InstanceActionsTestJSON reads the
// header from the create answer, and failed through the gateway on the real-pods bed without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';

let cloud: Cloud;
const who = identity('proj-id');
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
});
after(() => cloud.close());

test('create answers the pod\'s x-compute-request-id; the instance action is found under it', async () => {
  const r = await call(`${cloud.compute}/v2.1/proj-id/servers`, {
    method: 'POST',
    headers: who,
    body: { server: { name: 'ra', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } },
  });
  assert.equal(r.status, 202, r.text);
  const podRequestId = r.headers.get('x-compute-request-id');
  assert.match(podRequestId ?? '', /^req-[0-9a-f-]{36}$/);
  assert.notEqual(podRequestId, r.headers.get('x-openstack-request-id'), 'the gateway keeps its own request id');
  const id = r.body.server.id;
  await eventually(async () => (await call(`${cloud.compute}/v2.1/proj-id/servers/${id}`, { headers: who })).body?.server?.status === 'ACTIVE');
  const action = await call(`${cloud.compute}/v2.1/proj-id/servers/${id}/os-instance-actions/${podRequestId}`, { headers: who });
  assert.equal(action.status, 200, action.text);
  assert.equal(action.body.instanceAction.action, 'create');
});

test('from 2.21 the actions of a deleted server stay readable after its routing went (Nova keeps them)', async () => {
  const r = await call(`${cloud.compute}/v2.1/proj-id/servers`, { method: 'POST', headers: who, body: { server: { name: 'gone', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(r.status, 202, r.text);
  const id = r.body.server.id;
  await eventually(async () => (await call(`${cloud.compute}/v2.1/proj-id/servers/${id}`, { headers: who })).body?.server?.status === 'ACTIVE');
  assert.equal((await call(`${cloud.compute}/v2.1/proj-id/servers/${id}`, { method: 'DELETE', headers: who })).status, 204);
  // The routing goes once the pod proves the server gone.
  await eventually(async () => !(await cloud.gw.store.routings.lookup(id, 'server')), 10_000);
  const v221 = { ...who, 'openstack-api-version': 'compute 2.21' };
  const list = await call(`${cloud.compute}/v2.1/proj-id/servers/${id}/os-instance-actions`, { headers: v221 });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.instanceActions.map((a: { action: string }) => a.action).sort(), ['create', 'delete']);
  const one = await call(`${cloud.compute}/v2.1/proj-id/servers/${id}/os-instance-actions/${list.body.instanceActions[0].request_id}`, { headers: v221 });
  assert.equal(one.status, 200, one.text);
  // Before 2.21 Nova answers 404 for a deleted server, and so does the gateway.
  assert.equal((await call(`${cloud.compute}/v2.1/proj-id/servers/${id}/os-instance-actions`, { headers: who })).status, 404);
  // Another project never reads them.
  const other = identity('proj-other-actions');
  assert.equal((await call(`${cloud.compute}/v2.1/proj-other-actions/servers/${id}/os-instance-actions`, { headers: { ...other, 'openstack-api-version': 'compute 2.21' } })).status, 404);
});
