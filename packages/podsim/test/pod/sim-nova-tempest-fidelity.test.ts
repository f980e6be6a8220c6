// Simulator behaviours that Tempest showed to differ from real Nova (docs/tempest.md): each
// test pins what Nova does and what the simulator answered before the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { nova, startPod, waitFor } from './helpers';

const server = (extra: Record<string, unknown> = {}) => ({ server: { name: 'fid', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, ...extra } });

test('the legacy /v2 version document the version list links to answers (was 404)', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const list = (await (await fetch(`${pod.url}/compute/`)).json()) as { versions: { id: string; links: { href: string }[] }[] };
  const v20 = list.versions.find((v) => v.id === 'v2.0')!;
  const res = await fetch(v20.links[0]!.href);
  assert.equal(res.status, 200);
  const doc = (await res.json()) as { version: { id: string; status: string; links: { rel: string; href: string }[] } };
  assert.equal(doc.version.id, 'v2.0');
  assert.equal(doc.version.status, 'SUPPORTED');
  assert.deepEqual(doc.version.links.filter((l) => l.rel === 'self'), [{ rel: 'self', href: v20.links[0]!.href }]);
});

test('a flavor created with is_public "False" is private and non-admins cannot boot it', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const body = { flavor: { name: 'priv', ram: 64, vcpus: 1, disk: 1, id: '900', 'os-flavor-access:is_public': 'False' } };
  const made = await nova(pod, '/flavors', { body, admin: true });
  assert.equal(made.status, 200);
  assert.equal(made.body.flavor['os-flavor-access:is_public'], false);
  const bad = await nova(pod, '/flavors', { body: { flavor: { ...body.flavor, name: 'x', id: '901', 'os-flavor-access:is_public': 'maybe' } }, admin: true });
  assert.equal(bad.status, 400);
  const boot = await nova(pod, '/servers', { body: server({ flavorRef: '900' }) });
  assert.equal(boot.status, 400);
  assert.deepEqual(boot.body, { badRequest: { code: 400, message: 'Flavor 900 could not be found.' } });
  assert.equal((await nova(pod, '/servers', { body: server({ flavorRef: '900' }), admin: true })).status, 202);
});

test('hypervisor cpu_info is a string before 2.28 and an object from 2.28', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const old = await nova(pod, '/os-hypervisors/detail', { admin: true, version: '2.27' });
  assert.equal(old.body.hypervisors[0].cpu_info, '{}');
  const now = await nova(pod, '/os-hypervisors/detail', { admin: true, version: '2.28' });
  assert.deepEqual(now.body.hypervisors[0].cpu_info, {});
});

test('os-services filters by host and binary', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const byBinary = await nova(pod, '/os-services?binary=nova-compute', { admin: true });
  assert.deepEqual(byBinary.body.services.map((s: { binary: string }) => s.binary), ['nova-compute']);
  const host = byBinary.body.services[0].host;
  const both = await nova(pod, `/os-services?binary=nova-scheduler&host=${host}`, { admin: true });
  assert.deepEqual(both.body.services, []);
});

test('quotas set for a project are enforced on create and on upsize (403)', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const put = await nova(pod, '/os-quota-sets/p1', { method: 'PUT', body: { quota_set: { cores: 1, fixed_ips: 10 } }, admin: true });
  assert.equal(put.status, 200, 'pre-2.36 network quotas are accepted and ignored');
  const first = await nova(pod, '/servers', { body: server() });
  assert.equal(first.status, 202);
  const second = await nova(pod, '/servers', { body: server() });
  assert.equal(second.status, 403);
  assert.deepEqual(second.body, { forbidden: { code: 403, message: 'Quota exceeded for cores: Requested 1, but already used 1 of 1 cores' } });
  const id = first.body.server.id;
  await waitFor(async () => (await nova(pod, `/servers/${id}`)).body.server.status === 'ACTIVE');
  const resize = await nova(pod, `/servers/${id}/action`, { body: { resize: { flavorRef: '3' } } });
  assert.equal(resize.status, 403);
  const meta = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v']));
  assert.equal((await nova(pod, '/servers', { body: server({ metadata: meta }), project: 'p2' })).status, 403);
});

test('malformed ssh public keys are refused; accessIPv6 is compacted; changes-since must be ISO 8601', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const key = await nova(pod, '/os-keypairs', { body: { keypair: { name: 'k', public_key: `ssh-rsa ${'A'.repeat(2048)} openstack@ubuntu` } } });
  assert.equal(key.status, 400);
  assert.deepEqual(key.body, { badRequest: { code: 400, message: 'Keypair data is invalid: failed to generate fingerprint' } });
  const made = await nova(pod, '/servers', { body: server({ accessIPv6: '0000:0000:0000:0000:0000:babe:220.12.22.2' }) });
  assert.equal(made.status, 202);
  const shown = await nova(pod, `/servers/${made.body.server.id}`);
  assert.equal(shown.body.server.accessIPv6, '::babe:dc0c:1602');
  assert.equal((await nova(pod, '/servers', { body: server({ accessIPv6: 'not-an-ip' }) })).status, 400);
  assert.equal((await nova(pod, '/servers?changes-since=2011/01/01')).status, 400);
  assert.equal((await nova(pod, '/servers?changes-since=2011-01-01T00:00:00Z')).status, 200);
});

test('OS-DCF:diskConfig is kept from create and changed by update, rebuild and resize', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const made = await nova(pod, '/servers', { body: server({ 'OS-DCF:diskConfig': 'AUTO' }) });
  assert.equal(made.body.server['OS-DCF:diskConfig'], 'AUTO');
  const id = made.body.server.id;
  assert.equal((await nova(pod, `/servers/${id}`)).body.server['OS-DCF:diskConfig'], 'AUTO');
  const upd = await nova(pod, `/servers/${id}`, { method: 'PUT', body: { server: { 'OS-DCF:diskConfig': 'MANUAL' } } });
  assert.equal(upd.body.server['OS-DCF:diskConfig'], 'MANUAL');
  await waitFor(async () => (await nova(pod, `/servers/${id}`)).body.server.status === 'ACTIVE');
  const rebuilt = await nova(pod, `/servers/${id}/action`, { body: { rebuild: { imageRef: CIRROS_IMAGE_ID, 'OS-DCF:diskConfig': 'AUTO' } } });
  assert.equal(rebuilt.body.server['OS-DCF:diskConfig'], 'AUTO');
  assert.equal((await nova(pod, '/servers', { body: server({ 'OS-DCF:diskConfig': 'SOMETIMES' }) })).status, 400);
});

test('create refuses bad accessIPv4, malformed network uuids, bad BDM destinations and non-bootable volumes', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  assert.equal((await nova(pod, '/servers', { body: server({ accessIPv4: '1.1.1.1.1.1' }) })).status, 400);
  const net = await nova(pod, '/servers', { body: server({ networks: [{ fixed_ip: '10.0.1.1', uuid: 'a-b-c-d-e-f-g-h-i-j' }] }) });
  assert.deepEqual(net.body, { badRequest: { code: 400, message: 'Bad networks format: network uuid is not in proper format (a-b-c-d-e-f-g-h-i-j)' } });
  const vol = await fetch(`${pod.url}/volume/v3/p1/volumes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': 't', 'x-project-id': 'p1' },
    body: JSON.stringify({ volume: { size: 1, name: 'blank' } }),
  });
  const volId = ((await vol.json()) as { volume: { id: string } }).volume.id;
  await waitFor(() => (pod.volumes.get(volId) as { status: string } | undefined)?.status === 'available');
  const second = [{ source_type: 'image', uuid: CIRROS_IMAGE_ID, boot_index: 0, destination_type: 'local' }, { source_type: 'volume', uuid: volId, destination_type: 'invalid' }];
  assert.equal((await nova(pod, '/servers', { body: server({ block_device_mapping_v2: second }) })).status, 400);
  const blank = [{ boot_index: '0', uuid: volId, source_type: 'volume', destination_type: 'volume' }];
  const refused = await nova(pod, '/servers', { body: { server: { name: 'b', flavorRef: '1', block_device_mapping_v2: blank } } });
  assert.deepEqual(refused.body, { badRequest: { code: 400, message: `Block Device ${volId} is not bootable.` } });
});

test('from 2.21 a deleted server keeps its instance actions', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = (await nova(pod, '/servers', { body: server() })).body.server.id;
  await waitFor(async () => (await nova(pod, `/servers/${id}`)).body.server.status === 'ACTIVE');
  assert.equal((await nova(pod, `/servers/${id}`, { method: 'DELETE' })).status, 204);
  await waitFor(async () => (await nova(pod, `/servers/${id}`)).status === 404);
  const old = await nova(pod, `/servers/${id}/os-instance-actions`, { version: '2.20' });
  assert.equal(old.status, 404);
  const now = await nova(pod, `/servers/${id}/os-instance-actions`, { version: '2.21' });
  assert.equal(now.status, 200);
  assert.deepEqual(now.body.instanceActions.map((a: { action: string }) => a.action).sort(), ['create', 'delete']);
});

test('server groups per microversion, group hint membership; server password; extensions', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const old = await nova(pod, '/os-server-groups', { body: { server_group: { name: 'g', policies: ['affinity'] } } });
  assert.equal(old.status, 200);
  assert.deepEqual(Object.keys(old.body.server_group).sort(), ['id', 'members', 'metadata', 'name', 'policies']);
  const v264 = await nova(pod, '/os-server-groups', { version: '2.64', body: { server_group: { name: 'h', policy: 'anti-affinity' } } });
  assert.deepEqual(Object.keys(v264.body.server_group).sort(), ['id', 'members', 'name', 'policy', 'project_id', 'rules', 'user_id']);
  assert.equal((await nova(pod, '/os-server-groups', { body: { server_group: { name: 'x', policies: ['nope'] } } })).status, 400);
  const gid = old.body.server_group.id;
  const made = await nova(pod, '/servers', { body: { ...server(), 'os:scheduler_hints': { group: gid } } });
  assert.equal(made.status, 202);
  assert.deepEqual((await nova(pod, `/os-server-groups/${gid}`)).body.server_group.members, [made.body.server.id]);
  assert.deepEqual((await nova(pod, `/servers/${made.body.server.id}/os-server-password`)).body, { password: '' });
  assert.equal((await nova(pod, `/os-server-groups/${gid}`, { method: 'DELETE' })).status, 204);
  assert.equal((await nova(pod, `/os-server-groups/${gid}`)).status, 404);
  const ext = await nova(pod, '/extensions');
  assert.ok(ext.body.extensions.some((e: { name: string }) => e.name === 'Hosts'));
  assert.equal((await nova(pod, '/extensions/os-consoles')).body.extension.alias, 'os-consoles');
});
