// Server life cycle of the simulated Nova: create validation, BUILD -> ACTIVE, update,
// delete -> 404, tenant isolation and admin all_tenants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { bootActive, nova, startPod, waitFor } from './helpers';

const good = { name: 'vm1', flavorRef: '1', imageRef: CIRROS_IMAGE_ID };

test('create answers 202 with the create view, then BUILD becomes ACTIVE', async (t) => {
  const pod = await startPod({ transitionMs: 400, az: 'az9' });
  t.after(() => pod.close());
  const r = await nova(pod, '/servers', { body: { server: good }, projectInUrl: true });
  assert.equal(r.status, 202);
  const s = r.body.server;
  assert.deepEqual(Object.keys(s).sort(), ['OS-DCF:diskConfig', 'adminPass', 'id', 'links', 'security_groups']);
  assert.deepEqual(s.security_groups, [{ name: 'default' }]);
  assert.equal(s.links[0].href, `${pod.url}/compute/v2.1/p1/servers/${s.id}`);
  assert.equal(s.links[1].href, `${pod.url}/compute/p1/servers/${s.id}`);
  assert.equal(r.headers.get('location'), s.links[0].href);
  const first = await nova(pod, `/servers/${s.id}`);
  assert.equal(first.body.server.status, 'BUILD');
  assert.deepEqual(first.body.server.addresses, {});
  assert.equal(first.body.server['OS-EXT-AZ:availability_zone'], 'az9');
  await waitFor(async () => (await nova(pod, `/servers/${s.id}`)).body.server.status === 'ACTIVE');
  const active = (await nova(pod, `/servers/${s.id}`)).body.server;
  assert.equal(active['OS-EXT-STS:power_state'], 1);
  assert.ok(active['OS-SRV-USG:launched_at']);
  assert.equal(active.addresses.private[0].version, 4);
  assert.equal(pod.servers.get(s.id)?.vmState, 'active');
});

test('create validation mirrors Nova', async (t) => {
  const pod = await startPod({ az: 'az1' });
  t.after(() => pod.close());
  const bad = async (server: Record<string, unknown>, message: string, version?: string) => {
    const r = await nova(pod, '/servers', { body: { server }, version });
    assert.equal(r.status, 400, message);
    assert.equal(r.body.badRequest.message, message);
  };
  await bad({ ...good, flavorRef: '999' }, 'Flavor 999 could not be found.');
  await bad({ ...good, imageRef: 'ffffffff-0000-0000-0000-000000000000' }, 'Can not find requested image');
  await bad({ ...good, availability_zone: 'elsewhere' }, 'The requested availability zone is not available');
  await bad({ ...good, key_name: 'nokey' }, 'Invalid key_name provided.');
  await bad({ ...good, min_count: 3, max_count: 2 }, 'min_count must be <= max_count');
  const { imageRef: _omit, ...noImage } = good;
  await bad(noImage, 'Invalid imageRef provided.');
  const missingNet = await nova(pod, '/servers', { body: { server: good }, version: '2.37' });
  assert.equal(missingNet.status, 400);
  assert.match(missingNet.body.badRequest.message, /'networks' is a required property/);
  const extra = await nova(pod, '/servers', { body: { server: { ...good, description: 'd' } }, version: '2.18' });
  assert.match(extra.body.badRequest.message, /Additional properties are not allowed \('description' was unexpected\)/);
  assert.equal((await nova(pod, '/servers', { body: { server: { ...good, availability_zone: 'az1' } } })).status, 202);
  assert.equal((await nova(pod, '/servers', { body: { server: { ...good, networks: 'none' } }, version: '2.37' })).status, 202);
});

test('multi-create names servers name-N; return_reservation_id', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const r = await nova(pod, '/servers', { body: { server: { ...good, name: 'multi', min_count: 3 } } });
  assert.equal(r.status, 202);
  const names = [...pod.servers.values()].map((s) => s.name).sort();
  assert.deepEqual(names, ['multi-1', 'multi-2', 'multi-3']);
  const rr = await nova(pod, '/servers', { body: { server: { ...good, return_reservation_id: true } } });
  assert.match(rr.body.reservation_id, /^r-[0-9a-f]{8}$/);
});

test('multi-create: one reservation_id, listed by it, launch indexes 0..N-1', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const rr = await nova(pod, '/servers', { body: { server: { ...good, name: 'res', min_count: 3, return_reservation_id: true } } });
  const reservation = rr.body.reservation_id;
  const listed = await nova(pod, `/servers/detail?reservation_id=${reservation}`, { version: '2.47', admin: true });
  assert.equal(listed.body.servers.length, 3);
  assert.ok(listed.body.servers.every((s: Record<string, unknown>) => s['OS-EXT-SRV-ATTR:reservation_id'] === reservation));
  assert.deepEqual(listed.body.servers.map((s: Record<string, unknown>) => s['OS-EXT-SRV-ATTR:launch_index']).sort(), [0, 1, 2]);
});

test('block_device_mapping_v2 to a volume: Nova makes the volume in the pod Cinder, attached; delete_on_termination removes it', async (t) => {
  const pod = await startPod({ transitionMs: 5 });
  t.after(() => pod.close());
  const bdm = [
    { boot_index: 0, source_type: 'image', destination_type: 'volume', uuid: CIRROS_IMAGE_ID, volume_size: 1, delete_on_termination: true },
    { boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 2 },
  ];
  const r = await nova(pod, '/servers', { body: { server: { name: 'bfv', flavorRef: '1', block_device_mapping_v2: bdm } } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const id = r.body.server.id;
  // Nova makes and attaches the volumes while the server builds; it is ACTIVE once they are in-use.
  await waitFor(async () => (await nova(pod, `/servers/${id}`)).body.server.status === 'ACTIVE');
  const shown = (await nova(pod, `/servers/${id}`, { version: '2.3' })).body.server;
  const attached = shown['os-extended-volumes:volumes_attached'].map((v: { id: string }) => v.id);
  assert.equal(attached.length, 2);
  const [boot, blank] = attached.map((v: string) => pod.volumes.get(v)!);
  assert.deepEqual([boot!.size, boot!.bootable, boot!.status, boot!.projectId], [1, true, 'in-use', 'p1']);
  assert.equal(boot!.attachments[0]!.device, '/dev/vda');
  assert.deepEqual([blank!.size, blank!.bootable], [2, false]);
  const noSize = await nova(pod, '/servers', { body: { server: { name: 'x', flavorRef: '1', block_device_mapping_v2: [{ ...bdm[0], volume_size: undefined }] } } });
  assert.equal(noSize.status, 400);
  assert.equal((await nova(pod, `/servers/${id}`, { method: 'DELETE' })).status, 204);
  await waitFor(async () => !pod.volumes.has(boot!.id));
  assert.equal(pod.volumes.get(blank!.id)?.status, 'available', 'kept without delete_on_termination');
});

test('update renames; delete is 204 then 404', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const u = await nova(pod, `/servers/${id}`, { method: 'PUT', body: { server: { name: 'renamed', description: 'hello' } }, version: '2.19' });
  assert.equal(u.status, 200);
  assert.equal(u.body.server.name, 'renamed');
  assert.equal(u.body.server.description, 'hello');
  const d = await nova(pod, `/servers/${id}`, { method: 'DELETE' });
  assert.equal(d.status, 204);
  await waitFor(async () => (await nova(pod, `/servers/${id}`)).status === 404);
  assert.equal(pod.servers.has(id), false);
  const gone = await nova(pod, `/servers/${id}`);
  assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
  const since = await nova(pod, '/servers/detail?changes-since=2000-01-01T00:00:00Z');
  assert.equal(since.body.servers.find((s: { id: string }) => s.id === id)?.status, 'DELETED');
});

test('a project sees only its servers; admin all_tenants sees all', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const a = await bootActive(pod, { project: 'pa' });
  const b = await bootActive(pod, { project: 'pb' });
  const listA = await nova(pod, '/servers', { project: 'pa' });
  assert.deepEqual(listA.body.servers.map((s: { id: string }) => s.id), [a]);
  assert.equal((await nova(pod, `/servers/${b}`, { project: 'pa' })).status, 404);
  assert.equal((await nova(pod, `/servers/${b}`, { project: 'pa', method: 'DELETE' })).status, 404);
  const denied = await nova(pod, '/servers?all_tenants=1', { project: 'pa' });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.forbidden.message, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.");
  const all = await nova(pod, '/servers/detail?all_tenants=1', { project: 'adm', admin: true });
  assert.deepEqual(all.body.servers.map((s: { id: string }) => s.id).sort(), [a, b].sort());
  const onlyB = await nova(pod, '/servers?all_tenants=1&tenant_id=pb', { project: 'adm', admin: true });
  assert.deepEqual(onlyB.body.servers.map((s: { id: string }) => s.id), [b]);
  assert.deepEqual((await nova(pod, '/servers', { project: 'adm', admin: true })).body.servers, [], 'admin without all_tenants: own project');
  assert.equal((await nova(pod, `/servers/${b}`, { project: 'adm', admin: true })).status, 200);
});

test('filters: name regex, status, availability_zone', async (t) => {
  const pod = await startPod({ az: 'zone-x', computeMaxVersion: '2.83' });
  t.after(() => pod.close());
  const web = await bootActive(pod, { name: 'web-1' });
  const db = await bootActive(pod, { name: 'db-1' });
  await nova(pod, `/servers/${db}/action`, { body: { 'os-stop': null } });
  await waitFor(async () => (await nova(pod, `/servers/${db}`)).body.server.status === 'SHUTOFF');
  const ids = async (q: string, version?: string) => (await nova(pod, `/servers${q}`, { version })).body.servers.map((s: { id: string }) => s.id);
  assert.deepEqual(await ids('?name=^web'), [web]);
  assert.deepEqual(await ids('?status=SHUTOFF'), [db]);
  assert.deepEqual(await ids('?status=active'), [web]);
  assert.deepEqual(await ids('?status=BOGUS'), []);
  assert.equal((await nova(pod, '/servers?status=BOGUS', { version: '2.38' })).status, 400);
  assert.equal((await ids('?availability_zone=zone-x', '2.83')).length, 2);
  assert.deepEqual(await ids('?availability_zone=other', '2.83'), []);
  assert.equal((await ids('?availability_zone=other', '2.79')).length, 2, 'ignored for non-admin below 2.83');
});

test('boot from volume: no image, volume attached and in-use, detached on delete', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  // The volume comes from the pod's real Cinder service, as it would in a cloud; made from an
  // image so Cinder marks it bootable (Nova refuses a non-bootable boot volume).
  const made = await fetch(`${pod.url}/volume/v3/p1/volumes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': 't', 'x-project-id': 'p1' },
    body: JSON.stringify({ volume: { size: 1, name: 'boot', imageRef: CIRROS_IMAGE_ID } }),
  });
  const volId = ((await made.json()) as { volume: { id: string } }).volume.id;
  await waitFor(() => (pod.volumes.get(volId) as { status: string } | undefined)?.status === 'available');
  const bdm = [{ boot_index: 0, uuid: volId, source_type: 'volume', destination_type: 'volume', delete_on_termination: false }];
  const missing = await nova(pod, '/servers', { body: { server: { name: 'b', flavorRef: '1', block_device_mapping_v2: [{ ...bdm[0], uuid: 'nope' }] } } });
  assert.equal(missing.body.badRequest.message, 'Volume nope could not be found.');
  const r = await nova(pod, '/servers', { body: { server: { name: 'b', flavorRef: '1', block_device_mapping_v2: bdm } } });
  assert.equal(r.status, 202);
  const id = r.body.server.id;
  const s = (await nova(pod, `/servers/${id}`)).body.server;
  assert.equal(s.image, '');
  assert.deepEqual(s['os-extended-volumes:volumes_attached'], [{ id: volId }]);
  // Nova reserves the volume at once; the compute completes the attachment a little later.
  assert.notEqual((pod.volumes.get(volId) as { status: string }).status, 'available');
  await waitFor(() => (pod.volumes.get(volId) as { status: string }).status === 'in-use');
  await nova(pod, `/servers/${id}`, { method: 'DELETE' });
  await waitFor(() => !pod.servers.has(id));
  await waitFor(() => (pod.volumes.get(volId) as { status: string }).status === 'available');
});
