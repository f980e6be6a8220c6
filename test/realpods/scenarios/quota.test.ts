// Quota after many creates and deletes: a project that creates and deletes servers (or volumes)
// more times than its quota allows at once must still be able to create the next one. Cores and
// RAM through a resize and its revert or confirm, and the volume quotas the gateway enforces,
// counted as the pod's own Nova and Cinder count them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, createServer, createVolume, gw, http, mv, podServerGone, podServerStatus, podVolumeGone, podVolumeStatus,
  useBed, waitFor, type Bed, type Creds,
} from './support';

const T = { timeout: 15 * 60_000 };
/** Nova's and Cinder's default instance / volume quota is 10: one more round than that. */
const ROUNDS = 11;

describe('quota after many creates and deletes', () => {
  const bed = useBed();
  let c: Creds;
  before(async () => {
    c = await bed().newProject('quota');
  });
  after(async () => c && cleanProject(bed(), c));

  test(`${ROUNDS} rounds of server create + delete in one project: every create is accepted and the limits show no instance left`, T, async () => {
    const pod = bed().pod('Pod1');
    const g = gw(bed(), c.projectId);
    for (let i = 1; i <= ROUNDS; i++) {
      const id = await createServer(bed(), c, { name: `q-${i}`, az: 'az1' });
      await podServerStatus(bed(), pod, id, 'ACTIVE');
      const del = await http('DELETE', `${g.compute}/servers/${id}`, await c.token());
      assert.equal(del.status, 204, `round ${i}: ${del.text}`);
      await podServerGone(bed(), pod, id);
    }
    const limits = await http('GET', `${g.compute}/limits`, await c.token(), undefined, mv('2.79'));
    assert.equal(limits.json.limits.absolute.totalInstancesUsed, 0);
  });

  test(`${ROUNDS} rounds of volume create + delete in one project: every create is accepted (the pod's Cinder counts)`, T, async () => {
    const pod = bed().pod('Pod1');
    const g = gw(bed(), c.projectId);
    for (let i = 1; i <= ROUNDS; i++) {
      const id = await createVolume(bed(), c, { name: `qv-${i}`, az: 'az1' });
      await podVolumeStatus(bed(), pod, id, 'available');
      const del = await http('DELETE', `${g.volume}/volumes/${id}`, await c.token());
      assert.equal(del.status, 202, `round ${i}: ${del.text}`);
      await podVolumeGone(bed(), pod, id);
    }
    const direct = await http('GET', `${pod.endpoints.volumev3.replace('%(project_id)s', c.projectId)}/limits`, await c.token());
    assert.equal(direct.json.limits.absolute.totalVolumesUsed, 0);
  });

  /** instances, cores, RAM in use: at the gateway, and as the pod's Nova counts them. */
  async function computeUsage(b: Bed, pod: string): Promise<{ gateway: number[]; pod: number[] }> {
    const token = await c.token();
    const pick = (a: Record<string, number>) => [a.totalInstancesUsed!, a.totalCoresUsed!, a.totalRAMUsed!];
    const g = (await http('GET', `${gw(b, c.projectId).compute}/limits`, token, undefined, mv('2.79'))).json.limits.absolute;
    const p = (await http('GET', `${b.pod(pod).endpoints.compute}/limits`, token, undefined, mv('2.79'))).json.limits.absolute;
    return { gateway: pick(g), pod: pick(p) };
  }

  test('resize m1.nano -> m1.micro: revert goes back to 128 MB, confirm keeps 192 MB, as the pod\'s Nova counts', T, async () => {
    const pod = bed().pod('Pod1');
    const g = gw(bed(), c.projectId);
    const token = await c.token();
    const id = await createServer(bed(), c, { name: 'rs', az: 'az1', flavor: '42' });
    await podServerStatus(bed(), pod, id, 'ACTIVE');
    const action = async (body: unknown) => {
      const r = await http('POST', `${g.compute}/servers/${id}/action`, token, body, mv('2.79'));
      assert.ok(r.status === 202 || r.status === 204, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
    };
    const expect = async (what: string, ram: number) => {
      const u = await waitFor(`${what}: the pod counts ${ram} MB`, async () => {
        const now = await computeUsage(bed(), 'Pod1');
        return now.pod[2] === ram ? now : undefined;
      }, 60_000, 1_000);
      assert.deepEqual(u.gateway, [1, 1, ram], what);
      assert.deepEqual(u.gateway, u.pod, `${what}: the gateway counts as the pod`);
    };
    await expect('booted', 128);
    await action({ resize: { flavorRef: '84' } });
    await podServerStatus(bed(), pod, id, 'VERIFY_RESIZE');
    await expect('VERIFY_RESIZE', 192);
    await action({ revertResize: null });
    await podServerStatus(bed(), pod, id, 'ACTIVE');
    await expect('reverted', 128);
    await action({ resize: { flavorRef: '84' } });
    await podServerStatus(bed(), pod, id, 'VERIFY_RESIZE');
    await action({ confirmResize: null });
    await waitFor('the confirm finished', async () => (await http('GET', `${g.compute}/servers/${id}`, token)).json.server.status === 'ACTIVE' || undefined, 120_000, 1_000);
    await expect('confirmed', 192);
    assert.equal((await http('DELETE', `${g.compute}/servers/${id}`, token)).status, 204);
    await podServerGone(bed(), pod, id);
  });

  test('volume quota at the gateway: the 3rd volume of a quota of 2 is Cinder\'s 413; usage as the pods count it', T, async () => {
    const admin = bed().users.admin;
    const set = await http('PUT', `${gw(bed(), admin.projectId).volume}/os-quota-sets/${c.projectId}`, await admin.token(), { quota_set: { volumes: 2, gigabytes: 100 } });
    assert.equal(set.status, 200, set.text);
    const g = gw(bed(), c.projectId);
    const token = await c.token();
    const ids = [await createVolume(bed(), c, { name: 'vq-1', az: 'az1', size: 1 }), await createVolume(bed(), c, { name: 'vq-2', az: 'az2', size: 2 })];
    await podVolumeStatus(bed(), bed().pod('Pod1'), ids[0]!, 'available');
    await podVolumeStatus(bed(), bed().pod('Pod2'), ids[1]!, 'available');
    const over = await http('POST', `${g.volume}/volumes`, token, { volume: { name: 'vq-3', size: 1, availability_zone: 'az1' } });
    assert.equal(over.status, 413, over.text);
    assert.deepEqual(over.json, { overLimit: { code: 413, message: "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes'.", retryAfter: '0' } });
    const mine = (await http('GET', `${g.volume}/limits`, token)).json.limits.absolute;
    let volumes = 0;
    let gigabytes = 0;
    for (const pod of bed().pods) {
      const a = (await http('GET', `${pod.endpoints.volumev3.replace('%(project_id)s', c.projectId)}/limits`, token)).json.limits.absolute;
      volumes += a.totalVolumesUsed;
      gigabytes += a.totalGigabytesUsed;
    }
    assert.deepEqual([mine.totalVolumesUsed, mine.totalGigabytesUsed], [volumes, gigabytes]);
    assert.deepEqual([mine.totalVolumesUsed, mine.totalGigabytesUsed], [2, 3]);
    const shown = (await http('GET', `${g.volume}/os-quota-sets/${c.projectId}?usage=True`, token)).json.quota_set;
    assert.deepEqual(shown.volumes, { limit: 2, in_use: 2, reserved: 0, allocated: 0 });
    assert.equal((await http('DELETE', `${g.volume}/volumes/${ids[0]}`, token)).status, 202);
    const again = await http('POST', `${g.volume}/volumes`, token, { volume: { name: 'vq-4', size: 1, availability_zone: 'az1' } });
    assert.equal(again.status, 202, `a delete frees the quota at once: ${again.text}`);
    for (const id of [ids[1]!, again.json.volume.id]) {
      await waitFor(`volume ${id} settles`, async () => ['available', 'error'].includes((await http('GET', `${g.volume}/volumes/${id}`, token)).json?.volume?.status) || undefined);
      await http('DELETE', `${g.volume}/volumes/${id}`, token);
    }
  });
});
