// Multi-create (min_count/max_count) through the gateway: the real Nova builds every server, and
// the gateway routes all of them (found by the reservation), counting each one's flavor.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanProject, gw, http, mv, osc, podServerGone, useBed, waitFor, type Bed, type Creds } from './support';

const T = { timeout: 10 * 60_000 };

/** The project's servers in a pod, as the pod's admin lists them, by name prefix. */
async function inPod(bed: Bed, pod: string, c: Creds, query: string): Promise<Record<string, any>[]> {
  const r = await http('GET', `${bed.pod(pod).endpoints.compute}/servers/detail?all_tenants=1&project_id=${c.projectId}&${query}`,
    await bed.users.admin.token(), undefined, mv('2.79'));
  assert.equal(r.status, 200, r.text);
  return r.json.servers;
}

describe('multi-create through the gateway', () => {
  const bed = useBed();
  let c: Creds;
  let first = '';
  let reservation = '';
  before(async () => {
    c = await bed().newProject('multi');
  });
  after(async () => {
    if (!c) return;
    // The gateway may not know these servers: delete them at the pod as the project's user.
    const token = await c.token();
    for (const s of await inPod(bed(), 'Pod1', c, 'name=^mc')) await http('DELETE', `${bed().pod('Pod1').endpoints.compute}/servers/${s.id}`, token);
    await cleanProject(bed(), c);
  });

  test('openstack server create --min 3 --max 3 in az1: the real Nova builds mc-1..mc-3 in Pod1, all ACTIVE', T, async () => {
    const s = await osc(c, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.nano', '--image', 'tiny',
      '--nic', 'none', '--availability-zone', 'az1', '--min', '3', '--max', '3', 'mc');
    first = s.id;
    const servers = await waitFor('3 ACTIVE servers in Pod1', async () => {
      const l = await inPod(bed(), 'Pod1', c, 'name=^mc-');
      return l.length === 3 && l.every((x) => x.status === 'ACTIVE') ? l : undefined;
    });
    assert.deepEqual(servers.map((x) => x.name).sort(), ['mc-1', 'mc-2', 'mc-3']);
    assert.ok(servers.some((x) => x.id === first), 'the id the create answered is one of them');
    assert.equal(new Set(servers.map((x) => x['OS-EXT-SRV-ATTR:reservation_id'])).size, 1, 'one reservation');
  });

  test('every server of the multi-create is reachable through the gateway and listed', T, async () => {
    const servers = await inPod(bed(), 'Pod1', c, 'name=^mc-');
    for (const s of servers) {
      const r = await http('GET', `${gw(bed(), c.projectId).compute}/servers/${s.id}`, await c.token());
      assert.equal(r.status, 200, `${s.name}: ${r.status}`);
    }
    const list = await osc(c, 'server', 'list');
    assert.deepEqual(list.map((x: { Name: string }) => x.Name).sort(), ['mc-1', 'mc-2', 'mc-3']);
    // The gateway counts the three as the pod's Nova does (m1.nano: 1 vCPU, 128 MB each).
    const token = await c.token();
    const mine = (await http('GET', `${gw(bed(), c.projectId).compute}/limits`, token)).json.limits.absolute;
    const pods = (await http('GET', `${bed().pod('Pod1').endpoints.compute}/limits`, token)).json.limits.absolute;
    assert.deepEqual([mine.totalInstancesUsed, mine.totalCoresUsed, mine.totalRAMUsed], [3, 3, 3 * 128]);
    assert.deepEqual([mine.totalInstancesUsed, mine.totalCoresUsed, mine.totalRAMUsed], [pods.totalInstancesUsed, pods.totalCoresUsed, pods.totalRAMUsed]);
  });

  test('return_reservation_id: the gateway answers the pod\'s reservation id and Nova builds both servers', T, async () => {
    const r = await http('POST', `${gw(bed(), c.projectId).compute}/servers`, await c.token(), {
      server: { name: 'mcr', flavorRef: '42', imageRef: bed().images.tiny, networks: 'none', availability_zone: 'az1', min_count: 2, max_count: 2, return_reservation_id: true },
    }, mv('2.79'));
    assert.equal(r.status, 202, r.text);
    reservation = r.json.reservation_id;
    assert.match(reservation, /^r-[a-z0-9]{8}$/);
    const servers = await waitFor('2 ACTIVE servers in Pod1', async () => {
      const l = await inPod(bed(), 'Pod1', c, `reservation_id=${reservation}`);
      return l.length === 2 && l.every((x) => x.status === 'ACTIVE') ? l : undefined;
    });
    assert.deepEqual(servers.map((x) => x.name).sort(), ['mcr-1', 'mcr-2']);
  });

  test('the servers of a return_reservation_id create are listed by reservation_id through the gateway', T, async () => {
    const r = await http('GET', `${gw(bed(), c.projectId).compute}/servers/detail?reservation_id=${reservation}`, await c.token(), undefined, mv('2.79'));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.servers.map((x: { name: string }) => x.name).sort(), ['mcr-1', 'mcr-2']);
  });

  test('deleting the servers at the pod leaves nothing behind', T, async () => {
    const token = await c.token();
    const all = await inPod(bed(), 'Pod1', c, 'name=^mc');
    for (const s of all) await http('DELETE', `${bed().pod('Pod1').endpoints.compute}/servers/${s.id}`, token);
    for (const s of all) await podServerGone(bed(), bed().pod('Pod1'), s.id);
  });
});
