// Volume types (admin CRUD, extra specs, private type access), availability
// zones, limits, quota sets, the 3.27+ attachments API and group types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableVolume, call, harness, P1, P2, v3, type CallOptions } from './helpers';

const ADMIN = { roles: 'admin' };

test('types: list default, admin create/update/delete, 403 for users', async (t) => {
  const h = harness();
  t.after(() => h.close());
  let r = await call(h, 'GET', v3(P1, 'types'));
  assert.deepEqual(r.body.volume_types.map((x: { name: string }) => x.name), ['__DEFAULT__']);
  assert.deepEqual(Object.keys(r.body.volume_types[0]).sort(), [
    'description', 'extra_specs', 'id', 'is_public', 'name', 'os-volume-type-access:is_public',
  ]);
  r = await call(h, 'POST', v3(P1, 'types'), { body: { volume_type: { name: 'gold' } } });
  assert.deepEqual(r.body, {
    forbidden: { code: 403, message: "Policy doesn't allow volume_extension:types_manage to be performed." },
  });
  r = await call(h, 'POST', v3(P1, 'types'), { ...ADMIN, body: { volume_type: { name: 'gold', extra_specs: { volume_backend_name: 'lvmdriver-1', multiattach: '<is> True' } } } });
  assert.equal(r.status, 200);
  const gold = r.body.volume_type;
  assert.equal(gold.is_public, true);
  // Tempest's create schema (checked against real Cinder) has no qos_specs_id; admin show has it.
  assert.equal('qos_specs_id' in gold, false);
  assert.equal((await call(h, 'GET', v3(P1, `types/${gold.id}`), ADMIN)).body.volume_type.qos_specs_id, null);
  r = await call(h, 'POST', v3(P1, 'types'), { ...ADMIN, body: { volume_type: { name: 'gold' } } });
  assert.equal(r.status, 409);
  assert.deepEqual(r.body, { conflictingRequest: { code: 409, message: 'Volume Type gold already exists.' } });
  r = await call(h, 'GET', v3(P1, `types/${gold.id}`));
  assert.deepEqual(r.body.volume_type.extra_specs, { multiattach: '<is> True' });
  r = await call(h, 'PUT', v3(P1, `types/${gold.id}`), { ...ADMIN, body: { volume_type: { description: 'shiny' } } });
  assert.equal(r.body.volume_type.description, 'shiny');
  assert.deepEqual(Object.keys(r.body.volume_type).sort(), ['description', 'extra_specs', 'id', 'is_public', 'name']);
  const vol = await availableVolume(h, P1, { volume_type: 'gold' });
  assert.equal(h.vol.get(vol)!.multiattach, true);
  r = await call(h, 'DELETE', v3(P1, `types/${gold.id}`), ADMIN);
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Target volume type is still in use.' } });
  await call(h, 'DELETE', v3(P1, `volumes/${vol}`));
  h.vol.volumes.delete(vol);
  assert.equal((await call(h, 'DELETE', v3(P1, `types/${gold.id}`), ADMIN)).status, 202);
});

test('extra specs CRUD and private type access', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const r = await call(h, 'POST', v3(P1, 'types'), {
    ...ADMIN,
    body: { volume_type: { name: 'secret', 'os-volume-type-access:is_public': false } },
  });
  const id = r.body.volume_type.id;
  const specs = v3(P1, `types/${id}/extra_specs`);
  assert.deepEqual((await call(h, 'POST', specs, { ...ADMIN, body: { extra_specs: { k1: 'v1' } } })).body, { extra_specs: { k1: 'v1' } });
  assert.deepEqual((await call(h, 'PUT', `${specs}/k1`, { ...ADMIN, body: { k1: 'v2' } })).body, { k1: 'v2' });
  assert.deepEqual((await call(h, 'GET', `${specs}/k1`, ADMIN)).body, { k1: 'v2' });
  assert.equal((await call(h, 'DELETE', `${specs}/k1`, ADMIN)).status, 202);
  assert.deepEqual((await call(h, 'GET', `${specs}/k1`, ADMIN)).body, {
    itemNotFound: { code: 404, message: `Volume Type ${id} has no extra specs with key k1.` },
  });
  assert.equal((await call(h, 'GET', v3(P2, `types/${id}`))).status, 404);
  const add = await call(h, 'POST', v3(P1, `types/${id}/action`), { ...ADMIN, body: { addProjectAccess: { project: P2 } } });
  assert.equal(add.status, 202);
  assert.equal((await call(h, 'GET', v3(P2, `types/${id}`))).status, 200);
  const access = await call(h, 'GET', v3(P1, `types/${id}/os-volume-type-access`), ADMIN);
  assert.deepEqual(access.body, { volume_type_access: [{ volume_type_id: id, project_id: P2 }] });
  const dup = await call(h, 'POST', v3(P1, `types/${id}/action`), { ...ADMIN, body: { addProjectAccess: { project: P2 } } });
  assert.equal(dup.status, 409);
  await call(h, 'POST', v3(P1, `types/${id}/action`), { ...ADMIN, body: { removeProjectAccess: { project: P2 } } });
  assert.equal((await call(h, 'GET', v3(P2, `types/${id}`))).status, 404);
});

test('availability zone, limits and quota sets', async (t) => {
  const h = harness();
  t.after(() => h.close());
  await availableVolume(h, P1, { size: 4 });
  let r = await call(h, 'GET', v3(P1, 'os-availability-zone'));
  assert.deepEqual(r.body, { availabilityZoneInfo: [{ zoneName: 'az1', zoneState: { available: true } }] });
  r = await call(h, 'GET', v3(P1, 'limits'));
  assert.deepEqual(r.body.limits.rate, []);
  assert.equal(r.body.limits.absolute.totalVolumesUsed, 1);
  assert.equal(r.body.limits.absolute.totalGigabytesUsed, 4);
  assert.equal(r.body.limits.absolute.maxTotalVolumes, 10);
  r = await call(h, 'GET', v3(P1, `os-quota-sets/${P1}?usage=true`));
  assert.deepEqual(r.body.quota_set.volumes, { limit: 10, in_use: 1, reserved: 0, allocated: 0 });
  r = await call(h, 'GET', v3(P1, `os-quota-sets/${P2}`));
  assert.equal(r.status, 403);
  r = await call(h, 'PUT', v3(P1, `os-quota-sets/${P2}`), { ...ADMIN, body: { quota_set: { volumes: 3 } } });
  assert.equal(r.body.quota_set.volumes, 3);
  r = await call(h, 'GET', v3(P1, `os-quota-sets/${P1}/defaults`));
  assert.equal(r.body.quota_set.volumes, 10);
  assert.equal(r.body.quota_set.volumes___DEFAULT__, -1);
});

test('attachments API: reserve, update with connector, complete, delete', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1);
  const server = '3c3b3a39-3837-4635-b433-323130292827';
  let r = await call(h, 'POST', v3(P1, 'attachments'), { body: { attachment: { volume_uuid: vol, instance_uuid: server } } });
  assert.equal(r.status, 404);
  r = await call(h, 'POST', v3(P1, 'attachments'), { version: '3.44', body: { attachment: { volume_uuid: vol, instance_uuid: server } } });
  assert.equal(r.status, 200);
  const att = r.body.attachment;
  assert.deepEqual(att, {
    id: att.id, status: 'reserved', instance: server, volume_id: vol, attached_at: '', detached_at: '',
    attach_mode: 'rw', connection_info: null,
  });
  assert.equal(h.vol.get(vol)!.status, 'reserved');
  r = await call(h, 'PUT', v3(P1, `attachments/${att.id}`), {
    version: '3.44',
    body: { attachment: { connector: { host: 'cmp1', initiator: 'iqn.x', mountpoint: '/dev/vdb' } } },
  });
  assert.equal(r.body.attachment.status, 'attaching');
  assert.equal(r.body.attachment.connection_info.driver_volume_type, 'iscsi');
  r = await call(h, 'POST', v3(P1, `attachments/${att.id}/action`), { version: '3.44', body: { 'os-complete': null } });
  assert.equal(r.status, 204);
  const shown = (await call(h, 'GET', v3(P1, `volumes/${vol}`))).body.volume;
  assert.equal(shown.status, 'in-use');
  assert.equal(shown.attachments[0].attachment_id, att.id);
  r = await call(h, 'GET', v3(P1, 'attachments'), { version: '3.44' });
  assert.deepEqual(r.body, { attachments: [{ id: att.id, status: 'attached', instance: server, volume_id: vol }] });
  r = await call(h, 'DELETE', v3(P1, `attachments/${att.id}`), { version: '3.44' });
  assert.deepEqual(r.body, { attachments: [] });
  assert.equal(h.vol.get(vol)!.status, 'available');
  r = await call(h, 'GET', v3(P1, `attachments/${att.id}`), { version: '3.44' });
  assert.deepEqual(r.body, {
    itemNotFound: { code: 404, message: `Volume attachment could not be found with filter: attachment_id = ${att.id}.` },
  });
});

test('group types: created with 202 as Cinder; listed public only unless an admin asks is_public, sorted by sort', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const admin = { ...ADMIN, project: P1, version: '3.11' };
  const mk = (name: string, isPublic: boolean) => call(h, 'POST', v3(P1, 'group_types'), { ...admin, body: { group_type: { name, is_public: isPublic } } });
  assert.equal((await mk('b', true)).status, 202);
  await mk('a', false);
  await mk('c', true);
  const names = async (q: string, o: CallOptions = admin) => (await call(h, 'GET', v3(P1, `group_types${q}`), o)).body.group_types.map((g: { name: string }) => g.name);
  assert.deepEqual(await names(''), ['c', 'b'], 'public only, newest first');
  assert.deepEqual(await names('?is_public=None&sort=name:asc'), ['a', 'b', 'c']);
  assert.deepEqual(await names('?is_public=None&sort=name:desc'), ['c', 'b', 'a']);
  assert.deepEqual(await names('?is_public=false'), ['a']);
  assert.deepEqual(await names('?is_public=None', { project: P1, version: '3.11' }), ['c', 'b'], 'a member chooses nothing');
  const gt = (await call(h, 'GET', v3(P1, 'group_types?is_public=None&sort=name:asc'), admin)).body.group_types[0];
  assert.equal((await call(h, 'POST', v3(P1, `group_types/${gt.id}/group_specs`), { ...admin, body: { group_specs: { k: 'v' } } })).status, 202);
});
