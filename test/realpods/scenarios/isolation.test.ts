// Two projects in the same pod (both members create in az1, so both land in Pod1): neither sees
// nor touches the other's servers and volumes through the gateway, and the pod agrees.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, createServer, createVolume, gw, http, mv, osc, podServer, podServerStatus, podVolume, podVolumeStatus,
  useBed,
} from './support';

const T = { timeout: 10 * 60_000 };

describe('two projects in one pod are isolated', () => {
  const bed = useBed();
  const ids = { s1: '', s2: '', v1: '', v2: '' };
  after(async () => {
    await cleanProject(bed(), bed().users.member);
    await cleanProject(bed(), bed().users.member2);
  });

  test('member (realpods-alpha) and member2 (realpods-beta) each create a server and a volume in az1: all in Pod1', T, async () => {
    const { member, member2 } = bed().users;
    ids.s1 = await createServer(bed(), member, { name: 'alpha-vm', az: 'az1' });
    ids.s2 = await createServer(bed(), member2, { name: 'beta-vm', az: 'az1' });
    ids.v1 = await createVolume(bed(), member, { name: 'alpha-vol', az: 'az1' });
    ids.v2 = await createVolume(bed(), member2, { name: 'beta-vol', az: 'az1' });
    const pod = bed().pod('Pod1');
    assert.equal((await podServerStatus(bed(), pod, ids.s1, 'ACTIVE')).tenant_id, member.projectId);
    assert.equal((await podServerStatus(bed(), pod, ids.s2, 'ACTIVE')).tenant_id, member2.projectId);
    assert.equal((await podVolumeStatus(bed(), pod, ids.v1, 'available'))['os-vol-tenant-attr:tenant_id'], member.projectId);
    assert.equal((await podVolumeStatus(bed(), pod, ids.v2, 'available'))['os-vol-tenant-attr:tenant_id'], member2.projectId);
  });

  test('each list shows only its own (openstack server list / volume list)', T, async () => {
    const { member, member2 } = bed().users;
    assert.deepEqual((await osc(member, 'server', 'list')).map((s: { Name: string }) => s.Name), ['alpha-vm']);
    assert.deepEqual((await osc(member2, 'server', 'list')).map((s: { Name: string }) => s.Name), ['beta-vm']);
    assert.deepEqual((await osc(member, 'volume', 'list')).map((s: { Name: string }) => s.Name), ['alpha-vol']);
    assert.deepEqual((await osc(member2, 'volume', 'list')).map((s: { Name: string }) => s.Name), ['beta-vol']);
  });

  test('the other project\'s ids answer 404 for show, update, action and delete; nothing changes in the pod', T, async () => {
    const { member2 } = bed().users;
    const g = gw(bed(), member2.projectId);
    const token = await member2.token();
    assert.equal((await http('GET', `${g.compute}/servers/${ids.s1}`, token)).status, 404);
    assert.equal((await http('PUT', `${g.compute}/servers/${ids.s1}`, token, { server: { name: 'stolen' } })).status, 404);
    assert.equal((await http('POST', `${g.compute}/servers/${ids.s1}/action`, token, { 'os-stop': null })).status, 404);
    assert.equal((await http('DELETE', `${g.compute}/servers/${ids.s1}`, token)).status, 404);
    assert.equal((await http('GET', `${g.volume}/volumes/${ids.v1}`, token)).status, 404);
    assert.equal((await http('DELETE', `${g.volume}/volumes/${ids.v1}`, token)).status, 404);
    const attach = await http('POST', `${g.compute}/servers/${ids.s2}/os-volume_attachments`, token, { volumeAttachment: { volumeId: ids.v1 } }, mv('2.79'));
    assert.ok([400, 404].includes(attach.status), `attaching another project's volume: ${attach.status}`);
    // A project id in the URL that is not the token's: 403 before any pod is asked.
    const other = await http('GET', `${bed().gateway.urls.compute}/v2.1/${bed().users.member.projectId}/servers`, token);
    assert.equal(other.status, 403);
    const pod = bed().pod('Pod1');
    const s1 = (await podServer(bed(), pod, ids.s1))!;
    assert.equal(s1.name, 'alpha-vm');
    assert.equal(s1.status, 'ACTIVE');
    assert.equal((await podVolume(bed(), pod, ids.v1))!.status, 'available');
  });
});
