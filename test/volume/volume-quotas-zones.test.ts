// What the gateway keeps at the top besides types: the AZ list from enabled pods, volume quotas
// (show/defaults/update/delete with policy) and limits with usage counted from the routed volumes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, call, identity } from '../support/http';
import { startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-qz');
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }, { topAz: 'az2' }, { topAz: 'az3' }]);
  const r = await call(`${cloud.admin}/v1.0/pods/${cloud.podIds[3]}`, { method: 'PUT', headers: ADMIN, body: { pod: { enabled: false } } });
  assert.equal(r.status, 200, r.text);
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-qz', who);
const admin = () => volumeClient(cloud, 'admin-project', ADMIN);

test('os-availability-zone lists the top AZs of enabled pods, once each', async () => {
  const r = await v()('/os-availability-zone');
  assert.deepEqual(r.body, {
    availabilityZoneInfo: [
      { zoneName: 'az1', zoneState: { available: true } },
      { zoneName: 'az2', zoneState: { available: true } },
    ],
  });
});

test('limits: maxima from the top, usage counted from the routed volumes and their sizes', async () => {
  for (const [az, size] of [['az1', 2], ['az2', 3]] as const) {
    assert.equal((await v()('/volumes', { method: 'POST', body: { volume: { size, availability_zone: az } } })).status, 202);
  }
  const r = await v()('/limits');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.limits.rate, []);
  const a = r.body.limits.absolute;
  assert.deepEqual([a.maxTotalVolumes, a.maxTotalVolumeGigabytes, a.totalVolumesUsed, a.totalGigabytesUsed], [10, 1000, 2, 5]);
});

test('quota sets: defaults, own show with usage, admin update and delete, policy', async () => {
  const defaults = await v()('/os-quota-sets/proj-qz/defaults');
  assert.equal(defaults.body.quota_set.volumes, 10);
  assert.equal(defaults.body.quota_set.gigabytes, 1000);
  const own = await v()('/os-quota-sets/proj-qz?usage=true');
  assert.deepEqual(own.body.quota_set.volumes, { limit: 10, in_use: 2, reserved: 0, allocated: 0 });
  assert.deepEqual(own.body.quota_set.gigabytes, { limit: 1000, in_use: 5, reserved: 0, allocated: 0 });
  const others = await v()('/os-quota-sets/someone-else');
  assert.deepEqual(others.body, { forbidden: { code: 403, message: "Policy doesn't allow volume_extension:quotas:show to be performed." } });
  assert.equal((await v()('/os-quota-sets/proj-qz', { method: 'PUT', body: { quota_set: { volumes: 50 } } })).status, 403);

  const set = await admin()('/os-quota-sets/proj-qz', { method: 'PUT', body: { quota_set: { volumes: 50, gigabytes: '2000' } } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.quota_set.volumes, 50);
  assert.equal(set.body.quota_set.gigabytes, 2000);
  assert.equal((await v()('/limits')).body.limits.absolute.maxTotalVolumes, 50);
  assert.equal((await v()('/os-quota-sets/proj-qz')).body.quota_set.id, 'proj-qz');
  const badKey = await admin()('/os-quota-sets/proj-qz', { method: 'PUT', body: { quota_set: { wings: 2 } } });
  assert.deepEqual(badKey.body, { badRequest: { code: 400, message: 'Bad key(s) in quota set: wings' } });
  assert.equal((await admin()('/os-quota-sets/proj-qz', { method: 'PUT', body: { quota_set: { volumes: -2 } } })).status, 400);
  assert.equal((await admin()('/os-quota-sets/proj-qz', { method: 'PUT', body: { quota_set: { volumes: 'many' } } })).status, 400);
  assert.equal((await admin()('/os-quota-sets/proj-qz', { method: 'PUT', body: {} })).status, 400);

  assert.equal((await v()('/os-quota-sets/proj-qz', { method: 'DELETE' })).status, 403);
  assert.equal((await admin()('/os-quota-sets/proj-qz', { method: 'DELETE' })).status, 200);
  assert.equal((await v()('/os-quota-sets/proj-qz')).body.quota_set.volumes, 10);
});

test('per-type quotas follow the type catalog', async () => {
  assert.equal((await admin()('/types', { method: 'POST', body: { volume_type: { name: 'gold' } } })).status, 200);
  const q = await v()('/os-quota-sets/proj-qz');
  assert.equal(q.body.quota_set.volumes_gold, -1);
  const set = await admin()('/os-quota-sets/proj-qz', { method: 'PUT', body: { quota_set: { volumes_gold: 3 } } });
  assert.equal(set.body.quota_set.volumes_gold, 3);
});
