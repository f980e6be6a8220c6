// Nova's os-volumes / os-snapshots proxy through the gateway: creates scheduled and routed as the
// volume API routes Cinder volumes (the AZ's pod, quota, pending → complete, usage recorded), by-id
// calls routed, lists merged across pods, a DELETE removing nothing until the pod proves the
// volume gone, Nova's 403 for what Cinder's quota refuses, Nova's 404 from 2.36, and another
// project's volumes invisible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, call, identity } from '../support/http';
import { eventually, startVolumeCloud, volumeClient, type Cloud } from '../volume/helpers';

let cloud: Cloud;
const P = 'proj-osvol';
const OTHER = 'proj-osvol-b';
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

/** A compute call as `project` at `version` (none: 2.1). */
function nova(path: string, o: { project?: string; method?: string; body?: unknown; version?: string } = {}) {
  const project = o.project ?? P;
  const headers: Record<string, string> = { ...identity(project) };
  if (o.version) headers['openstack-api-version'] = `compute ${o.version}`;
  return call(`${cloud.compute}/v2.1/${project}${path}`, { method: o.method ?? (o.body ? 'POST' : 'GET'), body: o.body, headers });
}

const routing = async (id: string, type: string) => (await cloud.gw.store.routings.list({ top_id: id, resource_type: type }))[0];
const podCreates = () => cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST' && /os-(volumes|snapshots)$/.test(q.path)).length);

async function available(path: string, key: 'volume' | 'snapshot', project = P): Promise<void> {
  await eventually(async () => (await nova(path, { project })).body?.[key]?.status === 'available');
}

async function createVolume(volume: Record<string, unknown>, project = P): Promise<string> {
  const r = await nova('/os-volumes', { project, body: { volume: { size: 1, ...volume } } });
  assert.equal(r.status, 200, r.text);
  await available(`/os-volumes/${r.body.volume.id}`, 'volume', project);
  return r.body.volume.id;
}

test('create is scheduled into the AZ\'s pod and routed; show routed, shows the top AZ; usage recorded', async () => {
  const r = await nova('/os-volumes', { body: { volume: { size: 2, availability_zone: 'az2', display_name: 'nv1' } } });
  assert.equal(r.status, 200, r.text);
  const vol = r.body.volume;
  assert.equal(vol.availabilityZone, 'az2');
  assert.equal(vol.displayName, 'nv1');
  assert.deepEqual(vol.attachments, [{}]);
  assert.ok(cloud.pods[1]!.volumes.has(vol.id), 'made in Pod2');
  assert.equal(cloud.pods[1]!.volumes.get(vol.id)!.availabilityZone, 'az2-internal', 'the pod got its own AZ name');
  const row = await routing(vol.id, 'volume');
  assert.equal(row?.pod_id, cloud.podIds[1]);
  assert.equal(row?.status, 'active');
  assert.equal(row?.project_id, P);
  const shown = await nova(`/os-volumes/${vol.id}`);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.volume.availabilityZone, 'az2');
  assert.equal((await cloud.gw.store.volumeUsage.get(vol.id, 'volume'))?.sizeGb, 2);
  // The same volume through the volume API: one routing for both APIs.
  const cinder = await volumeClient(cloud, P, identity(P))(`/volumes/${vol.id}`);
  assert.equal(cinder.body.volume.availability_zone, 'az2');
});

test('lists merge both pods newest first; offset/limit over the whole; another project sees none of it', async () => {
  const a = await createVolume({ availability_zone: 'az1', display_name: 'l1' });
  const b = await createVolume({ availability_zone: 'az2', display_name: 'l2' });
  const all = await nova('/os-volumes/detail');
  assert.equal(all.status, 200);
  const ids = all.body.volumes.map((x: { id: string }) => x.id);
  assert.ok(ids.includes(a) && ids.includes(b), 'both pods listed');
  const created = all.body.volumes.map((x: { createdAt: string }) => x.createdAt);
  assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
  const summary = (await nova('/os-volumes')).body.volumes.map((x: { id: string }) => x.id);
  assert.deepEqual(summary, ids);
  const page = await nova('/os-volumes?offset=1&limit=1');
  assert.deepEqual(page.body.volumes.map((x: { id: string }) => x.id), [ids[1]]);
  assert.equal((await nova('/os-volumes?limit=x')).status, 400);
  const other = await nova('/os-volumes/detail', { project: OTHER });
  assert.deepEqual(other.body, { volumes: [] });
  const peek = await nova(`/os-volumes/${a}`, { project: OTHER });
  assert.equal(peek.status, 404);
  assert.equal((await routing(a, 'volume'))?.status, 'active', "another project's 404 costs the owner nothing");
  const del = await nova(`/os-volumes/${a}`, { project: OTHER, method: 'DELETE' });
  assert.equal(del.status, 404);
  assert.ok(cloud.pods[0]!.volumes.has(a));
});

test('snapshots: created in the volume\'s pod and routed; listed, shown, deleted', async () => {
  const vol = await createVolume({ availability_zone: 'az2' });
  const r = await nova('/os-snapshots', { body: { snapshot: { volume_id: vol, display_name: 'ns1' } } });
  assert.equal(r.status, 200, r.text);
  const id = r.body.snapshot.id;
  assert.equal(r.body.snapshot.volumeId, vol);
  assert.ok(cloud.pods[1]!.volumeService.snapshots.has(id), 'made in the volume\'s pod');
  assert.equal((await routing(id, 'snapshot'))?.pod_id, cloud.podIds[1]);
  assert.equal((await cloud.gw.store.volumeUsage.get(id, 'snapshot'))?.sizeGb, 1);
  await available(`/os-snapshots/${id}`, 'snapshot');
  assert.equal((await nova(`/os-snapshots/${id}`)).body.snapshot.displayName, 'ns1');
  assert.ok((await nova('/os-snapshots/detail')).body.snapshots.some((s: { id: string }) => s.id === id));
  assert.equal((await nova('/os-snapshots', { project: OTHER })).body.snapshots.length, 0);
  const unknown = await nova('/os-snapshots', { body: { snapshot: { volume_id: '00000000-0000-4000-8000-000000000000' } } });
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Volume 00000000-0000-4000-8000-000000000000 could not be found.' } });
  const del = await nova(`/os-snapshots/${id}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal((await routing(id, 'snapshot'))?.status, 'deleting');
  await eventually(async () => (await nova(`/os-snapshots/${id}`)).status === 404);
});

test('delete: accepted → deleting (stops counting), the routing goes only once the pod has no such volume', async () => {
  const vol = await createVolume({ availability_zone: 'az1' });
  const del = await nova(`/os-volumes/${vol}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal((await routing(vol, 'volume'))?.status, 'deleting');
  await eventually(async () => !cloud.pods[0]!.volumes.has(vol));
  await eventually(async () => (await nova(`/os-volumes/${vol}`)).status === 404);
  await eventually(async () => (await routing(vol, 'volume')) === undefined, 10_000);
});

test('invalid, zero and missing size are Nova\'s 400; nothing stays routed', async () => {
  const before = (await cloud.gw.store.routings.list({ project_id: P, resource_type: 'volume' })).length;
  for (const size of ['#$%', '', '0']) {
    const r = await nova('/os-volumes', { body: { volume: { size, display_name: 'bad', metadata: { Type: 'work' } } } });
    assert.equal(r.status, 400, `size ${JSON.stringify(size)}: ${r.text}`);
    assert.ok(r.body.badRequest.message, r.text);
  }
  const none = await nova('/os-volumes', { body: { volume: { display_name: 'bad' } } });
  assert.equal(none.status, 400);
  assert.match(none.body.badRequest.message, /'size' is a required property/);
  // Nova validates before it looks a source up: a bad body naming an unknown source is still 400.
  const ghost = '00000000-0000-4000-8000-00000000dead';
  assert.equal((await nova('/os-volumes', { body: { volume: { size: 'x', snapshot_id: ghost } } })).status, 400);
  const badSnap = await nova('/os-snapshots', { body: { snapshot: { volume_id: ghost, bogus: 1 } } });
  assert.equal(badSnap.status, 400, badSnap.text);
  assert.match(badSnap.body.badRequest.message, /Additional properties are not allowed \('bogus' was unexpected\)/);
  assert.equal((await cloud.gw.store.routings.list({ project_id: P, resource_type: 'volume' })).length, before);
  assert.equal((await cloud.gw.store.routings.list({ project_id: P, resource_type: 'snapshot', status: 'pending' })).length, 0);
});

test('over quota: Nova\'s 403 with Cinder\'s message for volumes, "Quota exceeded for resources: snapshots" for snapshots, before any pod', async () => {
  const Q = 'proj-osvol-q';
  const put = await call(`${cloud.volume}/v3/admin-project/os-quota-sets/${Q}`, { method: 'PUT', headers: ADMIN, body: { quota_set: { volumes: 1, snapshots: 0, gigabytes: 100 } } });
  assert.equal(put.status, 200, put.text);
  const vol = await createVolume({ availability_zone: 'az1' }, Q);
  const before = podCreates();
  const over = await nova('/os-volumes', { project: Q, body: { volume: { size: 1 } } });
  assert.equal(over.status, 403);
  assert.deepEqual(over.body, { forbidden: { code: 403, message: "VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes'." } });
  const snap = await nova('/os-snapshots', { project: Q, body: { snapshot: { volume_id: vol } } });
  assert.deepEqual(snap.body, { forbidden: { code: 403, message: 'Quota exceeded for resources: snapshots' } });
  assert.deepEqual(podCreates(), before, 'refused before any pod');
});

test('from 2.36 every proxy path is Nova\'s 404; no pod is asked', async () => {
  const before = cloud.pods.map((p) => p.requests.length);
  for (const [method, path] of [['GET', '/os-volumes'], ['GET', '/os-volumes/detail'], ['POST', '/os-volumes'], ['GET', '/os-snapshots'], ['DELETE', '/os-snapshots/x'], ['GET', '/os-volumes/x']] as const) {
    const r = await nova(path, { method, version: '2.36', body: method === 'POST' ? { volume: { size: 1 } } : undefined });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
  }
  assert.equal((await nova('/os-volumes', { version: '2.35' })).status, 200);
  assert.deepEqual(cloud.pods.map((p) => p.requests.filter((q) => q.headers['openstack-api-version'] === 'compute 2.36').length), before.map(() => 0));
});
