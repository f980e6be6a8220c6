// Cinder behaviours Tempest found the simulator missing: snapshot actions (reset status, update
// status with progress, force delete), the extension list and quota enforcement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimPod } from '@trio2o/podsim';
import { availableVolume, call, harness, P1, until, v3 } from './helpers';

const ADMIN = { roles: 'admin' };

test('snapshot actions: reset status (admin), update status with progress, force delete', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1);
  const id = (await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: vol } } })).body.snapshot.id;
  await until(async () => (await call(h, 'GET', v3(P1, `snapshots/${id}`))).body.snapshot.status === 'available');
  const action = (body: unknown, admin = false) => call(h, 'POST', v3(P1, `snapshots/${id}/action`), { ...(admin ? ADMIN : {}), body });
  assert.equal((await action({ 'os-reset_status': { status: 'creating' } })).status, 403);
  assert.equal((await action({ 'os-reset_status': { status: 'creating' } }, true)).status, 202);
  assert.equal((await action({ 'os-update_snapshot_status': { status: 'error', progress: '80%' } })).status, 202);
  const shown = (await call(h, 'GET', v3(P1, `snapshots/${id}`))).body.snapshot;
  assert.equal(shown.status, 'error');
  assert.equal(shown['os-extended-snapshot-attributes:progress'], '80%');
  assert.equal((await action({ 'os-update_snapshot_status': { status: 'available' } })).status, 400);
  assert.equal((await action({ 'os-force_delete': {} }, true)).status, 202);
  await until(async () => (await call(h, 'GET', v3(P1, `snapshots/${id}`))).status === 404);
});

test('the extension list names Cinder contrib extensions (Tempest looks for Hosts)', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const r = await call(h, 'GET', v3(P1, 'extensions'));
  assert.equal(r.status, 200);
  assert.ok(r.body.extensions.some((e: { name: string; alias: string }) => e.name === 'Hosts' && e.alias === 'os-hosts'));
});

test('quotas an admin set are enforced with 413 on volume create, snapshot create and extend', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1, { size: 1 });
  const put = await call(h, 'PUT', v3(P1, `os-quota-sets/${P1}`), { ...ADMIN, body: { quota_set: { volumes: 1, snapshots: 0, gigabytes: 1 } } });
  assert.equal(put.status, 200);
  const more = await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { size: 1 } } });
  assert.deepEqual(more.body, { overLimit: { code: 413, message: "Maximum number of volumes allowed (1) exceeded for quota 'volumes'." } });
  assert.equal((await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: vol } } })).status, 413);
  const ext = await call(h, 'POST', v3(P1, `volumes/${vol}/action`), { body: { 'os-extend': { new_size: 2 } } });
  assert.equal(ext.status, 413);
});

test('a trailing slash after a collection is 404; snapshots sort by display_name', async (t) => {
  const h = harness();
  t.after(() => h.close());
  assert.equal((await call(h, 'GET', v3(P1, 'volumes/'))).status, 404);
  // The pod's router is lenient about trailing slashes (strict: false); the 404 must survive it.
  const pod = await startSimPod();
  t.after(() => pod.close());
  const res = await fetch(`${pod.url}/volume/v3/${P1}/volumes/`, { headers: { 'x-auth-token': 't', 'x-project-id': P1 } });
  assert.equal(res.status, 404);
  assert.equal((await call(h, 'GET', v3(P1, 'volumes'))).status, 200);
  assert.equal((await call(h, 'GET', v3(P1, 'snapshots?sort_key=display_name&sort_dir=asc'))).status, 200);
  assert.equal((await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: null } } })).status, 404);
  assert.equal((await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: {} } })).status, 400);
});

test('os-hosts lists enabled services only, alive as available, as cinder/api/contrib/hosts.py does', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const hosts = async (query = '') => (await call(h, 'GET', v3(P1, `os-hosts${query}`), ADMIN)).body.hosts as { host_name: string; service: string; 'service-status': string; 'service-state': string }[];
  const before = await hosts();
  const volume = before.find((x) => x.service === 'cinder-volume')!;
  assert.ok(before.every((x) => x['service-status'] === 'available' && x['service-state'] === 'enabled'), JSON.stringify(before));
  const off = await call(h, 'PUT', v3(P1, 'os-services/disable'), { ...ADMIN, body: { host: volume.host_name, binary: 'cinder-volume' } });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  const after = await hosts();
  assert.deepEqual(after.map((x) => x.host_name + ' ' + x.service), before.filter((x) => x !== volume).map((x) => x.host_name + ' ' + x.service), 'the disabled service is left out');
  assert.ok(after.every((x) => x['service-status'] === 'available'), JSON.stringify(after));
  assert.deepEqual(await hosts('?zone=elsewhere'), []);
  assert.equal((await hosts('?zone=az1')).length, after.length);
});

test('os-services ?host= matches a host, its backends and pools, as Cinder\'s _filter_host', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const services = async (query = '') => ((await call(h, 'GET', v3(P1, `os-services${query}`), ADMIN)).body.services as { host: string; binary: string }[]).map((s) => `${s.binary} ${s.host}`).sort();
  const all = await services();
  const volume = all.find((s) => s.startsWith('cinder-volume '))!.split(' ')[1]!;
  assert.ok(volume.includes('@'), volume);
  const bare = volume.split('@')[0]!;
  assert.deepEqual(await services(`?host=${encodeURIComponent(bare)}`), all.filter((s) => s.split(' ')[1]!.split(/[@#]/)[0] === bare));
  assert.ok((await services(`?host=${encodeURIComponent(bare)}`)).includes(`cinder-volume ${volume}`));
  assert.deepEqual(await services(`?host=${encodeURIComponent(volume)}`), [`cinder-volume ${volume}`]);
  assert.deepEqual(await services(`?host=${encodeURIComponent(bare.slice(0, -1))}`), []);
});
