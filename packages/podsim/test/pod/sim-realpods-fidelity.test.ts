// Simulator behaviours that the real pods of test/realpods (Debian 12's Nova 26 and Cinder 21,
// Zed) showed to differ: each test pins what the real services answered, so the fast suite
// keeps catching what only the slow one could find. The list is in docs/realpods.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import type { SimPod } from '@trio2o/podsim';
import { bootActive, nova, startPod, waitFor, waitStatus } from './helpers';

const act = (pod: SimPod, id: string, body: unknown, o: Parameters<typeof nova>[2] = {}) =>
  nova(pod, `/servers/${id}/action`, { ...o, body });

/** Cinder over HTTP as project p1 (trust mode), as the pod serves it. */
async function cinder(pod: SimPod, method: string, path: string, body?: unknown, version?: string) {
  const res = await fetch(`${pod.url}/volume/v3/p1${path}`, {
    method,
    headers: {
      'x-auth-token': 't', 'x-project-id': 'p1', 'x-user-id': 'p1-user', 'x-roles': 'member', 'content-type': 'application/json',
      ...(version ? { 'openstack-api-version': `volume ${version}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Every distinct value `read` returns until `done` holds (the states a resource went through). */
async function trail(read: () => Promise<string> | string, done: (v: string) => boolean, timeoutMs = 3000): Promise<string[]> {
  const seen: string[] = [];
  await waitFor(async () => {
    const v = await read();
    if (seen[seen.length - 1] !== v) seen.push(v);
    return done(v);
  }, timeoutMs);
  return seen;
}

const NAIVE_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000$/;
const NAIVE_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

test('networks "none": no addresses and no security_groups in show, detail, update and ips; the create answer keeps default', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const made = await nova(pod, '/servers', { version: '2.79', body: { server: { name: 'nonet', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, networks: 'none' } } });
  assert.deepEqual(made.body.server.security_groups, [{ name: 'default' }]);
  const id = made.body.server.id;
  await waitStatus(pod, id, 'ACTIVE');
  const shown = (await nova(pod, `/servers/${id}`, { version: '2.79' })).body.server;
  assert.deepEqual(shown.addresses, {});
  assert.equal('security_groups' in shown, false);
  const detail = (await nova(pod, '/servers/detail', { version: '2.79' })).body.servers[0];
  assert.deepEqual(detail.addresses, {});
  assert.equal('security_groups' in detail, false);
  const put = (await nova(pod, `/servers/${id}`, { method: 'PUT', version: '2.79', body: { server: { name: 'n2' } } })).body.server;
  assert.deepEqual(put.addresses, {});
  assert.deepEqual((await nova(pod, `/servers/${id}/ips`)).body, { addresses: {} });
  // A server with a network (auto, or none asked before 2.37) still has one.
  const auto = await bootActive(pod, { name: 'net' });
  assert.ok(Object.keys((await nova(pod, `/servers/${auto}`)).body.server.addresses).length > 0);
});

test('reboot shows the API task state: SOFT rebooting (REBOOT), HARD rebooting_hard (HARD_REBOOT)', async (t) => {
  const pod = await startPod({ transitionMs: 200 });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  await act(pod, id, { reboot: { type: 'SOFT' } });
  let s = (await nova(pod, `/servers/${id}`)).body.server;
  assert.deepEqual([s.status, s['OS-EXT-STS:task_state']], ['REBOOT', 'rebooting']);
  await waitStatus(pod, id, 'ACTIVE');
  await act(pod, id, { reboot: { type: 'HARD' } });
  s = (await nova(pod, `/servers/${id}`)).body.server;
  assert.deepEqual([s.status, s['OS-EXT-STS:task_state']], ['HARD_REBOOT', 'rebooting_hard']);
});

test('confirmResize answers 204 and the server stays VERIFY_RESIZE (no task) until the compute confirms', async (t) => {
  const pod = await startPod({ transitionMs: 100 });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  await act(pod, id, { resize: { flavorRef: '2' } });
  await waitStatus(pod, id, 'VERIFY_RESIZE');
  assert.equal((await act(pod, id, { confirmResize: null })).status, 204);
  const s = (await nova(pod, `/servers/${id}`)).body.server;
  assert.deepEqual([s.status, s['OS-EXT-STS:task_state'], s['OS-EXT-STS:vm_state']], ['VERIFY_RESIZE', null, 'resized']);
  await waitStatus(pod, id, 'ACTIVE');
});

test('shelve ends SHELVED_OFFLOADED (shelved_offload_time 0) with no host; the AZ shown is the one asked for, else empty', async (t) => {
  const pod = await startPod({ az: 'az1', transitionMs: 50 });
  t.after(() => pod.close());
  const plain = await bootActive(pod, { name: 'plain' });
  const made = await nova(pod, '/servers', { body: { server: { name: 'zoned', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } } });
  const zoned = made.body.server.id;
  await waitStatus(pod, zoned, 'ACTIVE');
  for (const id of [plain, zoned]) {
    assert.equal((await act(pod, id, { shelve: null })).status, 202);
    const seen = await trail(async () => (await nova(pod, `/servers/${id}`)).body.server.status, (v) => v === 'SHELVED_OFFLOADED');
    assert.ok(!seen.includes('SHELVED'), seen.join(','));
    const s = (await nova(pod, `/servers/${id}`, { admin: true, version: '2.79' })).body.server;
    assert.equal(s['OS-EXT-SRV-ATTR:host'], null);
    assert.equal(s['OS-EXT-SRV-ATTR:hypervisor_hostname'], null);
    assert.equal(s['OS-EXT-STS:power_state'], 4);
    assert.equal(s['OS-EXT-AZ:availability_zone'], id === zoned ? 'az1' : '');
    assert.equal((await act(pod, id, { shelveOffload: null })).status, 409, 'already offloaded');
  }
  await act(pod, plain, { unshelve: null });
  const tasks = await trail(async () => {
    const s = (await nova(pod, `/servers/${plain}`)).body.server;
    return `${s.status}/${s['OS-EXT-STS:task_state']}`;
  }, (v) => v === 'ACTIVE/null');
  assert.deepEqual(tasks, ['SHELVED_OFFLOADED/unshelving', 'SHELVED_OFFLOADED/spawning', 'ACTIVE/null']);
  assert.equal((await nova(pod, `/servers/${plain}`)).body.server['OS-EXT-AZ:availability_zone'], 'az1');
});

test('instance actions, their events and keypairs show naive timestamps to the second (.000000), as read from the DB', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const list = (await nova(pod, `/servers/${id}/os-instance-actions`, { version: '2.58' })).body.instanceActions;
  assert.match(list[0].start_time, NAIVE_SECONDS);
  assert.match(list[0].updated_at, NAIVE_SECONDS);
  const one = (await nova(pod, `/servers/${id}/os-instance-actions/${list[0].request_id}`, { version: '2.58' })).body.instanceAction;
  assert.match(one.events[0].start_time, NAIVE_SECONDS);
  assert.match(one.events[0].finish_time, NAIVE_SECONDS);
  await nova(pod, '/os-keypairs', { version: '2.2', body: { keypair: { name: 'k' } } });
  assert.match((await nova(pod, '/os-keypairs/k', { version: '2.2' })).body.keypair.created_at, NAIVE_SECONDS);
});

test('limits: maxImageMeta is gone from 2.39 (the image-metadata proxy went with it)', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  assert.equal((await nova(pod, '/limits', { version: '2.38' })).body.limits.absolute.maxImageMeta, 128);
  assert.equal('maxImageMeta' in (await nova(pod, '/limits', { version: '2.39' })).body.limits.absolute, false);
});

test('a volume attached by Nova goes reserved, attaching, in-use with no admin metadata shown; detach goes detaching, available', async (t) => {
  const pod = await startPod({ transitionMs: 50 });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const vol = (await cinder(pod, 'POST', '/volumes', { volume: { size: 1 } })).body.volume.id;
  await waitFor(async () => (await cinder(pod, 'GET', `/volumes/${vol}`)).body.volume.status === 'available');
  const att = await nova(pod, `/servers/${id}/os-volume_attachments`, { version: '2.79', body: { volumeAttachment: { volumeId: vol } } });
  assert.equal(att.status, 200);
  const up = await trail(async () => (await cinder(pod, 'GET', `/volumes/${vol}`)).body.volume.status, (v) => v === 'in-use');
  assert.deepEqual(up, ['reserved', 'attaching', 'in-use']);
  assert.deepEqual((await cinder(pod, 'GET', `/volumes/${vol}`)).body.volume.metadata, {});
  assert.equal((await nova(pod, `/servers/${id}/os-volume_attachments/${vol}`, { method: 'DELETE' })).status, 202);
  const attachedWhileDetaching = (await nova(pod, `/servers/${id}`, { version: '2.79' })).body.server['os-extended-volumes:volumes_attached'];
  assert.deepEqual(attachedWhileDetaching.map((a: { id: string }) => a.id), [vol]);
  const down = await trail(async () => (await cinder(pod, 'GET', `/volumes/${vol}`)).body.volume.status, (v) => v === 'available');
  assert.deepEqual(down, ['detaching', 'available']);
  assert.deepEqual((await nova(pod, `/servers/${id}`, { version: '2.79' })).body.server['os-extended-volumes:volumes_attached'], []);
});

test('the 3.27 attachments API complete sets no attached_mode/readonly (only os-attach does)', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const vol = (await cinder(pod, 'POST', '/volumes', { volume: { size: 1 } })).body.volume.id;
  await waitFor(async () => (await cinder(pod, 'GET', `/volumes/${vol}`)).body.volume.status === 'available');
  const a = await cinder(pod, 'POST', '/attachments', { attachment: { volume_uuid: vol, instance_uuid: '0f0f0f0f-0000-4000-8000-000000000000', connector: { host: 'h', mountpoint: '/dev/vdb' } } }, '3.54');
  assert.equal((await cinder(pod, 'POST', `/attachments/${a.body.attachment.id}/action`, { 'os-complete': null }, '3.54')).status, 204);
  const v = (await cinder(pod, 'GET', `/volumes/${vol}`)).body.volume;
  assert.equal(v.status, 'in-use');
  assert.deepEqual(v.metadata, {});
});

test('boot from a blank volume needs no imageRef: Nova makes <id>-blank-vol, attaches it at the root, deletes it with the server', async (t) => {
  const pod = await startPod({ transitionMs: 30 });
  t.after(() => pod.close());
  const bdm = [{ boot_index: 0, source_type: 'blank', destination_type: 'volume', volume_size: 1, delete_on_termination: true }];
  const made = await nova(pod, '/servers', { version: '2.79', body: { server: { name: 'blank', flavorRef: '1', networks: 'none', block_device_mapping_v2: bdm } } });
  assert.equal(made.status, 202, JSON.stringify(made.body));
  const id = made.body.server.id;
  const build = await trail(async () => {
    const s = (await nova(pod, `/servers/${id}`)).body.server;
    return `${s.status}/${s['OS-EXT-STS:task_state']}`;
  }, (v) => v === 'ACTIVE/null');
  assert.ok(build.includes('BUILD/block_device_mapping'), build.join(','));
  const s = (await nova(pod, `/servers/${id}`, { version: '2.79' })).body.server;
  assert.equal(s.image, '');
  const [attached] = s['os-extended-volumes:volumes_attached'];
  assert.equal(attached.delete_on_termination, true);
  const v = (await cinder(pod, 'GET', `/volumes/${attached.id}`)).body.volume;
  assert.deepEqual([v.name, v.description, v.status, v.bootable], [`${id}-blank-vol`, '', 'in-use', 'false']);
  assert.equal(v.attachments[0].device, '/dev/vda');
  assert.equal(v.attachments[0].server_id, id);
  await nova(pod, `/servers/${id}`, { method: 'DELETE' });
  await waitFor(async () => (await cinder(pod, 'GET', `/volumes/${attached.id}`)).status === 404, 3000);
});

test('boot from an image-made volume (BDM image -> volume): a nameless bootable volume with the image metadata; kept without delete_on_termination', async (t) => {
  const pod = await startPod({ transitionMs: 30 });
  t.after(() => pod.close());
  const bdm = [{ boot_index: 0, uuid: CIRROS_IMAGE_ID, source_type: 'image', destination_type: 'volume', volume_size: 1 }];
  const made = await nova(pod, '/servers', { version: '2.79', body: { server: { name: 'img', flavorRef: '1', networks: 'none', block_device_mapping_v2: bdm } } });
  assert.equal(made.status, 202, JSON.stringify(made.body));
  const id = made.body.server.id;
  await waitStatus(pod, id, 'ACTIVE', { version: '2.79' });
  const [attached] = (await nova(pod, `/servers/${id}`, { version: '2.79' })).body.server['os-extended-volumes:volumes_attached'];
  assert.equal(attached.delete_on_termination, false);
  const v = (await cinder(pod, 'GET', `/volumes/${attached.id}`)).body.volume;
  assert.deepEqual([v.name, v.bootable, v.volume_image_metadata.image_id], ['', 'true', CIRROS_IMAGE_ID]);
  await nova(pod, `/servers/${id}`, { method: 'DELETE' });
  await waitFor(async () => (await cinder(pod, 'GET', `/volumes/${attached.id}`)).body.volume.status === 'available', 3000);
});

test('Cinder: the create answer shows created_at to the microsecond; stored timestamps have whole seconds', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const made = (await cinder(pod, 'POST', '/volumes', { volume: { size: 1 } })).body.volume;
  assert.match(made.created_at, NAIVE_MICROS);
  await waitFor(async () => (await cinder(pod, 'GET', `/volumes/${made.id}`)).body.volume.status === 'available');
  const shown = (await cinder(pod, 'GET', `/volumes/${made.id}`)).body.volume;
  assert.match(shown.created_at, NAIVE_SECONDS);
  assert.match(shown.updated_at, NAIVE_SECONDS);
  assert.equal(shown.created_at, `${made.created_at.slice(0, 19)}.000000`);
  const snap = (await cinder(pod, 'POST', '/snapshots', { snapshot: { volume_id: made.id } })).body.snapshot;
  assert.match(snap.created_at, NAIVE_MICROS);
  assert.match((await cinder(pod, 'GET', `/snapshots/${snap.id}`)).body.snapshot.created_at, NAIVE_SECONDS);
});

test('Cinder: a volume made from an image records signature_verified "False" in its image metadata', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const made = (await cinder(pod, 'POST', '/volumes', { volume: { size: 1, imageRef: CIRROS_IMAGE_ID } })).body.volume;
  await waitFor(async () => (await cinder(pod, 'GET', `/volumes/${made.id}`)).body.volume.status === 'available');
  const meta = (await cinder(pod, 'GET', `/volumes/${made.id}`)).body.volume.volume_image_metadata;
  assert.equal(meta.signature_verified, 'False');
  assert.equal(meta.image_id, CIRROS_IMAGE_ID);
});
