// The user's path with software nobody here wrote: openstack, nova and cinder (Debian's
// clients, /usr/bin/python3) as a demo member against the gateway built as dist/trio2o, with a
// real Keystone; every scenario checks the effect in the right simulated pod, not just the exit code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startE2E, cli, osc, type E2E } from './cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';

let e: E2E;
before(async () => {
  if (!existsSync(process.env.TRIO2O_E2E_BIN ?? 'dist/trio2o')) throw new Error('dist/trio2o is missing: run `npm run build` first');
  e = await startE2E();
});
after(() => e?.stop());

const pod = (i: number) => e.cloud.pods[i]!;
async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('admin registers nothing more: pods are listed through the admin API with curl and an admin token', async () => {
  const token = (await osc(e.adminEnv, 'token', 'issue')).id as string;
  const out = await cli(process.env, 'curl', ['-sf', '-H', `X-Auth-Token: ${token}`, `${e.gw.urls.admin}/v1.0/pods`]);
  const names = (JSON.parse(out).pods as { pod_name: string }[]).map((p) => p.pod_name);
  assert.deepEqual(names, ['RegionOne', 'Pod1', 'Pod2']);
  const denied = await cli(process.env, 'curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `X-Auth-Token: ${(await osc(e.env, 'token', 'issue')).id}`, `${e.gw.urls.admin}/v1.0/pods`]);
  assert.equal(denied, '403', 'a member is refused the admin API');
});

test('openstack availability zone list / flavor list / flavor show; nova flavor-list', async () => {
  const zones = await osc(e.env, 'availability', 'zone', 'list', '--compute');
  assert.deepEqual(zones.map((z: { 'Zone Name': string }) => z['Zone Name']).sort(), ['az1', 'az2']);
  const flavors = await osc(e.env, 'flavor', 'list');
  assert.ok(flavors.some((f: { Name: string }) => f.Name === 'm1.tiny'));
  const tiny = await osc(e.env, 'flavor', 'show', 'm1.tiny');
  assert.equal(tiny.ram, 512);
  const novaFlavors = await cli(e.env, '/usr/bin/nova', ['flavor-list']);
  assert.match(novaFlavors, /\|\s+1\s+\|\s+m1\.tiny\s+\|\s+512\s+\|/);
});

test('openstack keypair create/list; server create in az1 with --key-name lands in Pod1 with the keypair', async () => {
  // Without --public-key the client prints the generated private key, not a table.
  const priv = await cli(e.env, '/usr/bin/openstack', ['keypair', 'create', 'k1']);
  assert.match(priv, /PRIVATE KEY/);
  const keys = await osc(e.env, 'keypair', 'list');
  assert.deepEqual(keys.map((k: { Name: string }) => k.Name), ['k1']);
  const s = await osc(e.env, 'server', 'create', '--flavor', 'm1.tiny', '--image', CIRROS_IMAGE_ID, '--availability-zone', 'az1', '--key-name', 'k1', 'vm1');
  assert.ok(pod(0).servers.has(s.id), 'the server is in Pod1');
  assert.equal(pod(1).servers.has(s.id), false);
  assert.equal(pod(0).servers.get(s.id)!.keyName ?? (pod(0).servers.get(s.id) as unknown as { key_name?: string }).key_name, 'k1');
  await until(async () => (await osc(e.env, 'server', 'show', s.id)).status === 'ACTIVE');
  const shown = await osc(e.env, 'server', 'show', s.id);
  assert.equal(shown['OS-EXT-AZ:availability_zone'], 'az1');
  assert.equal(shown.name, 'vm1');
});

test('nova boot in az2 lands in Pod2; openstack server list and nova list show both servers', async () => {
  const out = await cli(e.env, '/usr/bin/nova', ['boot', '--flavor', '1', '--image', CIRROS_IMAGE_ID, '--availability-zone', 'az2', 'vm2']);
  const id = /\|\s+id\s+\|\s+([0-9a-f-]{36})\s+\|/.exec(out)?.[1];
  assert.ok(id, out);
  assert.ok(pod(1).servers.has(id!), 'the server is in Pod2');
  const list = await osc(e.env, 'server', 'list');
  assert.deepEqual(list.map((s: { Name: string }) => s.Name).sort(), ['vm1', 'vm2']);
  const novaList = await cli(e.env, '/usr/bin/nova', ['list']);
  assert.match(novaList, /vm1/);
  assert.match(novaList, /vm2/);
});

test('openstack server stop / start / reboot reach the owning pod', async () => {
  const [vm1] = (await osc(e.env, 'server', 'list', '--name', 'vm1')) as { ID: string }[];
  await cli(e.env, '/usr/bin/openstack', ['server', 'stop', vm1!.ID]);
  await until(async () => (await osc(e.env, 'server', 'show', vm1!.ID)).status === 'SHUTOFF');
  await cli(e.env, '/usr/bin/openstack', ['server', 'start', vm1!.ID]);
  await until(async () => (await osc(e.env, 'server', 'show', vm1!.ID)).status === 'ACTIVE');
  await cli(e.env, '/usr/bin/openstack', ['server', 'reboot', vm1!.ID]);
  const actions = pod(0).requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/servers/${vm1!.ID}/action`)).map((r) => Object.keys(r.body as object)[0]);
  assert.deepEqual(actions, ['os-stop', 'os-start', 'reboot']);
});

test('openstack volume create/list/show/set in az1 land in Pod1; server add volume attaches it', async () => {
  const v = await osc(e.env, 'volume', 'create', '--size', '1', '--availability-zone', 'az1', 'vol1');
  assert.ok(pod(0).volumes.has(v.id), 'the volume is in Pod1');
  await until(async () => (await osc(e.env, 'volume', 'show', v.id)).status === 'available');
  const shown = await osc(e.env, 'volume', 'show', v.id);
  assert.equal(shown.availability_zone, 'az1');
  await cli(e.env, '/usr/bin/openstack', ['volume', 'set', '--name', 'vol1-renamed', v.id]);
  assert.equal(pod(0).volumes.get(v.id)!.name, 'vol1-renamed');
  const list = await osc(e.env, 'volume', 'list');
  assert.deepEqual(list.map((x: { Name: string }) => x.Name), ['vol1-renamed']);
  const [vm1] = (await osc(e.env, 'server', 'list', '--name', 'vm1')) as { ID: string }[];
  await cli(e.env, '/usr/bin/openstack', ['server', 'add', 'volume', vm1!.ID, v.id]);
  await until(async () => pod(0).volumes.get(v.id)!.status === 'in-use');
  assert.equal(pod(0).volumes.get(v.id)!.attachments[0]!.serverId, vm1!.ID);
});

test('cinder create --availability-zone az2 and cinder list', async () => {
  const out = await cli(e.env, '/usr/bin/cinder', ['create', '--availability-zone', 'az2', '--name', 'vol2', '1']);
  const id = /\|\s+id\s+\|\s+([0-9a-f-]{36})\s+\|/.exec(out)?.[1];
  assert.ok(id, out);
  assert.ok(pod(1).volumes.has(id!), 'the volume is in Pod2');
  const list = await cli(e.env, '/usr/bin/cinder', ['list']);
  assert.match(list, /vol2/);
  assert.match(list, /vol1-renamed/);
});

test('openstack volume delete and server delete remove them from their pods', async () => {
  const [vol2] = (await osc(e.env, 'volume', 'list', '--name', 'vol2')) as { ID: string }[];
  await until(async () => (await osc(e.env, 'volume', 'show', vol2!.ID)).status === 'available');
  await cli(e.env, '/usr/bin/openstack', ['volume', 'delete', vol2!.ID]);
  await until(async () => !pod(1).volumes.has(vol2!.ID));
  const [vm2] = (await osc(e.env, 'server', 'list', '--name', 'vm2')) as { ID: string }[];
  await cli(e.env, '/usr/bin/openstack', ['server', 'delete', vm2!.ID]);
  await until(async () => !pod(1).servers.has(vm2!.ID));
});
