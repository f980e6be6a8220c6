// Generic volume groups: group types are a catalog at the top pushed to every pod; a group is
// made in the tenant's pod of its AZ with its types as the pod's ids, routed, listed, snapshotted
// and deleted there; another project sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { availableVolume, eventually, startVolumeCloud, volumeClient, type Cloud } from './helpers';
import { CATALOG_ITEM_PUSH } from '../../src/jobs';

let cloud: Cloud;
let goldId: string;
let groupTypeId: string;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  const a = volumeClient(cloud, 'admin-project', ADMIN);
  goldId = (await a('/types', { method: 'POST', body: { volume_type: { name: 'gold' } } })).body.volume_type.id;
  const gt = await a('/group_types', { method: 'POST', body: { group_type: { name: 'gt', group_specs: { consistent_group_snapshot_enabled: '<is> False' } } }, version: '3.11' });
  assert.equal(gt.status, 202, `Cinder accepts a group type with 202: ${gt.text}`);
  groupTypeId = gt.body.group_type.id;
  // The pods answer 202 too, as Cinder does: the push must take that for a yes.
  await eventually(async () => {
    const states = [...(await cloud.gw.store.catalogState.list({ kind: 'volume_type', topId: goldId })), ...(await cloud.gw.store.catalogState.list({ kind: 'group_type', topId: groupTypeId }))];
    return states.length === 4 && states.every((s) => s.status === 'synced');
  }, 15_000);
});
after(() => cloud.close());

const podId = (kind: 'volume_type' | 'group_type', id: string, pod: number) => cloud.gw.store.catalogState.get(kind, id, cloud.podIds[pod]!).then((s) => s!.pod_item_id!);

test('a group type\'s push takes the pod\'s 202 for a yes: created at the first attempt, no retry', async () => {
  const jobs = await cloud.gw.store.jobs.list({ type: CATALOG_ITEM_PUSH, resource_id: groupTypeId });
  assert.equal(jobs.length, 2, 'one push per pod');
  for (const j of jobs) {
    const attempts = await cloud.gw.store.jobs.history(j.id);
    assert.deepEqual(attempts.map((a) => a.outcome), ['success'], JSON.stringify(attempts));
  }
});

test('group types: listed for members (no specs), changed by admins only, pushed to the pods', async () => {
  const m = volumeClient(cloud, 'proj-g', identity('proj-g'));
  assert.deepEqual((await m('/group_types', { version: '3.11' })).body, { group_types: [{ id: groupTypeId, name: 'gt', description: null, is_public: true }] });
  assert.equal((await m('/group_types', { method: 'POST', body: { group_type: { name: 'x' } }, version: '3.11' })).status, 403);
  assert.equal((await m('/group_types', { version: '3.10' })).status, 404);
  for (const i of [0, 1]) {
    const t = cloud.pods[i]!.volumeService.groupTypes.get(await podId('group_type', groupTypeId, i));
    assert.deepEqual([t?.name, t?.specs], ['gt', { consistent_group_snapshot_enabled: '<is> False' }]);
  }
});

test('groups: made in the AZ pod with pod ids, routed, snapshotted, cloned, deleted; invisible to others', async () => {
  const p = volumeClient(cloud, 'proj-g', identity('proj-g'));
  const made = await p('/groups', { method: 'POST', body: { group: { name: 'g1', group_type: 'gt', volume_types: ['gold'], availability_zone: 'az2' } }, version: '3.13' });
  assert.equal(made.status, 202, made.text);
  const id = made.body.group.id;
  assert.equal((await cloud.gw.store.routings.lookup(id, 'group'))?.pod_id, cloud.podIds[1]);
  const inPod = cloud.pods[1]!.volumeService.groups.get(id)!;
  assert.deepEqual([inPod.groupTypeId, inPod.volumeTypeIds], [await podId('group_type', groupTypeId, 1), [await podId('volume_type', goldId, 1)]]);
  await eventually(async () => (await p(`/groups/${id}`, { version: '3.13' })).body.group?.status === 'available');
  const shown = await p(`/groups/${id}`, { version: '3.13' });
  assert.equal(shown.body.group.availability_zone, 'az2', 'the top AZ');
  assert.notEqual(await podId('volume_type', goldId, 1), goldId, 'the pod has its own ids, as real Cinder');
  const topIds = (g: { group_type: string; volume_types: string[] }) => [g.group_type, g.volume_types];
  assert.deepEqual(topIds(shown.body.group), [groupTypeId, [goldId]]);
  assert.deepEqual((await p('/groups', { version: '3.13' })).body, { groups: [{ id, name: 'g1' }] });
  const detail = (await p('/groups/detail', { version: '3.13' })).body.groups;
  assert.deepEqual(detail.map((g: { id: string }) => g.id), [id]);
  assert.deepEqual(topIds(detail[0]), [groupTypeId, [goldId]]);

  const snap = await p('/group_snapshots', { method: 'POST', body: { group_snapshot: { group_id: id, name: 's1' } }, version: '3.14' });
  assert.equal(snap.status, 202, snap.text);
  const sid = snap.body.group_snapshot.id;
  assert.equal((await p(`/group_snapshots/${sid}`, { version: '3.14' })).body.group_snapshot.group_type_id, groupTypeId);
  assert.equal((await cloud.gw.store.routings.lookup(sid, 'group_snapshot'))?.pod_id, cloud.podIds[1]);
  await eventually(async () => (await p(`/group_snapshots/${sid}`, { version: '3.14' })).body.group_snapshot?.status === 'available');
  const clone = await p('/groups/action', { method: 'POST', body: { 'create-from-src': { group_snapshot_id: sid, name: 'g2' } }, version: '3.14' });
  assert.equal(clone.status, 202, clone.text);
  assert.equal((await cloud.gw.store.routings.lookup(clone.body.group.id, 'group'))?.pod_id, cloud.podIds[1]);

  const other = volumeClient(cloud, 'proj-other', identity('proj-other'));
  assert.deepEqual((await other(`/groups/${id}`, { version: '3.13' })).body, { itemNotFound: { code: 404, message: `Group ${id} could not be found.` } });
  assert.equal((await other(`/groups/${id}/action`, { method: 'POST', body: { delete: { 'delete-volumes': false } }, version: '3.13' })).status, 404);
  assert.deepEqual((await other('/groups', { version: '3.13' })).body, { groups: [] });
  assert.equal((await cloud.gw.store.routings.lookup(id, 'group'))?.status, 'active');

  assert.equal((await p(`/group_snapshots/${sid}`, { method: 'DELETE', version: '3.14' })).status, 202);
  await eventually(async () => (await p(`/group_snapshots/${sid}`, { version: '3.14' })).status === 404);
  await eventually(async () => (await p(`/groups/${clone.body.group.id}`, { version: '3.13' })).body.group?.status === 'available');
  const del = await p(`/groups/${id}/action`, { method: 'POST', body: { delete: { 'delete-volumes': false } }, version: '3.13' });
  assert.equal(del.status, 202, del.text);
  assert.equal((await cloud.gw.store.routings.lookup(id, 'group'))?.status, 'deleting');
  await eventually(async () => (await cloud.gw.store.routings.lookup(id, 'group')) === undefined, 15_000);
});

test('a volume made in a group goes to the group pod; delete-volumes takes its routing along', async () => {
  const p = volumeClient(cloud, 'proj-gv', identity('proj-gv'));
  const made = await p('/groups', { method: 'POST', body: { group: { name: 'g3', group_type: 'gt', volume_types: ['gold'], availability_zone: 'az1' } }, version: '3.13' });
  assert.equal(made.status, 202, made.text);
  const gid = made.body.group.id;
  await eventually(async () => (await p(`/groups/${gid}`, { version: '3.13' })).body.group?.status === 'available');
  const vol = await p('/volumes', { method: 'POST', body: { volume: { size: 1, group_id: gid, volume_type: 'gold' } }, version: '3.13' });
  assert.equal(vol.status, 202, vol.text);
  const vid = vol.body.volume.id;
  assert.equal((await cloud.gw.store.routings.lookup(vid, 'volume'))?.pod_id, cloud.podIds[0], 'the group pod, not the default one');
  const wrongAz = await p('/volumes', { method: 'POST', body: { volume: { size: 1, group_id: gid, volume_type: 'gold', availability_zone: 'az2' } }, version: '3.13' });
  assert.equal(wrongAz.status, 400, wrongAz.text);
  await eventually(async () => (await p(`/volumes/${vid}`)).body.volume?.status === 'available');

  const refused = await p(`/groups/${gid}/action`, { method: 'POST', body: { delete: {} }, version: '3.13' });
  assert.equal(refused.status, 400, 'the pod refuses while the group holds volumes');
  assert.equal((await cloud.gw.store.routings.lookup(vid, 'volume'))?.status, 'active');
  const del = await p(`/groups/${gid}/action`, { method: 'POST', body: { delete: { 'delete-volumes': true } }, version: '3.13' });
  assert.equal(del.status, 202, del.text);
  assert.equal((await cloud.gw.store.routings.lookup(vid, 'volume'))?.status, 'deleting', 'the member volume stops counting at once');
  await eventually(async () => (await cloud.gw.store.routings.lookup(vid, 'volume')) === undefined, 15_000);
});

test('another project’s group or server is as unknown as none: no 400 telling where it lives', async () => {
  const route = async (project: string, pod: number, type: 'group' | 'server', id: string) => {
    const pending = await cloud.gw.store.routings.createPending(project, cloud.podIds[pod]!, type);
    await cloud.gw.store.routings.complete(pending.id, id);
  };
  await route('proj-owner', 1, 'group', 'grp-of-owner');
  await route('proj-owner', 1, 'server', 'srv-of-owner');
  const b = volumeClient(cloud, 'proj-nosy', identity('proj-nosy'));
  const inGroup = (gid: string) => b('/volumes', { method: 'POST', body: { volume: { size: 1, group_id: gid, availability_zone: 'az1' } }, version: '3.13' });
  const [other, none] = [await inGroup('grp-of-owner'), await inGroup('grp-missing')];
  assert.equal(other.status, 404, other.text);
  assert.deepEqual(other.body, { itemNotFound: { code: 404, message: 'Group grp-of-owner could not be found.' } });
  assert.equal(none.status, 404, none.text);

  const vid = await availableVolume(b, { availability_zone: 'az1' });
  const attach = (server: string) => b(`/volumes/${vid}/action`, { method: 'POST', body: { 'os-attach': { instance_uuid: server, mountpoint: '/dev/vdb' } } });
  const [otherServer, noServer] = [await attach('srv-of-owner'), await attach('srv-missing')];
  assert.equal(otherServer.status, 404, otherServer.text);
  assert.equal(noServer.status, 404, noServer.text);
  assert.equal((await cloud.gw.store.routings.lookup('grp-of-owner', 'group'))?.project_id, 'proj-owner');
});

test('another project’s volume or backup named by id: attach and restore are the pod’s 404, not a 400 naming its pod', async () => {
  const route = async (project: string, pod: number, type: 'volume' | 'backup' | 'server', id: string) => {
    const pending = await cloud.gw.store.routings.createPending(project, cloud.podIds[pod]!, type);
    await cloud.gw.store.routings.complete(pending.id, id);
  };
  await route('proj-owner', 1, 'volume', 'vol-of-owner');
  await route('proj-owner', 1, 'backup', 'bkp-of-owner');
  await route('proj-nosy2', 0, 'server', 'srv-of-nosy2');
  await route('proj-nosy2', 0, 'volume', 'vol-of-nosy2');
  const b = volumeClient(cloud, 'proj-nosy2', identity('proj-nosy2'));
  const attach = await b('/volumes/vol-of-owner/action', { method: 'POST', body: { 'os-attach': { instance_uuid: 'srv-of-nosy2', mountpoint: '/dev/vdb' } } });
  assert.equal(attach.status, 404, attach.text);
  const restore = await b('/backups/bkp-of-owner/restore', { method: 'POST', body: { restore: { volume_id: 'vol-of-nosy2' } } });
  assert.equal(restore.status, 404, restore.text);
  for (const [id, type] of [['vol-of-owner', 'volume'], ['bkp-of-owner', 'backup']] as const) {
    assert.equal((await cloud.gw.store.routings.lookup(id, type))?.status, 'active', `${type} routing untouched`);
  }
});

test('group type lists as Cinder: public only unless an admin asks is_public (None: all), sorted by sort', async () => {
  const a = volumeClient(cloud, 'admin-project', ADMIN);
  const mk = (name: string, isPublic: boolean) => a('/group_types', { method: 'POST', body: { group_type: { name, is_public: isPublic } }, version: '3.11' });
  const pub = (await mk('b_pub', true)).body.group_type.id;
  const priv = (await mk('a_priv', false)).body.group_type.id;
  const names = async (q: string) => ((await a(`/group_types${q}`, { version: '3.11' })).body.group_types as { name: string }[]).map((t) => t.name);
  assert.deepEqual(await names('?sort=name:asc&is_public=None'), ['a_priv', 'b_pub', 'gt']);
  assert.deepEqual(await names('?sort=name:desc&is_public=None'), ['gt', 'b_pub', 'a_priv']);
  assert.deepEqual(await names('?is_public=False'), ['a_priv']);
  assert.deepEqual(await names('?sort_key=name&sort_dir=asc'), ['b_pub', 'gt'], 'an admin sees public types unless asking');
  assert.deepEqual(await names(''), ['b_pub', 'gt'], 'newest first by default');
  assert.equal((await a('/group_types?sort=bogus', { version: '3.11' })).status, 400);
  const m = volumeClient(cloud, 'proj-g', identity('proj-g'));
  assert.deepEqual(((await m('/group_types?is_public=None', { version: '3.11' })).body.group_types as { name: string }[]).map((t) => t.name).sort(), ['b_pub', 'gt'], 'members choose nothing');
  // A rename at the top reaches the pods by the id each gave the type (they were found by name before).
  await eventually(async () => (await cloud.gw.store.catalogState.list({ kind: 'group_type', topId: pub })).filter((st) => st.status === 'synced').length === 2, 15_000);
  const renamed = await a(`/group_types/${pub}`, { method: 'PUT', body: { group_type: { name: 'c_pub' } }, version: '3.11' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.body.group_type.name, 'c_pub');
  for (const i of [0, 1]) await eventually(async () => cloud.pods[i]!.volumeService.groupTypes.get(await podId('group_type', pub, i))?.name === 'c_pub', 15_000);
  assert.equal((await a(`/group_types/${pub}`, { method: 'PUT', body: { group_type: { name: 'gt' } }, version: '3.11' })).status, 409);
  assert.equal((await a(`/group_types/${pub}`, { method: 'PUT', body: { group_type: {} }, version: '3.11' })).status, 400);
  for (const id of [pub, priv]) assert.equal((await a(`/group_types/${id}`, { method: 'DELETE', version: '3.11' })).status, 202);
});

test('a private group type a pod already has is taken over by name, not made twice', async () => {
  const a = volumeClient(cloud, 'admin-project', ADMIN);
  const pre = { id: '5a1d2c3b-0000-4000-8000-00000000abcd', name: 'pre_priv', description: null, isPublic: false, specs: {} };
  cloud.pods[0]!.volumeService.groupTypes.set(pre.id, pre);
  const made = await a('/group_types', { method: 'POST', body: { group_type: { name: 'pre_priv', is_public: false } }, version: '3.11' });
  assert.equal(made.status, 202, made.text);
  const id = made.body.group_type.id;
  await eventually(async () => (await cloud.gw.store.catalogState.list({ kind: 'group_type', topId: id })).filter((st) => st.status === 'synced').length === 2, 15_000);
  assert.equal(await podId('group_type', id, 0), pre.id, 'the pod\'s own private type');
  assert.equal([...cloud.pods[0]!.volumeService.groupTypes.values()].filter((t) => t.name === 'pre_priv').length, 1);
  assert.equal((await a(`/group_types/${id}`, { method: 'DELETE', version: '3.11' })).status, 202);
});

test('a group made right after its type waits for the type\'s push to a slow pod (longer than 5 s) instead of a 409', async () => {
  const a = volumeClient(cloud, 'admin-project', ADMIN);
  // A loaded real Cinder took 5.2 s to create a group type; the pod here takes 6 s.
  cloud.pods[0]!.inject({ kind: 'delay', ms: 6_000, match: { method: 'POST', path: /\/group_types$/ }, times: 1 });
  const gt = await a('/group_types', { method: 'POST', body: { group_type: { name: 'slow-gt' } }, version: '3.11' });
  assert.equal(gt.status, 202, gt.text);
  const p = volumeClient(cloud, 'proj-slow', identity('proj-slow'));
  const made = await p('/groups', { method: 'POST', body: { group: { name: 'gs', group_type: gt.body.group_type.id, volume_types: [goldId], availability_zone: 'az1' } }, version: '3.13' });
  assert.equal(made.status, 202, made.text);
  assert.equal((await cloud.gw.store.routings.lookup(made.body.group.id, 'group'))?.pod_id, cloud.podIds[0]);
});
