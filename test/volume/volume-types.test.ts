// The volume type catalog at the top: admin create/update/delete with Cinder's 400/403/404/409,
// private types honoured for non-admins, extra specs, type access; every change reaches each pod
// (its own type of the same name, under the pod's id) through a volume_type_push job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { eventually, startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const member = identity('proj-ty');
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const admin = () => volumeClient(cloud, 'admin-project', ADMIN);
const user = () => volumeClient(cloud, 'proj-ty', member);
const pushes = async (typeId: string) => (await cloud.gw.store.jobs.list({ type: 'volume_type_push' })).filter((j) => j.resource_id === typeId);
/** The type of that name in each pod, once every pod has it (undefined entries while not). */
const inPods = (name: string) => cloud.pods.map((p) => [...p.volumeService.types.values()].find((t) => t.name === name));
const everywhere = (name: string, check: (t: NonNullable<ReturnType<typeof inPods>[number]>) => boolean = () => true) =>
  eventually(async () => inPods(name).every((t) => t !== undefined && check(t)), 15_000);

test('admin creates a type: stored with specs, listed, one push job per pod', async () => {
  const r = await admin()('/types', { method: 'POST', body: { volume_type: { name: 'gold', description: 'fast', extra_specs: { volume_backend_name: 'lvm', multiattach: '<is> True' } } } });
  assert.equal(r.status, 200, r.text);
  const t = r.body.volume_type;
  assert.deepEqual({ ...t, id: undefined }, {
    id: undefined,
    name: 'gold',
    description: 'fast',
    is_public: true,
    extra_specs: { multiattach: '<is> True', volume_backend_name: 'lvm' },
    'os-volume-type-access:is_public': true,
  });
  assert.equal('qos_specs_id' in t, false, "Cinder's create view has no qos_specs_id");
  const jobs = await pushes(t.id);
  assert.deepEqual(jobs.map((j) => (j.payload as { pod_id: string }).pod_id).sort(), [...cloud.podIds].sort());
  await everywhere('gold', (pt) => pt.description === 'fast' && pt.extraSpecs.volume_backend_name === 'lvm' && pt.extraSpecs.multiattach === '<is> True');
  const podIds = inPods('gold').map((pt) => pt!.id);
  assert.ok(podIds.every((id) => id !== t.id), 'each pod has its own id for the type');
  await eventually(async () => (await cloud.gw.store.catalogState.list({ kind: 'volume_type', topId: t.id })).filter((x) => x.status === 'synced').length === 2);
  assert.deepEqual((await cloud.gw.store.catalogState.list({ kind: 'volume_type', topId: t.id })).map((x) => x.pod_item_id).sort(), [...podIds].sort());
  const shown = await user()(`/types/${t.id}`);
  assert.equal(shown.status, 200);
  assert.deepEqual(shown.body.volume_type.extra_specs, { multiattach: '<is> True' }, 'members see user-visible specs only');
  assert.equal('qos_specs_id' in shown.body.volume_type, false);
  assert.deepEqual((await user()('/types')).body.volume_types.map((x: { name: string }) => x.name), ['gold']);
});

test('non-admins may not manage types (403 with the policy rule)', async () => {
  const r = await user()('/types', { method: 'POST', body: { volume_type: { name: 'mine' } } });
  assert.deepEqual(r.body, { forbidden: { code: 403, message: "Policy doesn't allow volume_extension:types_manage to be performed." } });
  const id = (await admin()('/types')).body.volume_types[0].id;
  assert.equal((await user()(`/types/${id}`, { method: 'PUT', body: { volume_type: { name: 'x' } } })).status, 403);
  assert.equal((await user()(`/types/${id}`, { method: 'DELETE' })).status, 403);
  assert.equal((await user()(`/types/${id}/extra_specs`, { method: 'POST', body: { extra_specs: { a: 'b' } } })).status, 403);
});

const BAD_CREATES: [unknown, number, string][] = [
  [{}, 400, "Missing required element 'volume_type' in request body."],
  [{ volume_type: { name: '  ' } }, 400, 'Volume type name can not be empty.'],
  [{ volume_type: { name: 'x'.repeat(256) } }, 400, 'Type name has more than 255 characters.'],
  [{ volume_type: { name: 'd', description: 'x'.repeat(256) } }, 400, 'Volume type description has more than 255 characters.'],
  [{ volume_type: { name: 'p', 'os-volume-type-access:is_public': 'maybe' } }, 400, "Invalid value 'maybe' for is_public. Accepted values: True or False."],
  [{ volume_type: { name: 'gold' } }, 409, 'Volume Type gold already exists.'],
];
for (const [body, status, message] of BAD_CREATES) {
  test(`create ${JSON.stringify(body).slice(0, 60)} → ${status}`, async () => {
    const r = await admin()('/types', { method: 'POST', body });
    assert.equal(r.status, status);
    assert.equal(r.body[Object.keys(r.body)[0]!].message, message);
  });
}

test('update: rename, 400 for nothing to change, 404 unknown, 409 on a taken name', async () => {
  const silver = (await admin()('/types', { method: 'POST', body: { volume_type: { name: 'silver' } } })).body.volume_type;
  const r = await admin()(`/types/${silver.id}`, { method: 'PUT', body: { volume_type: { name: 'bronze', description: 'slow' } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.volume_type.name, 'bronze');
  await everywhere('bronze', (pt) => pt.description === 'slow');
  assert.deepEqual(inPods('silver'), [undefined, undefined], 'renamed in the pods, not copied');
  const nothing = await admin()(`/types/${silver.id}`, { method: 'PUT', body: { volume_type: {} } });
  assert.deepEqual(nothing.body, { badRequest: { code: 400, message: 'Specify volume type name, description, is_public or a combination thereof.' } });
  const unknown = await admin()('/types/nope', { method: 'PUT', body: { volume_type: { name: 'z' } } });
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Volume type nope could not be found.' } });
  const taken = await admin()(`/types/${silver.id}`, { method: 'PUT', body: { volume_type: { name: 'gold' } } });
  assert.deepEqual(taken.body, { conflictingRequest: { code: 409, message: 'Volume Type gold already exists.' } });
});

test('private types: hidden from other projects until given access; access list and actions', async () => {
  const priv = (await admin()('/types', { method: 'POST', body: { volume_type: { name: 'secret', 'os-volume-type-access:is_public': false } } })).body.volume_type;
  assert.equal(priv.is_public, false);
  assert.equal((await user()(`/types/${priv.id}`)).status, 404);
  assert.ok(!(await user()('/types')).body.volume_types.some((t: { id: string }) => t.id === priv.id));
  const action = (body: unknown) => admin()(`/types/${priv.id}/action`, { method: 'POST', body });
  assert.equal((await action({ addProjectAccess: { project: 'proj-ty' } })).status, 202);
  assert.equal((await action({ addProjectAccess: { project: 'proj-ty' } })).status, 409);
  assert.equal((await user()(`/types/${priv.id}`)).status, 200);
  assert.ok((await user()('/types')).body.volume_types.some((t: { id: string }) => t.id === priv.id));
  const access = await admin()(`/types/${priv.id}/os-volume-type-access`);
  assert.deepEqual(access.body, { volume_type_access: [{ volume_type_id: priv.id, project_id: 'proj-ty' }] });
  assert.equal((await user()(`/types/${priv.id}/os-volume-type-access`)).status, 403);
  assert.equal((await action({ removeProjectAccess: { project: 'proj-ty' } })).status, 202);
  assert.equal((await action({ removeProjectAccess: { project: 'proj-ty' } })).status, 404);
  assert.equal((await user()(`/types/${priv.id}`)).status, 404);
  const adminAll = await admin()('/types?is_public=None');
  assert.ok(adminAll.body.volume_types.some((t: { id: string }) => t.id === priv.id));
  const adminPublic = await admin()('/types');
  assert.ok(!adminPublic.body.volume_types.some((t: { id: string }) => t.id === priv.id), 'admins see public types unless they ask');
});

test('extra specs: list, set, show one key, put one key, delete; Cinder errors', async () => {
  const t = (await admin()('/types', { method: 'POST', body: { volume_type: { name: 'specs' } } })).body.volume_type;
  const s = (sub: string, init?: Parameters<ReturnType<typeof admin>>[1]) => admin()(`/types/${t.id}/extra_specs${sub}`, init);
  assert.deepEqual((await s('', { method: 'POST', body: { extra_specs: { a: '1', b: 2 } } })).body, { extra_specs: { a: '1', b: '2' } });
  assert.deepEqual((await s('')).body, { extra_specs: { a: '1', b: '2' } });
  assert.deepEqual((await s('/a')).body, { a: '1' });
  assert.deepEqual((await s('/a', { method: 'PUT', body: { a: '9' } })).body, { a: '9' });
  assert.deepEqual((await s('/a', { method: 'PUT', body: { b: '9' } })).body, { badRequest: { code: 400, message: 'Request body and URI mismatch' } });
  assert.deepEqual((await s('/a', { method: 'PUT', body: { a: '1', b: '2' } })).body, { badRequest: { code: 400, message: 'Request body contains too many items' } });
  assert.equal((await s('/a', { method: 'DELETE' })).status, 202);
  assert.deepEqual((await s('/a')).body, { itemNotFound: { code: 404, message: `Volume Type ${t.id} has no extra specs with key a.` } });
  assert.equal((await s('/a', { method: 'DELETE' })).status, 404);
  assert.ok((await pushes(t.id)).length >= 2, 'pushed to both pods');
  await everywhere('specs', (pt) => pt.extraSpecs.b === '2' && !('a' in pt.extraSpecs));
});

test('delete: 202, then 404; the deletion is pushed to every pod', async () => {
  const t = (await admin()('/types', { method: 'POST', body: { volume_type: { name: 'temp', extra_specs: { k: 'v' } } } })).body.volume_type;
  assert.equal((await admin()(`/types/${t.id}`, { method: 'DELETE' })).status, 202);
  assert.equal((await admin()(`/types/${t.id}`)).status, 404);
  assert.equal((await admin()(`/types/${t.id}`, { method: 'DELETE' })).status, 404);
  assert.deepEqual(await cloud.gw.store.volumeTypeSpecs.get(t.id), {});
  await eventually(async () => inPods('temp').every((x) => x === undefined), 15_000);
});

test('a project given access to a private type creates a volume of it at once (the access push is waited for)', async () => {
  const priv = (await admin()('/types', { method: 'POST', body: { volume_type: { name: 'granted', 'os-volume-type-access:is_public': false } } })).body.volume_type;
  await eventually(async () => (await pushes(priv.id)).every((j) => j.status === 'success') && (await pushes(priv.id)).length >= 2, 10_000);
  const create = () => user()('/volumes', { method: 'POST', body: { volume: { size: 1, volume_type: priv.id, availability_zone: 'az1' } } });
  assert.equal((await create()).status, 404, 'no access yet');
  assert.equal((await admin()(`/types/${priv.id}/action`, { method: 'POST', body: { addProjectAccess: { project: 'proj-ty' } } })).status, 202);
  const r = await create();
  assert.equal(r.status, 202, r.text);
});
