// Snapshots and backups: create -> available, shapes, state errors, delete,
// volume-from-snapshot, restore to new and existing volumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableVolume, call, harness, P1, P2, until, v3, attachInUse } from './helpers';

const SNAP_KEYS = ['created_at', 'description', 'id', 'metadata', 'name', 'size', 'status', 'updated_at', 'volume_id'];

test('snapshot create -> available, detail shape, volume with snapshot cannot be deleted', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1, { size: 2 });
  const r = await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: vol, name: 's1', metadata: { a: 'b' } } } });
  assert.equal(r.status, 202);
  assert.deepEqual(Object.keys(r.body.snapshot).sort(), SNAP_KEYS);
  assert.equal(r.body.snapshot.status, 'creating');
  assert.equal(r.body.snapshot.size, 2);
  const id = r.body.snapshot.id;
  await until(() => h.vol.snapshots.get(id)?.status === 'available', 'snapshot available');
  const shown = await call(h, 'GET', v3(P1, `snapshots/${id}`));
  assert.deepEqual(
    Object.keys(shown.body.snapshot).sort(),
    [...SNAP_KEYS, 'os-extended-snapshot-attributes:progress', 'os-extended-snapshot-attributes:project_id'].sort(),
  );
  assert.equal(shown.body.snapshot['os-extended-snapshot-attributes:progress'], '100%');
  const at341 = await call(h, 'GET', v3(P1, `snapshots/${id}`), { version: '3.41' });
  assert.equal(at341.body.snapshot.user_id, 'u1');
  const list = await call(h, 'GET', v3(P1, 'snapshots'));
  assert.deepEqual(list.body.snapshots.map((s: { id: string }) => s.id), [id]);
  assert.deepEqual((await call(h, 'GET', v3(P2, 'snapshots'))).body, { snapshots: [] });
  const del = await call(h, 'DELETE', v3(P1, `volumes/${vol}`));
  assert.equal(del.status, 400);

  const fromSnap = await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { snapshot_id: id } } });
  assert.equal(fromSnap.status, 202);
  assert.equal(fromSnap.body.volume.size, 2);
  assert.equal(fromSnap.body.volume.snapshot_id, id);

  const upd = await call(h, 'PUT', v3(P1, `snapshots/${id}`), { body: { snapshot: { name: 's2' } } });
  assert.equal(upd.body.snapshot.name, 's2');
  const meta = await call(h, 'POST', v3(P1, `snapshots/${id}/metadata`), { body: { metadata: { c: 'd' } } });
  assert.deepEqual(meta.body, { metadata: { a: 'b', c: 'd' } });
  assert.equal((await call(h, 'DELETE', v3(P1, `snapshots/${id}`))).status, 202);
  await until(() => !h.vol.snapshots.has(id), 'snapshot gone');
  assert.equal((await call(h, 'DELETE', v3(P1, `volumes/${vol}`))).status, 202);
});

test('snapshot of an in-use volume needs force (before 3.66)', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1);
  await attachInUse(h, vol, 'srv', '/dev/vdb', P1);
  let r = await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: vol } } });
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: `Invalid volume: Volume ${vol} status must be available, but current status is: in-use.` },
  });
  r = await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: vol, force: true } } });
  assert.equal(r.status, 202);
});

test('backup create -> available, detail, restore to new and existing volume', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1, { size: 3 });
  const r = await call(h, 'POST', v3(P1, 'backups'), { body: { backup: { volume_id: vol, name: 'b1' } } });
  assert.equal(r.status, 202);
  assert.deepEqual(Object.keys(r.body.backup).sort(), ['id', 'links', 'name']);
  const id = r.body.backup.id;
  assert.equal(h.vol.get(vol)!.status, 'backing-up');
  await until(() => h.vol.backups.get(id)?.status === 'available' && h.vol.get(vol)!.status === 'available', 'backup');
  const shown = await call(h, 'GET', v3(P1, `backups/${id}`));
  assert.deepEqual(Object.keys(shown.body.backup).sort(), [
    'availability_zone', 'container', 'created_at', 'data_timestamp', 'description', 'fail_reason',
    'has_dependent_backups', 'id', 'is_incremental', 'links', 'name', 'object_count', 'size', 'snapshot_id',
    'status', 'updated_at', 'volume_id',
  ]);
  assert.equal(shown.body.backup.size, 3);
  const detail = await call(h, 'GET', v3(P1, 'backups/detail'));
  assert.equal(detail.body.backups.length, 1);

  const restoredNew = await call(h, 'POST', v3(P1, `backups/${id}/restore`), { body: { restore: { name: 'fresh' } } });
  assert.equal(restoredNew.status, 202);
  assert.equal(restoredNew.body.restore.backup_id, id);
  assert.equal(restoredNew.body.restore.volume_name, 'fresh');
  const newVol = restoredNew.body.restore.volume_id;
  await until(() => h.vol.get(newVol)?.status === 'available' && h.vol.backups.get(id)!.status === 'available', 'restored');
  assert.equal(h.vol.get(newVol)!.size, 3);

  const tiny = await availableVolume(h, P1, { size: 1 });
  const tooSmall = await call(h, 'POST', v3(P1, `backups/${id}/restore`), { body: { restore: { volume_id: tiny } } });
  assert.deepEqual(tooSmall.body, {
    badRequest: { code: 400, message: 'Invalid volume: volume size 1 is too small to restore backup of size 3.' },
  });
  assert.equal((await call(h, 'DELETE', v3(P1, `backups/${id}`))).status, 202);
  await until(() => !h.vol.backups.has(id), 'backup gone');
});

test('backup of an in-use volume needs force', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1);
  await attachInUse(h, vol, 'srv', '/dev/vdb', P1);
  const r = await call(h, 'POST', v3(P1, 'backups'), { body: { backup: { volume_id: vol } } });
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: 'Invalid volume: Backing up an in-use volume must use the force flag.' },
  });
});

test('revert (3.40) to the latest snapshot only; in-use volume is 409', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const vol = await availableVolume(h, P1);
  const snap = async () => {
    const r = await call(h, 'POST', v3(P1, 'snapshots'), { body: { snapshot: { volume_id: vol } } });
    await until(() => h.vol.snapshots.get(r.body.snapshot.id)?.status === 'available', 'snapshot');
    return r.body.snapshot.id as string;
  };
  const first = await snap();
  const latest = await snap();
  const revert = (id: string) => call(h, 'POST', v3(P1, `volumes/${vol}/action`), { version: '3.40', body: { revert: { snapshot_id: id } } });
  let r = await revert(first);
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: `Specified snapshot ${first} is None or not the latest one of volume ${vol}.` },
  });
  r = await revert(latest);
  assert.equal(r.status, 202);
  assert.equal(h.vol.get(vol)!.status, 'reverting');
  await until(() => h.vol.get(vol)!.status === 'available', 'reverted');
  await attachInUse(h, vol, 'srv', '/dev/vdb', P1);
  r = await revert(latest);
  assert.equal(r.status, 409);
  assert.equal(r.body.conflictingRequest.code, 409);
});
