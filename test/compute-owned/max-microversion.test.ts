// The gateway's maximum microversion (pods at 2.96, the gateway's ceiling): every owned
// resource answers in the newest shape — flavors, keypairs (2.92), quotas and limits (2.57),
// aggregates (2.41), and no image proxy (2.36+).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { api, ADMIN_WHO, keysOf } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1', computeMaxVersion: '2.96' }]);
});
after(() => cloud.close());

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBnCYm2VQ9QY2o7L8e1iJ1mF6qSx2pSa3o0ZrQ1G0ZqS me@host';

test('latest negotiates the ceiling 2.96; flavors in the newest shape', async () => {
  const r = await api(cloud.compute, '/proj-a/flavors/detail', { version: 'latest' });
  assert.equal(r.headers.get('openstack-api-version'), 'compute 2.96');
  assert.deepEqual(keysOf(r.body.flavors[0]), [
    'OS-FLV-DISABLED:disabled', 'OS-FLV-EXT-DATA:ephemeral', 'description', 'disk', 'extra_specs', 'id', 'links', 'name', 'os-flavor-access:is_public',
    'ram', 'rxtx_factor', 'swap', 'vcpus',
  ]);
  assert.equal(r.body.flavors[0].swap, 0);
  const strict = await api(cloud.compute, '/proj-a/flavors?name=m1.tiny', { version: '2.96' });
  assert.equal(strict.status, 400, '`name` is a filter only from 2.102; unknown params are refused from 2.75');
});

test('keypairs at 2.92: public_key required, names may hold @ and .', async () => {
  const gen = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.92', method: 'POST', body: { keypair: { name: 'g' } } });
  assert.equal(gen.status, 400);
  const r = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.92', method: 'POST', body: { keypair: { name: 'me@host.key', public_key: ED25519 } } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(keysOf(r.body.keypair), ['fingerprint', 'name', 'public_key', 'type', 'user_id']);
});

test('quotas, limits, aggregates and images at the maximum', async () => {
  const q = await api(cloud.compute, '/proj-a/os-quota-sets/proj-a', { version: 'latest' });
  assert.deepEqual(keysOf(q.body.quota_set), ['cores', 'id', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
  const l = await api(cloud.compute, '/proj-a/limits', { version: 'latest' });
  assert.equal('maxImageMeta' in l.body.limits.absolute, false);
  assert.equal('maxPersonality' in l.body.limits.absolute, false);
  const a = await api(cloud.compute, '/admin-project/os-aggregates', { who: ADMIN_WHO, version: 'latest' });
  assert.match(a.body.aggregates[0].uuid, /^[0-9a-f-]{36}$/);
  assert.equal((await api(cloud.compute, '/proj-a/images', { version: 'latest' })).status, 404);
});
