// Volume actions with Cinder's state checks: reserve/attach/detach family,
// extend, readonly, bootable, retype, admin actions and dispatch errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { action, availableVolume, call, harness, P1, until, v3, attachInUse } from './helpers';

const SERVER = '0f0e0d0c-0b0a-4909-8807-060504030201';

test('dispatch: unknown action and two keys are 400 before lookup', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const r = await action(h, P1, 'no-such-volume', 'os-frobnicate', {});
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message: 'There is no such action: os-frobnicate. Verify the request body and Content-Type header and try again.',
    },
  });
  const two = await call(h, 'POST', v3(P1, 'volumes/x/action'), { body: { 'os-reserve': null, 'os-unreserve': null } });
  assert.deepEqual(two.body, { badRequest: { code: 400, message: 'Malformed request body' } });
  const missing = await action(h, P1, 'no-such-volume', 'os-reserve', null);
  assert.deepEqual(missing.body, { itemNotFound: { code: 404, message: 'Volume no-such-volume could not be found.' } });
});

test('reserve -> attach -> begin_detaching -> roll -> detach, with state errors', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  assert.equal((await action(h, P1, id, 'os-reserve', null)).status, 202);
  assert.equal(h.vol.get(id)!.status, 'attaching');
  let r = await action(h, P1, id, 'os-reserve', null);
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message: 'Invalid volume: Volume status must be available to reserve, but the status is attaching.',
    },
  });
  r = await action(h, P1, id, 'os-attach', { instance_uuid: SERVER, mountpoint: '/dev/vdb' });
  assert.equal(r.status, 202);
  let shown = await call(h, 'GET', v3(P1, `volumes/${id}`));
  const v = shown.body.volume;
  assert.equal(v.status, 'in-use');
  assert.equal(v.attachments.length, 1);
  const att = v.attachments[0];
  assert.deepEqual(Object.keys(att).sort(), ['attached_at', 'attachment_id', 'device', 'host_name', 'id', 'server_id', 'volume_id']);
  assert.equal(att.server_id, SERVER);
  assert.equal(att.device, '/dev/vdb');
  assert.equal(att.id, id);
  assert.deepEqual(v.metadata, { readonly: 'False', attached_mode: 'rw' });

  r = await action(h, P1, id, 'os-attach', { instance_uuid: SERVER, mountpoint: '/dev/vdc' });
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: 'Error attaching volume - InvalidVolume: Invalid volume: volume is already attached' },
  });
  assert.equal((await action(h, P1, id, 'os-begin_detaching', null)).status, 202);
  assert.equal(h.vol.get(id)!.status, 'detaching');
  assert.equal((await action(h, P1, id, 'os-roll_detaching', null)).status, 202);
  assert.equal(h.vol.get(id)!.status, 'in-use');
  assert.equal((await action(h, P1, id, 'os-detach', { attachment_id: att.attachment_id })).status, 202);
  shown = await call(h, 'GET', v3(P1, `volumes/${id}`));
  assert.equal(shown.body.volume.status, 'available');
  assert.deepEqual(shown.body.volume.attachments, []);
  assert.deepEqual(shown.body.volume.metadata, { readonly: 'False' });
  r = await action(h, P1, id, 'os-begin_detaching', null);
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message:
        "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
    },
  });
});

test('extend: size must grow, status must be available (in-use from 3.42)', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1, { size: 2 });
  let r = await action(h, P1, id, 'os-extend', { new_size: 2 });
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message: 'Invalid input received: New size for extend must be greater than current size. (current: 2, extended: 2).',
    },
  });
  r = await action(h, P1, id, 'os-extend', { new_size: 4 });
  assert.equal(r.status, 202);
  assert.equal(h.vol.get(id)!.status, 'extending');
  await until(() => h.vol.get(id)!.status === 'available', 'extended');
  assert.equal(h.vol.get(id)!.size, 4);
  await attachInUse(h, id, SERVER, '/dev/vdb', P1);
  r = await action(h, P1, id, 'os-extend', { new_size: 5 });
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message: `Invalid volume: Volume ${id} status must be '{'status': 'available'}' to extend, currently in-use.`,
    },
  });
  r = await action(h, P1, id, 'os-extend', { new_size: 5 }, { version: '3.42' });
  assert.equal(r.status, 202);
  await until(() => h.vol.get(id)!.status === 'in-use' && h.vol.get(id)!.size === 5, 'extended in-use');
});

test('readonly flag, bootable, initialize_connection, image metadata', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  assert.equal((await action(h, P1, id, 'os-update_readonly_flag', { readonly: true })).status, 202);
  let r = await action(h, P1, id, 'os-attach', { instance_uuid: SERVER, mountpoint: '/dev/vdb', mode: 'rw' });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: `Invalid attaching mode 'rw' for volume ${id}.` } });
  r = await action(h, P1, id, 'os-set_bootable', { bootable: 'true' });
  assert.equal(r.status, 200);
  assert.equal((await call(h, 'GET', v3(P1, `volumes/${id}`))).body.volume.bootable, 'true');
  r = await action(h, P1, id, 'os-set_bootable', { bootable: 'maybe' });
  assert.equal(r.status, 400);
  r = await action(h, P1, id, 'os-initialize_connection', { connector: { host: 'h1', initiator: 'iqn.x' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.connection_info.driver_volume_type, 'iscsi');
  assert.equal(r.body.connection_info.data.access_mode, 'ro');
  r = await action(h, P1, id, 'os-set_image_metadata', { metadata: { os_distro: 'cirros' } });
  assert.deepEqual(r.body, { metadata: { os_distro: 'cirros' } });
  r = await action(h, P1, id, 'os-show_image_metadata', null);
  assert.deepEqual(r.body, { metadata: { os_distro: 'cirros' } });
  assert.equal((await action(h, P1, id, 'os-unset_image_metadata', { key: 'os_distro' })).status, 200);
  await attachInUse(h, id, SERVER, '/dev/vdb', P1);
  r = await action(h, P1, id, 'os-update_readonly_flag', { readonly: false });
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message: `Invalid volume: Volume ${id} status must be available to update readonly flag, but current status is: in-use.`,
    },
  });
});

test('admin actions: reset_status and force_delete need admin (403), then work', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  let r = await action(h, P1, id, 'os-reset_status', { status: 'error' });
  assert.deepEqual(r.body, {
    forbidden: {
      code: 403,
      message: "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.",
    },
  });
  r = await action(h, P1, id, 'os-reset_status', { status: 'error' }, { roles: 'admin' });
  assert.equal(r.status, 202);
  assert.equal(h.vol.get(id)!.status, 'error');
  r = await action(h, P1, id, 'os-reset_status', { status: 'in-use' }, { roles: 'admin' });
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: 'Cannot reset-state to in-use because volume does not have any attachments.' },
  });
  h.vol.get(id)!.status = 'creating';
  assert.equal((await call(h, 'DELETE', v3(P1, `volumes/${id}`))).status, 400);
  assert.equal((await action(h, P1, id, 'os-force_delete', null)).status, 403);
  assert.equal((await action(h, P1, id, 'os-force_delete', null, { roles: 'admin' })).status, 202);
  await until(() => h.vol.get(id) === undefined, 'force deleted');
});

test('retype to another type, then the same type is refused', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  const created = await call(h, 'POST', v3(P1, 'types'), { roles: 'admin', body: { volume_type: { name: 'gold' } } });
  assert.equal(created.status, 200);
  let r = await action(h, P1, id, 'os-retype', { new_type: 'gold' });
  assert.equal(r.status, 202);
  assert.equal(h.vol.get(id)!.status, 'retyping');
  await until(() => h.vol.get(id)!.status === 'available', 'retyped');
  assert.equal((await call(h, 'GET', v3(P1, `volumes/${id}`))).body.volume.volume_type, 'gold');
  r = await action(h, P1, id, 'os-retype', { new_type: 'gold' });
  assert.equal(r.status, 400);
  assert.match(r.body.badRequest.message, /^Invalid volume: Retype needs volume to be in available or in-use state/);
  r = await action(h, P1, id, 'os-retype', { new_type: 'platinum' });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Invalid input received: Invalid volume_type passed: platinum.' } });
});

test('upload to image registers the image in the pod Glance', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const id = await availableVolume(h, P1);
  const r = await action(h, P1, id, 'os-volume_upload_image', { image_name: 'snap-img' });
  assert.equal(r.status, 202);
  const up = r.body['os-volume_upload_image'];
  assert.equal(up.status, 'uploading');
  assert.equal(up.image_name, 'snap-img');
  assert.equal(h.img.get(up.image_id)?.name, 'snap-img');
  await until(() => h.vol.get(id)!.status === 'available', 'upload done');
});
