// Servers in both AZs through the gateway with the real clients, each step checked in the real
// pod that must hold the server (and not in the other one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, gw, http, mv, nova, openstack, osc, podServer, podServerGone, podServerStatus, podsHoldingServer,
  tableId, useBed, waitFor, type Creds,
} from './support';

const T = { timeout: 10 * 60_000 };

describe('servers in az1 and az2 with openstack, nova and raw HTTP', () => {
  const bed = useBed();
  let c: Creds;
  const id = { az1: '', az2: '' };
  before(async () => {
    c = await bed().newProject('servers');
  });
  after(async () => c && cleanProject(bed(), c));
  const pod1 = () => bed().pod('Pod1');
  const pod2 = () => bed().pod('Pod2');

  test('openstack server create --nic none in az1 lands in Pod1 only, ACTIVE with the flavor and image asked for', T, async () => {
    const s = await osc(c, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.nano', '--image', 'tiny',
      '--nic', 'none', '--availability-zone', 'az1', 'vm-az1');
    id.az1 = s.id;
    assert.deepEqual(await podsHoldingServer(bed(), s.id), ['Pod1']);
    const inPod = await podServerStatus(bed(), pod1(), s.id, 'ACTIVE');
    assert.equal(inPod['OS-EXT-AZ:availability_zone'], 'az1');
    assert.equal(inPod.tenant_id, c.projectId);
    assert.equal(inPod.flavor.original_name, 'm1.nano');
    assert.equal(inPod.image.id, bed().images.tiny);
    assert.deepEqual(inPod.addresses, {}, 'no network: --nic none');
  });

  test('nova boot --nic none in az2 lands in Pod2 only', T, async () => {
    const out = await nova(c, 'boot', '--flavor', 'm1.nano', '--image', 'tiny', '--nic', 'none', '--availability-zone', 'az2', 'vm-az2');
    id.az2 = tableId(out);
    assert.deepEqual(await podsHoldingServer(bed(), id.az2), ['Pod2']);
    const inPod = await podServerStatus(bed(), pod2(), id.az2, 'ACTIVE');
    assert.equal(inPod['OS-EXT-AZ:availability_zone'], 'az2');
  });

  test('show through the gateway is the pod\'s view (status, AZ, created, flavor, image)', T, async () => {
    for (const [az, sid, pod] of [['az1', id.az1, pod1()], ['az2', id.az2, pod2()]] as const) {
      const shown = await osc(c, '--os-compute-api-version', '2.79', 'server', 'show', sid);
      const inPod = (await podServer(bed(), pod, sid))!;
      assert.equal(shown.status, 'ACTIVE');
      assert.equal(shown['OS-EXT-AZ:availability_zone'], az);
      assert.equal(shown.created, inPod.created);
      assert.equal(shown.flavor.original_name ?? shown.flavor, inPod.flavor.original_name);
      const raw = await http('GET', `${gw(bed(), c.projectId).compute}/servers/${sid}`, await c.token(), undefined, mv('2.79'));
      assert.equal(raw.status, 200);
      assert.equal(raw.json.server.id, sid);
      assert.equal(raw.json.server.updated, inPod.updated);
      assert.match(raw.json.server.links[0].href, new RegExp(`^${bed().gateway.urls.compute}/`), 'links point at the gateway');
    }
    const novaShow = await nova(c, 'show', id.az2);
    assert.match(novaShow, /OS-EXT-AZ:availability_zone\s+\|\s+az2/);
  });

  test('openstack server list and nova list show both servers; /servers/detail gives each its AZ', T, async () => {
    const list = await osc(c, 'server', 'list');
    assert.deepEqual(list.map((s: { Name: string }) => s.Name).sort(), ['vm-az1', 'vm-az2']);
    const novaList = await nova(c, 'list');
    assert.match(novaList, /vm-az1/);
    assert.match(novaList, /vm-az2/);
    const raw = await http('GET', `${gw(bed(), c.projectId).compute}/servers/detail`, await c.token(), undefined, mv('2.79'));
    const azs = Object.fromEntries(raw.json.servers.map((s: Record<string, string>) => [s.name, s['OS-EXT-AZ:availability_zone']]));
    assert.deepEqual(azs, { 'vm-az1': 'az1', 'vm-az2': 'az2' });
  });

  test('update and metadata reach the pod: openstack server set/unset, nova meta, raw PUT', T, async () => {
    await openstack(c, 'server', 'set', '--name', 'vm-az1-renamed', '--property', 'role=web', '--property', 'tier=1', id.az1);
    let inPod = (await podServer(bed(), pod1(), id.az1))!;
    assert.equal(inPod.name, 'vm-az1-renamed');
    assert.deepEqual(inPod.metadata, { role: 'web', tier: '1' });
    await openstack(c, 'server', 'unset', '--property', 'tier', id.az1);
    assert.deepEqual((await podServer(bed(), pod1(), id.az1))!.metadata, { role: 'web' });
    await nova(c, 'meta', id.az2, 'set', 'color=blue');
    assert.deepEqual((await podServer(bed(), pod2(), id.az2))!.metadata, { color: 'blue' });
    const put = await http('PUT', `${gw(bed(), c.projectId).compute}/servers/${id.az2}/metadata/size`, await c.token(), { meta: { size: 'L' } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { meta: { size: 'L' } });
    inPod = (await podServer(bed(), pod2(), id.az2))!;
    assert.deepEqual(inPod.metadata, { color: 'blue', size: 'L' });
    const upd = await http('PUT', `${gw(bed(), c.projectId).compute}/servers/${id.az2}`, await c.token(), { server: { description: 'second' } }, mv('2.79'));
    assert.equal(upd.status, 200);
    assert.equal((await podServer(bed(), pod2(), id.az2))!.description, 'second');
  });

  test('actions the fake driver supports, each seen in Pod2: stop/start, reboot, pause, suspend, lock, shelve, console', T, async () => {
    const sid = id.az2;
    const pod = pod2();
    const step = async (args: string[], status: string) => {
      await openstack(c, 'server', ...args, sid);
      return podServerStatus(bed(), pod, sid, status);
    };
    await step(['stop'], 'SHUTOFF');
    await step(['start'], 'ACTIVE');
    await step(['reboot'], 'ACTIVE');
    await step(['pause'], 'PAUSED');
    await step(['unpause'], 'ACTIVE');
    await step(['suspend'], 'SUSPENDED');
    await step(['resume'], 'ACTIVE');
    await openstack(c, '--os-compute-api-version', '2.73', 'server', 'lock', '--reason', 'maintenance', sid);
    const locked = (await podServer(bed(), pod, sid))!;
    assert.equal(locked.locked, true);
    assert.equal(locked.locked_reason, 'maintenance');
    // A locked server refuses a member's stop: the pod's 409, passed through.
    const refused = await http('POST', `${gw(bed(), c.projectId).compute}/servers/${sid}/action`, await c.token(), { 'os-stop': null });
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.json, { conflictingRequest: { code: 409, message: `Instance ${sid} is locked` } });
    await openstack(c, 'server', 'unlock', sid);
    assert.equal((await podServer(bed(), pod, sid))!.locked, false);
    // Nova's default shelved_offload_time is 0: shelve ends offloaded.
    await step(['shelve'], 'SHELVED_OFFLOADED');
    await step(['unshelve'], 'ACTIVE');
    const log = await openstack(c, 'console', 'log', 'show', sid);
    assert.match(log, /FAKE CONSOLE OUTPUT/);
    const actions = await http('GET', `${pod.endpoints.compute}/servers/${sid}/os-instance-actions`, await bed().users.admin.token());
    const names = actions.json.instanceActions.map((a: { action: string }) => a.action);
    for (const a of ['stop', 'start', 'reboot', 'pause', 'unpause', 'suspend', 'resume', 'lock', 'unlock', 'shelve', 'unshelve']) {
      assert.ok(names.includes(a), `the pod recorded ${a} (${names.join(', ')})`);
    }
  });

  test('resize to m1.micro, then confirm: the pod runs the new flavor', T, async () => {
    await openstack(c, 'server', 'resize', '--flavor', 'm1.micro', id.az1);
    await podServerStatus(bed(), pod1(), id.az1, 'VERIFY_RESIZE');
    await openstack(c, 'server', 'resize', 'confirm', id.az1);
    const inPod = await podServerStatus(bed(), pod1(), id.az1, 'ACTIVE');
    assert.equal(inPod.flavor.original_name, 'm1.micro');
    const shown = await osc(c, '--os-compute-api-version', '2.79', 'server', 'show', id.az1);
    assert.equal(shown.flavor.original_name, 'm1.micro');
  });

  test('rebuild with tiny-alt: the pod runs the other image, under the new name', T, async () => {
    await openstack(c, 'server', 'rebuild', '--image', 'tiny-alt', '--name', 'vm-az1-rebuilt', id.az1);
    const inPod = await waitFor('rebuilt in Pod1', async () => {
      const s = await podServer(bed(), pod1(), id.az1);
      return s?.status === 'ACTIVE' && !s['OS-EXT-STS:task_state'] && s.image.id === bed().images.alt ? s : undefined;
    });
    assert.equal(inPod.name, 'vm-az1-rebuilt');
  });

  test('faults come back as the pod words them: unknown id 404, an action in the wrong state 409', T, async () => {
    const g = gw(bed(), c.projectId);
    const token = await c.token();
    const missing = '0f0f0f0f-0000-4000-8000-000000000000';
    const viaGateway = await http('GET', `${g.compute}/servers/${missing}`, token);
    const direct = await http('GET', `${pod1().endpoints.compute}/servers/${missing}`, token);
    assert.equal(viaGateway.status, 404);
    assert.deepEqual(viaGateway.json, direct.json);
    const startActive = await http('POST', `${g.compute}/servers/${id.az1}/action`, token, { 'os-start': null });
    assert.equal(startActive.status, 409);
    assert.deepEqual(startActive.json, {
      conflictingRequest: { code: 409, message: `Cannot 'start' instance ${id.az1} while it is in vm_state active` },
    });
  });

  test('delete: openstack server delete --wait and nova delete empty both pods and the lists', T, async () => {
    await openstack(c, 'server', 'delete', '--wait', id.az1);
    await podServerGone(bed(), pod1(), id.az1);
    await nova(c, 'delete', id.az2);
    await podServerGone(bed(), pod2(), id.az2);
    const list = await waitFor('empty list', async () => {
      const l = await osc(c, 'server', 'list');
      return l.length === 0 ? l : undefined;
    }, 60_000, 2_000);
    assert.deepEqual(list, []);
    const gone = await http('GET', `${gw(bed(), c.projectId).compute}/servers/${id.az1}`, await c.token());
    assert.equal(gone.status, 404);
  });
});
