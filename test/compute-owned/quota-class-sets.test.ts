// os-quota-class-sets owned by the gateway: the `default` class is what every project's limits
// start from; shapes per microversion; admin only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { api, ADMIN_WHO } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
});
after(() => cloud.close());

const admin = (path: string, opts: { version?: string; method?: string; body?: unknown } = {}) => api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO, ...opts });

test('show: Nova\'s defaults and keys per microversion; members refused', async () => {
  assert.equal((await api(cloud.compute, '/proj-a/os-quota-class-sets/default')).status, 403);
  const old = await admin('/os-quota-class-sets/default');
  assert.equal(old.status, 200, old.text);
  assert.deepEqual(Object.keys(old.body.quota_class_set).sort(), ['cores', 'fixed_ips', 'floating_ips', 'id', 'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files', 'instances', 'key_pairs', 'metadata_items', 'ram', 'security_group_rules', 'security_groups']);
  const v257 = await admin('/os-quota-class-sets/default', { version: '2.57' });
  assert.deepEqual(v257.body.quota_class_set, { id: 'default', instances: 10, cores: 20, ram: 51200, metadata_items: 128, key_pairs: 100, server_groups: 10, server_group_members: 10 });
});

test('update of the default class changes every project\'s defaults and limits; unknown keys are 400', async () => {
  const r = await admin('/os-quota-class-sets/default', { version: '2.57', method: 'PUT', body: { quota_class_set: { instances: 3, cores: 7 } } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.quota_class_set, { instances: 3, cores: 7, ram: 51200, metadata_items: 128, key_pairs: 100, server_groups: 10, server_group_members: 10 });
  assert.equal((await api(cloud.compute, '/proj-a/os-quota-sets/proj-a/defaults')).body.quota_set.instances, 3);
  assert.equal((await api(cloud.compute, '/proj-a/os-quota-sets/proj-a')).body.quota_set.cores, 7);
  assert.equal((await api(cloud.compute, '/proj-a/limits')).body.limits.absolute.maxTotalInstances, 3);
  const bad = await admin('/os-quota-class-sets/default', { version: '2.57', method: 'PUT', body: { quota_class_set: { floating_ips: 1 } } });
  assert.equal(bad.status, 400, 'nova-network quotas are gone at 2.57');
  const other = await admin('/os-quota-class-sets/gold', { version: '2.57', method: 'PUT', body: { quota_class_set: { instances: 50 } } });
  assert.equal(other.body.quota_class_set.instances, 50);
  assert.equal((await api(cloud.compute, '/proj-a/os-quota-sets/proj-a')).body.quota_set.instances, 3, 'only the default class is used');
  assert.equal((await admin('/os-quota-sets/quota_class:default')).status, 400, 'a project URL cannot reach a class');
  await admin('/os-quota-class-sets/default', { version: '2.57', method: 'PUT', body: { quota_class_set: { instances: 10, cores: 20 } } });
});
