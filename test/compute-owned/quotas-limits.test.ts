// Quota sets and limits stored at the top: shapes at 2.1 / 2.36 / 2.57, admin-only changes (403,
// not the original's 409), usage counted from the routing table, and Nova's API-level checks on
// server create (metadata, personality, instances/cores/ram) answered before any pod is touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, ADMIN_WHO, ALICE, BOB, keysOf } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const ALL = ['cores', 'fixed_ips', 'floating_ips', 'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files', 'instances', 'key_pairs',
  'metadata_items', 'ram', 'security_group_rules', 'security_groups', 'server_group_members', 'server_groups'];
const V236 = ALL.filter((k) => !['fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups'].includes(k));
const V257 = V236.filter((k) => !k.startsWith('injected_'));

test('show/defaults per microversion; a member sees only their own project', async () => {
  const s21 = await api(cloud.compute, '/proj-a/os-quota-sets/proj-a');
  assert.equal(s21.status, 200);
  assert.deepEqual(s21.body.quota_set, {
    id: 'proj-a', instances: 10, cores: 20, ram: 51200, metadata_items: 128, injected_files: 5, injected_file_content_bytes: 10240,
    injected_file_path_bytes: 255, key_pairs: 100, server_groups: 10, server_group_members: 10, fixed_ips: -1, floating_ips: -1,
    security_groups: -1, security_group_rules: -1,
  });
  assert.deepEqual(keysOf((await api(cloud.compute, '/proj-a/os-quota-sets/proj-a', { version: '2.36' })).body.quota_set), ['id', ...V236].sort());
  assert.deepEqual(keysOf((await api(cloud.compute, '/proj-a/os-quota-sets/proj-a/defaults', { version: '2.57' })).body.quota_set), ['id', ...V257].sort());
  const other = await api(cloud.compute, '/proj-a/os-quota-sets/proj-b');
  assert.deepEqual(other.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed." } });
  assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-b', { who: ADMIN_WHO })).status, 200);
});

test('update and delete are admin only (403); admin update validates and answers without id', async () => {
  const denied = await api(cloud.compute, '/proj-a/os-quota-sets/proj-a', { method: 'PUT', body: { quota_set: { instances: 50 } } });
  assert.deepEqual(denied.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed." } });
  assert.equal((await api(cloud.compute, '/proj-a/os-quota-sets/proj-a', { method: 'DELETE' })).status, 403);
  const up = await api(cloud.compute, '/admin-project/os-quota-sets/proj-q', { who: ADMIN_WHO, version: '2.57', method: 'PUT', body: { quota_set: { instances: '7', cores: -1 } } });
  assert.equal(up.status, 200, up.text);
  assert.deepEqual(keysOf(up.body.quota_set), V257.sort());
  assert.equal(up.body.quota_set.instances, 7);
  assert.equal(up.body.quota_set.cores, -1);
  for (const bad of [{ quota_set: { instances: -2 } }, { quota_set: { bogus: 1 } }, { quota_set: { instances: 'many' } }, {}]) {
    assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-q', { who: ADMIN_WHO, method: 'PUT', body: bad })).status, 400, JSON.stringify(bad));
  }
  assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-q', { who: ADMIN_WHO, version: '2.57', method: 'PUT', body: { quota_set: { injected_files: 1 } } })).status, 400, 'personality quotas are gone at 2.57');
  const perUser = await api(cloud.compute, '/admin-project/os-quota-sets/proj-q?user_id=u1', { who: ADMIN_WHO, method: 'PUT', body: { quota_set: { instances: 9 } } });
  assert.deepEqual(perUser.body, { badRequest: { code: 400, message: 'Quota limit 9 for instances must be less than or equal to 7.' } });
  assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-q?user_id=u1', { who: ADMIN_WHO, method: 'PUT', body: { quota_set: { instances: 3 } } })).status, 200);
  assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-q?user_id=u1', { who: ADMIN_WHO })).body.quota_set.instances, 3);
  const del = await api(cloud.compute, '/admin-project/os-quota-sets/proj-q', { who: ADMIN_WHO, method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-q', { who: ADMIN_WHO })).body.quota_set.instances, 10, 'back to the default');
  assert.equal((await api(cloud.compute, '/admin-project/os-quota-sets/proj-q?user_id=u1', { who: ADMIN_WHO })).body.quota_set.instances, 10, 'user rows went too');
});

test('usage from the routing table: detail and limits count servers, cores and RAM; quota below usage is 400 without force', async () => {
  const boot = (flavorRef: string) => api(cloud.compute, '/proj-b/servers', { who: BOB, method: 'POST', body: { server: { name: 'u', flavorRef, imageRef: CIRROS_IMAGE_ID } } });
  assert.equal((await boot('1')).status, 202);
  assert.equal((await boot('2')).status, 202);
  const d = await api(cloud.compute, '/proj-b/os-quota-sets/proj-b/detail', { who: BOB });
  assert.deepEqual(d.body.quota_set.instances, { in_use: 2, limit: 10, reserved: 0 });
  assert.deepEqual(d.body.quota_set.cores, { in_use: 2, limit: 20, reserved: 0 });
  assert.deepEqual(d.body.quota_set.ram, { in_use: 512 + 2048, limit: 51200, reserved: 0 });
  const l = await api(cloud.compute, '/proj-b/limits', { who: BOB });
  assert.deepEqual(l.body, {
    limits: {
      rate: [],
      absolute: {
        maxTotalRAMSize: 51200, maxTotalInstances: 10, maxTotalCores: 20, maxTotalKeypairs: 100, maxTotalFloatingIps: -1, maxServerMeta: 128,
        maxImageMeta: 128, maxPersonality: 5, maxPersonalitySize: 10240, maxSecurityGroups: -1, maxSecurityGroupRules: -1, maxServerGroups: 10,
        maxServerGroupMembers: 10, totalRAMUsed: 2560, totalCoresUsed: 2, totalInstancesUsed: 2, totalFloatingIpsUsed: 0, totalSecurityGroupsUsed: 0,
        totalServerGroupsUsed: 0,
      },
    },
  });
  assert.deepEqual(keysOf((await api(cloud.compute, '/proj-b/limits', { who: BOB, version: '2.57' })).body.limits.absolute), [
    'maxServerGroupMembers', 'maxServerGroups', 'maxServerMeta', 'maxTotalCores', 'maxTotalInstances', 'maxTotalKeypairs', 'maxTotalRAMSize',
    'totalCoresUsed', 'totalInstancesUsed', 'totalRAMUsed', 'totalServerGroupsUsed',
  ]);
  assert.equal((await api(cloud.compute, '/proj-b/limits?tenant_id=proj-a', { who: BOB })).status, 403);
  assert.equal((await api(cloud.compute, '/admin-project/limits?tenant_id=proj-b', { who: ADMIN_WHO })).body.limits.absolute.totalInstancesUsed, 2);
  const low = await api(cloud.compute, '/admin-project/os-quota-sets/proj-b', { who: ADMIN_WHO, method: 'PUT', body: { quota_set: { instances: 1 } } });
  assert.deepEqual(low.body, { badRequest: { code: 400, message: 'Quota limit 1 for instances must be greater than or equal to already used and reserved 2.' } });
  const forced = await api(cloud.compute, '/admin-project/os-quota-sets/proj-b', { who: ADMIN_WHO, method: 'PUT', body: { quota_set: { instances: 2, force: true } } });
  assert.equal(forced.status, 200);
  const counts = cloud.pods.map((p) => p.requests.length);
  const over = await boot('1');
  assert.deepEqual(over.body, { forbidden: { code: 403, message: 'Quota exceeded for instances: Requested 1, but already used 2 of 2 instances' } });
  assert.deepEqual(cloud.pods.map((p) => p.requests.length), counts, 'refused before any pod');
});

test('create checks: metadata items 403, long metadata 400, personality 403 (and not checked from 2.57), cores 403', async () => {
  await api(cloud.compute, '/admin-project/os-quota-sets/proj-a', { who: ADMIN_WHO, method: 'PUT', body: { quota_set: { metadata_items: 2, injected_files: 1, injected_file_path_bytes: 10, cores: 2 } } });
  const boot = (extra: Record<string, unknown>, version?: string) =>
    api(cloud.compute, '/proj-a/servers', { who: ALICE, version, method: 'POST', body: { server: { name: 'q', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, ...extra } } });
  assert.deepEqual((await boot({ metadata: { a: '1', b: '2', c: '3' } })).body, { forbidden: { code: 403, message: 'Maximum number of metadata items exceeds 2' } });
  assert.deepEqual((await boot({ metadata: { a: 'x'.repeat(256) } })).body, { badRequest: { code: 400, message: 'Invalid metadata size: Metadata property value greater than 255 characters' } });
  const two = [{ path: '/a', contents: 'YQ==' }, { path: '/b', contents: 'Yg==' }];
  assert.deepEqual((await boot({ personality: two })).body, { forbidden: { code: 403, message: 'Personality file limit exceeded' } });
  assert.deepEqual((await boot({ personality: [{ path: '/a/very/long/path', contents: 'YQ==' }] })).body, { forbidden: { code: 403, message: 'Personality file path exceeds maximum 10' } });
  const at257 = await boot({ personality: two }, '2.57');
  assert.equal(at257.status, 400, 'from 2.57 personality is not a quota question: the pod refuses the field');
  assert.equal((await boot({ metadata: { a: '1' } })).status, 202, 'within quota');
  const large = await api(cloud.compute, '/proj-a/servers', { who: ALICE, method: 'POST', body: { server: { name: 'big', flavorRef: `${cloud.compute}/v2.1/flavors/3`, imageRef: CIRROS_IMAGE_ID } } });
  assert.deepEqual(large.body, { forbidden: { code: 403, message: 'Quota exceeded for cores: Requested 2, but already used 1 of 2 cores' } });
});
