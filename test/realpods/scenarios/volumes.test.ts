// Volumes through the gateway with openstack and cinder: create in both AZs, extend, snapshots,
// attach/detach to a server of the same pod, and a cross-pod attach the gateway must refuse —
// each checked in the real Cinder (and Nova) of the pod concerned.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cinder, cleanProject, cliFails, createServer, gw, http, openstack, osc, podServer, podServerStatus, podVolume,
  podVolumeGone, podVolumeStatus, podsHoldingVolume, tableId, useBed, waitFor, type Creds,
} from './support';

const T = { timeout: 10 * 60_000 };

describe('volumes in az1 and az2 with openstack, cinder and raw HTTP', () => {
  const bed = useBed();
  let c: Creds;
  const id = { az1: '', az2: '', snap: '', fromSnap: '', server1: '', server2: '' };
  before(async () => {
    c = await bed().newProject('volumes');
  });
  after(async () => c && cleanProject(bed(), c));
  const pod1 = () => bed().pod('Pod1');
  const pod2 = () => bed().pod('Pod2');

  test('openstack volume create in az1 lands in Pod1 only; cinder create in az2 in Pod2 only', T, async () => {
    const v = await osc(c, 'volume', 'create', '--size', '1', '--availability-zone', 'az1', 'vol-az1');
    id.az1 = v.id;
    assert.equal(v.availability_zone, 'az1');
    id.az2 = tableId(await cinder(c, 'create', '--availability-zone', 'az2', '--name', 'vol-az2', '1'));
    assert.deepEqual(await podsHoldingVolume(bed(), id.az1), ['Pod1']);
    assert.deepEqual(await podsHoldingVolume(bed(), id.az2), ['Pod2']);
    const v1 = await podVolumeStatus(bed(), pod1(), id.az1, 'available');
    const v2 = await podVolumeStatus(bed(), pod2(), id.az2, 'available');
    assert.equal(v1['os-vol-tenant-attr:tenant_id'], c.projectId);
    assert.equal(v2.availability_zone, 'az2');
    const shown = await osc(c, 'volume', 'show', id.az2);
    assert.equal(shown.availability_zone, 'az2');
    assert.equal(shown.created_at, v2.created_at, 'created_at is the pod\'s (second precision in a real Cinder)');
  });

  test('openstack volume list and cinder list show both', T, async () => {
    const list = await osc(c, 'volume', 'list');
    assert.deepEqual(list.map((v: { Name: string }) => v.Name).sort(), ['vol-az1', 'vol-az2']);
    const out = await cinder(c, 'list');
    assert.match(out, /vol-az1/);
    assert.match(out, /vol-az2/);
  });

  test('extend: openstack volume set --size 2 grows the volume in Pod1', T, async () => {
    await openstack(c, 'volume', 'set', '--size', '2', id.az1);
    const v = await waitFor('extended in Pod1', async () => {
      const x = await podVolume(bed(), pod1(), id.az1);
      if (x?.status === 'error_extending') throw new Error('error_extending');
      return x?.size === 2 && x.status === 'available' ? x : undefined;
    });
    assert.equal(v.size, 2);
    const smaller = await http('POST', `${gw(bed(), c.projectId).volume}/volumes/${id.az1}/action`, await c.token(), { 'os-extend': { new_size: 1 } });
    assert.equal(smaller.status, 400);
    assert.match(smaller.json.badRequest.message, /New size for extend must be greater than current size/);
  });

  test('snapshots: create, list, a volume from it (in the snapshot\'s pod), delete', T, async () => {
    const s = await osc(c, 'volume', 'snapshot', 'create', '--volume', id.az1, 'snap1');
    id.snap = s.id;
    const token = await bed().users.admin.token();
    const inPod = await waitFor('snapshot available in Pod1', async () => {
      const r = await http('GET', `${pod1().endpoints.volumev3.replace('%(project_id)s', bed().users.admin.projectId)}/snapshots/${s.id}`, token);
      return r.status === 200 && r.json.snapshot.status === 'available' ? r.json.snapshot : undefined;
    });
    assert.equal(inPod.volume_id, id.az1);
    const list = await osc(c, 'volume', 'snapshot', 'list');
    assert.deepEqual(list.map((x: { ID: string }) => x.ID), [s.id]);
    const fromSnap = await osc(c, 'volume', 'create', '--snapshot', s.id, '--size', '2', 'vol-from-snap');
    id.fromSnap = fromSnap.id;
    assert.deepEqual(await podsHoldingVolume(bed(), fromSnap.id), ['Pod1']);
    const v = await podVolumeStatus(bed(), pod1(), fromSnap.id, 'available');
    assert.equal(v.snapshot_id, s.id);
    // A volume with snapshots cannot be deleted: Cinder's 400, passed through.
    const refused = await http('DELETE', `${gw(bed(), c.projectId).volume}/volumes/${id.az1}`, await c.token());
    assert.equal(refused.status, 400);
    assert.match(refused.json.badRequest.message, /must not be .*have snapshots/);
    await openstack(c, 'volume', 'delete', fromSnap.id);
    await podVolumeGone(bed(), pod1(), fromSnap.id);
    await cinder(c, 'snapshot-delete', s.id);
    await waitFor('snapshot gone from Pod1', async () => {
      const r = await http('GET', `${pod1().endpoints.volumev3.replace('%(project_id)s', bed().users.admin.projectId)}/snapshots/${s.id}`, token);
      return r.status === 404 || undefined;
    });
  });

  test('attach to a server in the same pod and detach: both pods\' Nova and Cinder agree', T, async () => {
    id.server1 = await createServer(bed(), c, { name: 'srv-az1', az: 'az1' });
    id.server2 = await createServer(bed(), c, { name: 'srv-az2', az: 'az2' });
    await podServerStatus(bed(), pod1(), id.server1, 'ACTIVE');
    await podServerStatus(bed(), pod2(), id.server2, 'ACTIVE');
    await openstack(c, 'server', 'add', 'volume', id.server1, id.az1);
    const v = await podVolumeStatus(bed(), pod1(), id.az1, 'in-use');
    assert.equal(v.attachments[0].server_id, id.server1);
    const s = (await podServer(bed(), pod1(), id.server1))!;
    assert.deepEqual(s['os-extended-volumes:volumes_attached'].map((a: { id: string }) => a.id), [id.az1]);
    const shown = await osc(c, 'volume', 'show', id.az1);
    assert.equal(shown.status, 'in-use');
    // Deleting an attached volume: Cinder's 400 through the gateway.
    const refused = await http('DELETE', `${gw(bed(), c.projectId).volume}/volumes/${id.az1}`, await c.token());
    assert.equal(refused.status, 400);
    await openstack(c, 'server', 'remove', 'volume', id.server1, id.az1);
    const back = await podVolumeStatus(bed(), pod1(), id.az1, 'available');
    assert.deepEqual(back.attachments, []);
  });

  test('a volume of Pod2 attached to a server of Pod1 is refused with 400, and neither pod sees an attachment', T, async () => {
    const out = await cliFails(c.env, '/usr/bin/openstack', ['server', 'add', 'volume', id.server1, id.az2]);
    assert.match(out, /400/);
    const raw = await http('POST', `${gw(bed(), c.projectId).compute}/servers/${id.server1}/os-volume_attachments`, await c.token(),
      { volumeAttachment: { volumeId: id.az2 } });
    assert.equal(raw.status, 400);
    assert.ok(raw.json.badRequest?.message, JSON.stringify(raw.json));
    assert.equal((await podVolume(bed(), pod2(), id.az2))!.status, 'available');
    assert.deepEqual((await podServer(bed(), pod1(), id.server1))!['os-extended-volumes:volumes_attached'], []);
  });

  test('delete: openstack volume delete and cinder delete remove them from their pods', T, async () => {
    await openstack(c, 'volume', 'delete', id.az1);
    await cinder(c, 'delete', id.az2);
    await podVolumeGone(bed(), pod1(), id.az1);
    await podVolumeGone(bed(), pod2(), id.az2);
    const list = await waitFor('empty volume list', async () => {
      const l = await osc(c, 'volume', 'list');
      return l.length === 0 ? l : undefined;
    }, 60_000, 2_000);
    assert.deepEqual(list, []);
  });
});
