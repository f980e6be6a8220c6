// Quota after many creates and deletes: a project that creates and deletes servers (or volumes)
// more times than its quota allows at once must still be able to create the next one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, createServer, createVolume, gw, http, mv, podServerGone, podServerStatus, podVolumeGone, podVolumeStatus,
  useBed, type Creds,
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

  test(`${ROUNDS} rounds of server create + delete in one project: every create is accepted and the limits show no instance left`, {
    ...T, todo: 'waits for deletion tracking (issue 14): a deleted server keeps its routing and keeps counting against the gateway\'s instance quota',
  }, async () => {
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
});
