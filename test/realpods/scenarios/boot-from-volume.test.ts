// Boot from volume: a bootable volume made from an image, a server booted from it, and a server
// whose boot volume Nova creates itself (BDM image -> volume) — in the real Nova and Cinder of
// the pod the gateway chose.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, gw, http, mv, openstack, osc, podServer, podServerGone, podServerStatus, podVolume, podVolumeGone,
  podVolumeStatus, podsHoldingServer, useBed, vmv, waitFor, type Creds,
} from './support';

const T = { timeout: 10 * 60_000 };

describe('boot from volume through the gateway', () => {
  const bed = useBed();
  let c: Creds;
  let bootVolume = '';
  let server = '';
  let novaServer = '';
  let novaVolume = '';
  before(async () => {
    c = await bed().newProject('bfv');
  });
  after(async () => c && cleanProject(bed(), c));
  const pod1 = () => bed().pod('Pod1');

  test('openstack volume create --image tiny --bootable in az1: a bootable volume in Pod1', T, async () => {
    const v = await osc(c, 'volume', 'create', '--image', 'tiny', '--size', '1', '--bootable', '--availability-zone', 'az1', 'boot-vol');
    bootVolume = v.id;
    const inPod = await podVolumeStatus(bed(), pod1(), bootVolume, 'available');
    assert.equal(inPod.bootable, 'true');
    assert.equal(inPod.volume_image_metadata?.image_id, bed().images.tiny);
  });

  test('openstack server create --volume: the server boots in Pod1 from that volume, which becomes in-use', T, async () => {
    const s = await osc(c, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.nano', '--volume', bootVolume,
      '--nic', 'none', '--availability-zone', 'az1', 'bfv-1');
    server = s.id;
    assert.deepEqual(await podsHoldingServer(bed(), server), ['Pod1']);
    const inPod = await podServerStatus(bed(), pod1(), server, 'ACTIVE');
    assert.equal(inPod.image, '', 'booted from a volume: no image');
    assert.deepEqual(inPod['os-extended-volumes:volumes_attached'].map((a: { id: string }) => a.id), [bootVolume]);
    const v = await podVolumeStatus(bed(), pod1(), bootVolume, 'in-use');
    assert.equal(v.attachments[0].server_id, server);
    const shown = await osc(c, 'volume', 'show', bootVolume);
    assert.equal(shown.status, 'in-use');
  });

  test('a boot volume of the other AZ is refused before any pod is asked', T, async () => {
    const r = await http('POST', `${gw(bed(), c.projectId).compute}/servers`, await c.token(), {
      server: {
        name: 'bfv-wrong-az', flavorRef: '42', networks: 'none', availability_zone: 'az2',
        block_device_mapping_v2: [{ boot_index: 0, uuid: bootVolume, source_type: 'volume', destination_type: 'volume' }],
      },
    }, mv('2.79'));
    assert.equal(r.status, 400);
  });

  test('BDM image -> volume: Nova creates the boot volume in Pod1 and the server runs from it', T, async () => {
    const r = await http('POST', `${gw(bed(), c.projectId).compute}/servers`, await c.token(), {
      server: {
        name: 'bfv-2', flavorRef: '42', networks: 'none', availability_zone: 'az1',
        block_device_mapping_v2: [{ boot_index: 0, uuid: bed().images.tiny, source_type: 'image', destination_type: 'volume', volume_size: 1, delete_on_termination: true }],
      },
    }, mv('2.79'));
    assert.equal(r.status, 202, r.text);
    novaServer = r.json.server.id;
    const inPod = await podServerStatus(bed(), pod1(), novaServer, 'ACTIVE');
    const attached = inPod['os-extended-volumes:volumes_attached'] as { id: string; delete_on_termination: boolean }[];
    assert.equal(attached.length, 1);
    assert.equal(attached[0]!.delete_on_termination, true);
    novaVolume = attached[0]!.id;
    const v = (await podVolume(bed(), pod1(), novaVolume))!;
    assert.equal(v.status, 'in-use');
    assert.equal(v['os-vol-tenant-attr:tenant_id'], c.projectId);
  });

  test('the boot volume Nova made is reachable through the gateway by id and listed', T, async () => {
    assert.ok(novaVolume, 'the previous test found the volume');
    const shown = await http('GET', `${gw(bed(), c.projectId).volume}/volumes/${novaVolume}`, await c.token());
    assert.equal(shown.status, 200, shown.text);
    const list = await osc(c, 'volume', 'list');
    assert.ok(list.some((v: { ID: string }) => v.ID === novaVolume), 'listed by openstack volume list');
    // It counts against the gateway's volume quotas at its size, as the pod's Cinder counts it.
    const token = await c.token();
    const pod = (await http('GET', `${pod1().endpoints.volumev3.replace('%(project_id)s', c.projectId)}/limits`, token)).json.limits.absolute;
    const mine = await waitFor('the gateway counts the adopted volume', async () => {
      const a = (await http('GET', `${gw(bed(), c.projectId).volume}/limits`, token)).json.limits.absolute;
      return a.totalVolumesUsed === pod.totalVolumesUsed && a.totalGigabytesUsed === pod.totalGigabytesUsed ? a : undefined;
    }, 30_000).catch(async () => (await http('GET', `${gw(bed(), c.projectId).volume}/limits`, token)).json.limits.absolute);
    assert.deepEqual([mine.totalVolumesUsed, mine.totalGigabytesUsed], [pod.totalVolumesUsed, pod.totalGigabytesUsed]);
    assert.deepEqual([mine.totalVolumesUsed, mine.totalGigabytesUsed], [2, 2]);
    // The Cinder attachment Nova made for it (3.27's attachments API) is routed as well.
    const attachment = (await podVolume(bed(), pod1(), novaVolume))!.attachments[0].attachment_id as string;
    await waitFor('the attachment is reachable through the gateway', async () => {
      const r = await http('GET', `${gw(bed(), c.projectId).volume}/attachments/${attachment}`, token, undefined, vmv('3.27'));
      return r.status === 200 && r.json.attachment.instance === novaServer ? r : undefined;
    }, 60_000, 1_000);
  });

  test('delete: the servers go; Nova deletes the volume it made (delete_on_termination), the other one is available again', T, async () => {
    await openstack(c, 'server', 'delete', server, novaServer);
    await podServerGone(bed(), pod1(), server);
    await podServerGone(bed(), pod1(), novaServer);
    await podVolumeStatus(bed(), pod1(), bootVolume, 'available');
    await podVolumeGone(bed(), pod1(), novaVolume);
    await openstack(c, 'volume', 'delete', bootVolume);
    await podVolumeGone(bed(), pod1(), bootVolume);
    await waitFor('the gateway lists no server', async () => (await osc(c, 'server', 'list')).length === 0 || undefined, 60_000, 2_000);
    assert.equal((await podServer(bed(), pod1(), server)), undefined);
  });
});
