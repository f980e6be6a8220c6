// Snapshot actions Tempest's admin snapshot tests drive (reset status, update status with
// progress, force delete) and the extension list; the simulator answered 404 to both before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
