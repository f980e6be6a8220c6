// `/os-volumes_boot` is Nova's old alias of `/servers` (nova/api/openstack/compute/volumes_boot.py,
// up to 2.102): through the gateway a create there is scheduled and routed like `POST /servers`,
// and the list, show, update, action and delete follow the same routings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { call, identity } from '../support/http';
import { eventually, startCloud, type Cloud } from '../support/cloud';

let cloud: Cloud;
const P = 'proj-vboot';
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const nova = (path: string, o: { method?: string; body?: unknown } = {}) =>
  call(`${cloud.compute}/v2.1/${P}${path}`, { method: o.method ?? (o.body ? 'POST' : 'GET'), body: o.body, headers: identity(P) });

test('create at os-volumes_boot is scheduled into the AZ\'s pod and routed; list, show, action, delete follow it', async () => {
  const r = await nova('/os-volumes_boot', { body: { server: { name: 'vb1', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } });
  assert.equal(r.status, 202, r.text);
  const id: string = r.body.server.id;
  assert.ok(cloud.pods[1]!.compute.servers.has(id), 'made in Pod2');
  const row = (await cloud.gw.store.routings.list({ top_id: id, resource_type: 'server' }))[0];
  assert.equal(row?.pod_id, cloud.podIds[1]);
  assert.equal(row?.status, 'active');
  await eventually(async () => (await nova(`/os-volumes_boot/${id}`)).body?.server?.status === 'ACTIVE');
  const shown = await nova(`/os-volumes_boot/${id}`);
  assert.equal(shown.body.server['OS-EXT-AZ:availability_zone'], 'az2');
  assert.ok(!shown.text.includes(cloud.pods[1]!.url), 'links point at the gateway');
  const listed = await nova('/os-volumes_boot/detail');
  assert.deepEqual(listed.body.servers.map((s: { id: string }) => s.id), [id]);
  assert.equal(listed.body.servers[0]['OS-EXT-AZ:availability_zone'], 'az2');
  assert.deepEqual(Object.keys((await nova('/os-volumes_boot')).body.servers[0]).sort(), ['id', 'links', 'name']);
  assert.equal((await nova(`/os-volumes_boot/${id}/action`, { body: { 'os-stop': null } })).status, 202);
  const del = await nova(`/os-volumes_boot/${id}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.equal((await cloud.gw.store.routings.list({ top_id: id, resource_type: 'server' }))[0]?.status, 'deleting');
});
