// Cinder's volume quotas enforced at the gateway (volumes, gigabytes, snapshots, backups, the
// per-type and per-volume ones, extend) before any pod is asked, with Cinder's 413 answer, and
// usage counted from the routing table: a DELETE the pod accepted frees the quota at once, so
// creating and deleting past the limit never meets a false 413; `limits` and
// `os-quota-sets?usage=true` show the usage the checks count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { availableVolume, eventually, startVolumeCloud, volumeClient, waitStatus, type Cloud } from './helpers';

let cloud: Cloud;
const P = 'proj-vq';
const who = identity(P);
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const v = () => volumeClient(cloud, P, who);
const admin = () => volumeClient(cloud, 'admin-project', ADMIN);
const setQuota = async (q: Record<string, number>, project = P) => {
  const r = await admin()(`/os-quota-sets/${project}`, { method: 'PUT', body: { quota_set: q } });
  assert.equal(r.status, 200, r.text);
};
const podCreates = () => cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST').length);
const overLimit = (message: string) => ({ overLimit: { code: 413, message, retryAfter: '0' } });

test('volumes: the 4th of a quota of 3 is 413 in Cinder\'s words, before any pod; 30 deletes and creates never meet a false 413', async () => {
  await setQuota({ volumes: 3, gigabytes: 100 });
  const alive: string[] = [];
  for (const az of ['az1', 'az2', 'az1']) alive.push(await availableVolume(v(), { size: 2, availability_zone: az }));
  const before = podCreates();
  const over = await v()('/volumes', { method: 'POST', body: { volume: { size: 1 } } });
  assert.equal(over.status, 413);
  assert.deepEqual(over.body, overLimit("VolumeLimitExceeded: Maximum number of volumes allowed (3) exceeded for quota 'volumes'."));
  assert.equal(over.headers.get('retry-after'), '0');
  assert.deepEqual(podCreates(), before, 'refused before any pod');
  for (let i = 0; i < 30; i++) {
    const del = await v()(`/volumes/${alive.shift()}`, { method: 'DELETE' });
    assert.equal(del.status, 202, del.text);
    const r = await v()('/volumes', { method: 'POST', body: { volume: { size: 2, availability_zone: i % 2 ? 'az1' : 'az2' } } });
    assert.equal(r.status, 202, `create ${i} after a delete: ${r.status} ${r.text}`);
    alive.push(r.body.volume.id);
    await waitStatus(v(), `/volumes/${r.body.volume.id}`, 'volume', 'available');
  }
  const limits = (await v()('/limits')).body.limits.absolute;
  assert.deepEqual([limits.maxTotalVolumes, limits.totalVolumesUsed, limits.totalGigabytesUsed], [3, 3, 6]);
  const usage = (await v()(`/os-quota-sets/${P}?usage=True`)).body.quota_set;
  assert.deepEqual(usage.volumes, { limit: 3, in_use: 3, reserved: 0, allocated: 0 });
  assert.deepEqual(usage.gigabytes, { limit: 100, in_use: 6, reserved: 0, allocated: 0 });
  for (const id of alive) assert.equal((await v()(`/volumes/${id}`, { method: 'DELETE' })).status, 202);
  assert.equal((await v()('/limits')).body.limits.absolute.totalVolumesUsed, 0, 'deleted volumes stop counting at once');
});

test('gigabytes: a create, a snapshot (its volume\'s size) and an extend past the limit are 413 naming the sizes', async () => {
  await setQuota({ volumes: 10, gigabytes: 10, snapshots: 10 });
  const vol = await availableVolume(v(), { size: 4, availability_zone: 'az1' });
  const big = await v()('/volumes', { method: 'POST', body: { volume: { size: '7' } } });
  assert.deepEqual(big.body, overLimit('VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 7G, quota is 10G and 4G has been consumed.'));
  const snap = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol } } });
  assert.equal(snap.status, 202, snap.text);
  await waitStatus(v(), `/snapshots/${snap.body.snapshot.id}`, 'snapshot', 'available');
  assert.equal((await v()('/limits')).body.limits.absolute.totalGigabytesUsed, 8, 'a snapshot counts its volume\'s size');
  const snap2 = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol } } });
  assert.deepEqual(snap2.body, overLimit('VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 4G, quota is 10G and 8G has been consumed.'));
  const extend = await v()(`/volumes/${vol}/action`, { method: 'POST', body: { 'os-extend': { new_size: 7 } } });
  assert.deepEqual(extend.body, overLimit('VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 10G and 8G has been consumed.'));
  assert.equal((await v()(`/snapshots/${snap.body.snapshot.id}`, { method: 'DELETE' })).status, 202);
  const ok = await v()(`/volumes/${vol}/action`, { method: 'POST', body: { 'os-extend': { new_size: 7 } } });
  assert.equal(ok.status, 202, `extend: ${ok.text}`);
  assert.equal((await v()('/limits')).body.limits.absolute.totalGigabytesUsed, 7, 'the extend is counted');
  // Cinder refuses to delete a volume while its snapshot is still being deleted.
  await eventually(async () => (await v()(`/snapshots/${snap.body.snapshot.id}`)).status === 404);
  await waitStatus(v(), `/volumes/${vol}`, 'volume', 'available');
  assert.equal((await v()(`/volumes/${vol}`, { method: 'DELETE' })).status, 202);
});

test('snapshots and backups: counted per project, 413 past their limits', async () => {
  await setQuota({ gigabytes: 100, snapshots: 1, backups: 1, backup_gigabytes: 100 });
  const vol = await availableVolume(v(), { size: 1, availability_zone: 'az2' });
  const s1 = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol } } });
  assert.equal(s1.status, 202, s1.text);
  await waitStatus(v(), `/snapshots/${s1.body.snapshot.id}`, 'snapshot', 'available');
  const s2 = await v()('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol } } });
  assert.deepEqual(s2.body, overLimit('SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded'));
  const b1 = await v()('/backups', { method: 'POST', body: { backup: { volume_id: vol } } });
  assert.equal(b1.status, 202, b1.text);
  await waitStatus(v(), `/backups/${b1.body.backup.id}`, 'backup', 'available');
  const b2 = await v()('/backups', { method: 'POST', body: { backup: { volume_id: vol } } });
  assert.deepEqual(b2.body, overLimit('BackupLimitExceeded: Maximum number of backups allowed (1) exceeded'));
  const l = (await v()('/limits')).body.limits.absolute;
  assert.deepEqual([l.totalSnapshotsUsed, l.totalBackupsUsed, l.totalBackupGigabytesUsed], [1, 1, 1]);
  await setQuota({ backups: 5, backup_gigabytes: 1 });
  const b3 = await v()('/backups', { method: 'POST', body: { backup: { volume_id: vol } } });
  assert.deepEqual(b3.body, overLimit('VolumeBackupSizeExceedsAvailableQuota: Requested backup exceeds allowed Backup gigabytes quota. Requested 1G, quota is 1G and 1G has been consumed.'));
  assert.equal((await v()(`/backups/${b1.body.backup.id}`, { method: 'DELETE' })).status, 202);
  assert.equal((await v()(`/snapshots/${s1.body.snapshot.id}`, { method: 'DELETE' })).status, 202);
  const l2 = (await v()('/limits')).body.limits.absolute;
  assert.deepEqual([l2.totalSnapshotsUsed, l2.totalBackupsUsed], [0, 0], 'deleted ones stop counting at once');
});

test('per volume type and per volume: volumes_<type> and per_volume_gigabytes', async () => {
  assert.equal((await admin()('/types', { method: 'POST', body: { volume_type: { name: 'silver' } } })).status, 200);
  await setQuota({ volumes: 10, gigabytes: 100, volumes_silver: 1, per_volume_gigabytes: 5 });
  const huge = await v()('/volumes', { method: 'POST', body: { volume: { size: 6 } } });
  assert.deepEqual(huge.body, overLimit('VolumeSizeExceedsLimit: Requested volume size 6G is larger than maximum allowed limit 5G.'));
  // The type reaches the pods through a push job; a create while it is pending is a 409.
  let first;
  for (let i = 0; i < 100; i++) {
    first = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, volume_type: 'silver', availability_zone: 'az1' } } });
    if (first.status !== 409) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(first!.status, 202, first!.text);
  const second = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, volume_type: 'silver', availability_zone: 'az1' } } });
  assert.deepEqual(second.body, overLimit("VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes_silver'."));
  const usage = (await v()(`/os-quota-sets/${P}?usage=true`)).body.quota_set;
  assert.deepEqual(usage.volumes_silver, { limit: 1, in_use: 1, reserved: 0, allocated: 0 });
  assert.deepEqual(usage.gigabytes_silver, { limit: -1, in_use: 1, reserved: 0, allocated: 0 });
  const plain = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az1' } } });
  assert.equal(plain.status, 202, 'another type is not limited by silver\'s quota');
});

test('transfer accept: the receiver\'s quotas are checked as Cinder checks them, the volume then its snapshots; a refusal moves nothing', async () => {
  const donor = volumeClient(cloud, 'proj-vq-donor', identity('proj-vq-donor'));
  const vol = await availableVolume(donor, { size: 3, availability_zone: 'az2' });
  const snap = await donor('/snapshots', { method: 'POST', body: { snapshot: { volume_id: vol } } });
  assert.equal(snap.status, 202, snap.text);
  await waitStatus(donor, `/snapshots/${snap.body.snapshot.id}`, 'snapshot', 'available');
  const offer = async (noSnapshots: boolean) => {
    const r = await donor('/volume-transfers', { method: 'POST', body: { transfer: { volume_id: vol, no_snapshots: noSnapshots } }, version: '3.55' });
    assert.equal(r.status, 202, r.text);
    return r.body.transfer as { id: string; auth_key: string };
  };
  const R = 'proj-vq-receiver';
  const receiver = volumeClient(cloud, R, identity(R));
  const accept = (t: { id: string; auth_key: string }) =>
    receiver(`/volume-transfers/${t.id}/accept`, { method: 'POST', body: { accept: { auth_key: t.auth_key } }, version: '3.55' });
  const owner = async () => (await cloud.gw.store.routings.lookup(vol, 'volume'))?.project_id;
  const accepts = () => cloud.pods[1]!.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/accept')).length;

  await setQuota({ volumes: 10, gigabytes: 10, snapshots: 10, per_volume_gigabytes: 2 }, R);
  let t = await offer(false);
  const before = accepts();
  assert.deepEqual((await accept(t)).body, overLimit('VolumeSizeExceedsLimit: Requested volume size 3G is larger than maximum allowed limit 2G.'));

  await setQuota({ per_volume_gigabytes: -1, gigabytes: 5 }, R);
  // 3G volume fits (0 + 3 ≤ 5); its 3G snapshot on top of it does not (3 + 3 > 5).
  assert.deepEqual((await accept(t)).body, overLimit('VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 5G and 3G has been consumed.'));
  await setQuota({ gigabytes: 10, snapshots: 0 }, R);
  assert.deepEqual((await accept(t)).body, overLimit('SnapshotLimitExceeded: Maximum number of snapshots allowed (0) exceeded'));
  assert.equal(accepts(), before, 'refused before the pod was asked');
  assert.equal(await owner(), 'proj-vq-donor');
  assert.equal((await donor(`/volume-transfers/${t.id}`, { version: '3.55' })).status, 200, 'the transfer is still offered');

  // Without its snapshots the volume alone fits.
  assert.equal((await donor(`/volume-transfers/${t.id}`, { method: 'DELETE', version: '3.55' })).status, 202);
  await waitStatus(donor, `/volumes/${vol}`, 'volume', 'available');
  t = await offer(true);
  const ok = await accept(t);
  assert.equal(ok.status, 202, ok.text);
  assert.equal(await owner(), R);
  const usage = (await receiver(`/os-quota-sets/${R}?usage=true`)).body.quota_set;
  assert.deepEqual([usage.volumes.in_use, usage.gigabytes.in_use, usage.snapshots.in_use], [1, 3, 0]);
});

test('backup restore without a target: the volume it would create is checked against the volume quotas first', async () => {
  const R = 'proj-vq-restore';
  const r = volumeClient(cloud, R, identity(R));
  await setQuota({ volumes: 1, gigabytes: 10, backups: 5, backup_gigabytes: 10 }, R);
  const vol = await availableVolume(r, { size: 2, availability_zone: 'az1' });
  const b = await r('/backups', { method: 'POST', body: { backup: { volume_id: vol } } });
  assert.equal(b.status, 202, b.text);
  await waitStatus(r, `/backups/${b.body.backup.id}`, 'backup', 'available');
  const restores = () => cloud.pods[0]!.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/restore')).length;
  const before = restores();
  const over = await r(`/backups/${b.body.backup.id}/restore`, { method: 'POST', body: { restore: { name: 'again' } } });
  assert.deepEqual(over.body, overLimit("VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes'."));
  assert.equal(restores(), before, 'refused before the pod was asked');
  // Into the existing volume nothing new is created: no volume quota applies.
  const into = await r(`/backups/${b.body.backup.id}/restore`, { method: 'POST', body: { restore: { volume_id: vol } } });
  assert.equal(into.status, 202, into.text);
  await setQuota({ volumes: 2, gigabytes: 3 }, R);
  assert.deepEqual((await r(`/backups/${b.body.backup.id}/restore`, { method: 'POST', body: { restore: {} } })).body,
    overLimit('VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 2G, quota is 3G and 2G has been consumed.'));
});
