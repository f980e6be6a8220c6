// Consistency groups and cgsnapshots, which Cinder still serves (deprecated) beside generic
// groups (the v3 router's `consistencygroups`, the `cgsnapshots` extension, in Zed and at
// master): a CG lives in one pod like a group — made in the tenant's pod of its AZ with its volume
// types as the pod's ids, routed on the group routing, snapshotted and cloned there, listed across
// pods; `POST /consistencygroups/{id}/delete` accepted turns the routing deleting, and the routing
// goes once the pod has no such group; another project sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { eventually, startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
let goldId: string;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  const a = volumeClient(cloud, 'admin-project', ADMIN);
  goldId = (await a('/types', { method: 'POST', body: { volume_type: { name: 'cg-gold' } } })).body.volume_type.id;
  await eventually(async () => {
    const states = await cloud.gw.store.catalogState.list({ kind: 'volume_type', topId: goldId });
    return states.length === 2 && states.every((s) => s.status === 'synced');
  }, 15_000);
});
after(() => cloud.close());

test('consistency groups: made in the AZ\'s pod, routed, snapshotted, cloned, listed, deleted; invisible to others', async () => {
  const p = volumeClient(cloud, 'proj-cg', identity('proj-cg'));
  const made = await p('/consistencygroups', { method: 'POST', body: { consistencygroup: { name: 'cg1', volume_types: 'cg-gold', availability_zone: 'az2' } } });
  assert.equal(made.status, 202, made.text);
  assert.deepEqual(Object.keys(made.body.consistencygroup).sort(), ['id', 'name']);
  const id = made.body.consistencygroup.id;
  assert.equal((await cloud.gw.store.routings.lookup(id, 'group'))?.pod_id, cloud.podIds[1]);
  const inPod = cloud.pods[1]!.volumeService.groups.get(id)!;
  const podGold = (await cloud.gw.store.catalogState.get('volume_type', goldId, cloud.podIds[1]!))!.pod_item_id;
  assert.deepEqual(inPod.volumeTypeIds, [podGold], 'the type went as the pod\'s id');
  await eventually(async () => (await p(`/consistencygroups/${id}`)).body.consistencygroup?.status === 'available');
  const shown = (await p(`/consistencygroups/${id}`)).body.consistencygroup;
  assert.equal(shown.availability_zone, 'az2', 'the top AZ');
  assert.deepEqual((await p('/consistencygroups')).body, { consistencygroups: [{ id, name: 'cg1' }] });
  assert.equal((await p('/consistencygroups/detail')).body.consistencygroups[0].availability_zone, 'az2');
  const none = await p('/consistencygroups', { method: 'POST', body: { consistencygroup: { name: 'cg0' } } });
  assert.equal(none.status, 400);
  assert.equal((await cloud.gw.store.routings.list({ project_id: 'proj-cg', resource_type: 'group' })).length, 1, 'a refused create leaves no routing');

  const snap = await p('/cgsnapshots', { method: 'POST', body: { cgsnapshot: { consistencygroup_id: id, name: 'cgs1' } } });
  assert.equal(snap.status, 202, snap.text);
  const sid = snap.body.cgsnapshot.id;
  assert.equal((await cloud.gw.store.routings.lookup(sid, 'group_snapshot'))?.pod_id, cloud.podIds[1]);
  await eventually(async () => (await p(`/cgsnapshots/${sid}`)).body.cgsnapshot?.status === 'available');
  assert.equal((await p(`/cgsnapshots/${sid}`)).body.cgsnapshot.consistencygroup_id, id);
  const clone = await p('/consistencygroups/create_from_src', { method: 'POST', body: { 'consistencygroup-from-src': { cgsnapshot_id: sid, name: 'cg2' } } });
  assert.equal(clone.status, 202, clone.text);
  const cloneId = clone.body.consistencygroup.id;
  assert.equal((await cloud.gw.store.routings.lookup(cloneId, 'group'))?.pod_id, cloud.podIds[1]);

  const other = volumeClient(cloud, 'proj-cg-b', identity('proj-cg-b'));
  assert.deepEqual((await other('/consistencygroups')).body, { consistencygroups: [] });
  assert.equal((await other(`/consistencygroups/${id}`)).status, 404);
  assert.equal((await other(`/consistencygroups/${id}/delete`, { method: 'POST', body: { consistencygroup: { force: true } } })).status, 404);
  assert.equal((await cloud.gw.store.routings.lookup(id, 'group'))?.status, 'active', "another project's attempt changes nothing");

  assert.equal((await p(`/cgsnapshots/${sid}`, { method: 'DELETE' })).status, 202);
  assert.equal((await cloud.gw.store.routings.lookup(sid, 'group_snapshot'))?.status, 'deleting');
  await eventually(async () => (await p(`/consistencygroups/${cloneId}`)).body.consistencygroup?.status === 'available');
  for (const g of [id, cloneId]) {
    const del = await p(`/consistencygroups/${g}/delete`, { method: 'POST', body: { consistencygroup: { force: false } } });
    assert.equal(del.status, 202, del.text);
    assert.equal((await cloud.gw.store.routings.lookup(g, 'group'))?.status, 'deleting', 'an accepted delete marks the routing');
  }
  await eventually(async () => (await cloud.gw.store.routings.lookup(id, 'group')) === undefined, 10_000);
  assert.equal(cloud.pods[1]!.volumeService.groups.has(id), false);
});
