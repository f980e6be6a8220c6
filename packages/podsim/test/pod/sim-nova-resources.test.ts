// Pod-level Nova resources: flavors (+extra specs, access), keypairs, AZs, limits, quotas,
// services, hypervisors, aggregates, server external events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bootActive, nova, startPod } from './helpers';

test('flavors: seeds, detail per microversion, filters, paging', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const list = await nova(pod, '/flavors');
  assert.deepEqual(list.body.flavors.map((f: { id: string; name: string }) => `${f.id}:${f.name}`),
    ['1:m1.tiny', '2:m1.small', '3:m1.medium', '4:m1.large', '42:m1.nano', '5:m1.xlarge', '84:m1.micro']);
  assert.deepEqual(Object.keys(list.body.flavors[0]).sort(), ['id', 'links', 'name']);
  const d21 = (await nova(pod, '/flavors/1')).body.flavor;
  assert.deepEqual(Object.keys(d21).sort(), ['OS-FLV-DISABLED:disabled', 'OS-FLV-EXT-DATA:ephemeral', 'disk', 'id', 'links',
    'name', 'os-flavor-access:is_public', 'ram', 'rxtx_factor', 'swap', 'vcpus']);
  assert.equal(d21.swap, '');
  const d75 = (await nova(pod, '/flavors/1', { version: '2.75' })).body.flavor;
  assert.equal(d75.swap, 0);
  assert.equal(d75.description, null);
  assert.deepEqual(d75.extra_specs, {});
  assert.deepEqual((await nova(pod, '/flavors?minRam=4096')).body.flavors.map((f: { id: string }) => f.id), ['3', '4', '5']);
  const p1 = await nova(pod, '/flavors?limit=2');
  assert.equal(p1.body.flavors_links[0].rel, 'next');
  assert.deepEqual((await nova(pod, `/flavors?limit=2&marker=2`)).body.flavors.map((f: { id: string }) => f.id), ['3', '4']);
  assert.equal((await nova(pod, '/flavors?marker=zz')).status, 400);
  assert.equal((await nova(pod, '/flavors/999')).status, 404);
});

test('flavors: admin create/delete, extra specs, private access', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const body = { flavor: { name: 'priv', ram: 64, vcpus: 1, disk: 0, id: 'p-1', 'os-flavor-access:is_public': false } };
  assert.equal((await nova(pod, '/flavors', { body })).status, 403);
  const created = await nova(pod, '/flavors', { body, admin: true });
  assert.equal(created.status, 200);
  assert.equal(created.body.flavor['os-flavor-access:is_public'], false);
  assert.equal((await nova(pod, '/flavors', { body, admin: true })).status, 409);
  assert.equal((await nova(pod, '/flavors/p-1', { project: 'p2' })).status, 404, 'private flavor hidden');
  const acc = await nova(pod, '/flavors/p-1/action', { body: { addTenantAccess: { tenant: 'p2' } }, admin: true });
  assert.deepEqual(acc.body, { flavor_access: [{ flavor_id: 'p-1', tenant_id: 'p2' }] });
  assert.equal((await nova(pod, '/flavors/p-1', { project: 'p2' })).status, 200);
  const specs = await nova(pod, '/flavors/p-1/os-extra_specs', { body: { extra_specs: { 'hw:cpu_policy': 'dedicated' } }, admin: true });
  assert.deepEqual(specs.body, { extra_specs: { 'hw:cpu_policy': 'dedicated' } });
  assert.deepEqual((await nova(pod, '/flavors/p-1/os-extra_specs/hw:cpu_policy', { admin: true })).body, { 'hw:cpu_policy': 'dedicated' });
  assert.equal((await nova(pod, '/flavors/p-1/os-extra_specs/nope', { admin: true })).status, 404);
  assert.equal((await nova(pod, '/flavors/p-1', { method: 'DELETE', admin: true })).status, 202);
  assert.equal(pod.flavors.has('p-1'), false);
});

test('keypairs: generate, import, per user, versions', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const gen = await nova(pod, '/os-keypairs', { body: { keypair: { name: 'k1' } }, version: '2.2' });
  assert.equal(gen.status, 201);
  const k = gen.body.keypair;
  assert.deepEqual(Object.keys(k).sort(), ['fingerprint', 'name', 'private_key', 'public_key', 'type', 'user_id']);
  assert.match(k.public_key, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/=]+ /);
  const blob = Buffer.from(k.public_key.split(' ')[1], 'base64');
  assert.equal(k.fingerprint, createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'));
  assert.match(k.private_key, /BEGIN PRIVATE KEY/);
  assert.equal(k.type, 'ssh');
  const imp = await nova(pod, '/os-keypairs', { body: { keypair: { name: 'k2', public_key: k.public_key } } });
  assert.equal(imp.status, 200);
  assert.equal(imp.body.keypair.private_key, undefined);
  assert.equal((await nova(pod, '/os-keypairs', { body: { keypair: { name: 'k1' } } })).status, 409);
  const list = await nova(pod, '/os-keypairs');
  assert.deepEqual(list.body.keypairs.map((x: { keypair: { name: string } }) => x.keypair.name), ['k1', 'k2']);
  const show = await nova(pod, '/os-keypairs/k1');
  assert.deepEqual(Object.keys(show.body.keypair).sort(),
    ['created_at', 'deleted', 'deleted_at', 'fingerprint', 'id', 'name', 'public_key', 'updated_at', 'user_id']);
  assert.equal((await nova(pod, '/os-keypairs/k1', { user: 'other' })).status, 404, 'keypairs are per user');
  const img = [...pod.images.keys()][0];
  const boot = await nova(pod, '/servers', { body: { server: { name: 'withkey', flavorRef: '1', imageRef: img, key_name: 'k1' } } });
  assert.equal(boot.status, 202);
  assert.equal((await nova(pod, `/servers/${boot.body.server.id}`)).body.server.key_name, 'k1');
  const other = await nova(pod, '/servers', { user: 'other', body: { server: { name: 'x', flavorRef: '1', imageRef: img, key_name: 'k1' } } });
  assert.equal(other.body.badRequest.message, 'Invalid key_name provided.', "another user's key is unknown");
  assert.equal((await nova(pod, '/os-keypairs/k1', { method: 'DELETE' })).status, 202);
  assert.equal((await nova(pod, '/os-keypairs/k2', { method: 'DELETE', version: '2.2' })).status, 204);
});

test('availability zones, limits, quotas', async (t) => {
  const pod = await startPod({ az: 'az-q' });
  t.after(() => pod.close());
  assert.deepEqual((await nova(pod, '/os-availability-zone')).body,
    { availabilityZoneInfo: [{ zoneName: 'az-q', zoneState: { available: true }, hosts: null }] });
  assert.equal((await nova(pod, '/os-availability-zone/detail')).status, 403);
  const detail = await nova(pod, '/os-availability-zone/detail', { admin: true });
  assert.deepEqual(detail.body.availabilityZoneInfo.map((z: { zoneName: string }) => z.zoneName), ['internal', 'az-q']);
  await bootActive(pod);
  const lim = (await nova(pod, '/limits')).body.limits;
  assert.deepEqual(lim.rate, []);
  assert.equal(lim.absolute.totalInstancesUsed, 1);
  assert.equal(lim.absolute.totalRAMUsed, 512);
  assert.ok('maxPersonality' in lim.absolute);
  assert.equal('maxPersonality' in (await nova(pod, '/limits', { version: '2.57' })).body.limits.absolute, false);
  const q = (await nova(pod, '/os-quota-sets/p1')).body.quota_set;
  assert.equal(q.id, 'p1');
  assert.equal(q.instances, 10);
  assert.equal((await nova(pod, '/os-quota-sets/p1', { method: 'PUT', body: { quota_set: { instances: 1 } } })).status, 403);
  const upd = await nova(pod, '/os-quota-sets/p1', { method: 'PUT', body: { quota_set: { instances: 1 } }, admin: true });
  assert.equal(upd.body.quota_set.instances, 1);
  const over = await nova(pod, '/servers', { body: { server: { name: 'x', flavorRef: '1', imageRef: [...pod.images.keys()][0] } } });
  assert.equal(over.status, 403);
  assert.match(over.body.forbidden.message, /Quota exceeded for instances/);
});

test('services, hypervisors, aggregates, external events (admin)', async (t) => {
  const pod = await startPod({ name: 'PodS', az: 'az-s' });
  t.after(() => pod.close());
  const a = { admin: true };
  assert.equal((await nova(pod, '/os-services')).status, 403);
  const svcs = (await nova(pod, '/os-services', a)).body.services;
  assert.deepEqual(svcs.map((s: { binary: string }) => s.binary), ['nova-scheduler', 'nova-conductor', 'nova-compute']);
  assert.equal(svcs[2].zone, 'az-s');
  assert.equal(typeof (await nova(pod, '/os-services', { ...a, version: '2.53' })).body.services[0].id, 'string');
  assert.equal((await nova(pod, '/os-hypervisors', a)).body.hypervisors[0].hypervisor_hostname, 'pods-compute-1');
  assert.deepEqual((await nova(pod, '/os-aggregates', a)).body.aggregates, [], 'the compute host is in no aggregate: its zone is the default one');
  const id = await bootActive(pod);
  const ev = await nova(pod, '/os-server-external-events', {
    ...a, body: { events: [{ name: 'network-changed', server_uuid: id }, { name: 'network-changed', server_uuid: 'nope' }] },
  });
  assert.equal(ev.status, 207);
  assert.deepEqual(ev.body.events.map((e: { code: number }) => e.code), [200, 404]);
  const none = await nova(pod, '/os-server-external-events', { ...a, body: { events: [{ name: 'network-changed', server_uuid: 'nope' }] } });
  assert.equal(none.status, 404);
});
