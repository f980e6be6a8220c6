// The admin commands of the built dist/trio2o against a real gateway (dist/trio2o serve --noauth,
// its own process) and a simulated pod: every command, the output formats and columns, `--help`,
// and the exit codes (0 done, 1 the API refused with its fault message, 2 usage).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSimPod, CIRROS_IMAGE_ID, type SimPod } from '@trio2o/podsim';
import { ensureBuilt } from '../ops/binary';
import { startServe, type ServeProcess } from '../ops/process';
import { call } from '../support/http';
import { freePort } from '../support/keystone-server';
import { cleanEnv, trio2o, type Run } from './run-binary';

let dir: string;
let gw: ServeProcess;
let pod: SimPod;
let podId: string;

/** An admin command against the test gateway, noauth. */
const admin = (...args: string[]) => trio2o([...args, '--noauth', '--endpoint', gw.urls.admin]);
const ok = (r: Run) => (assert.equal(r.code, 0, `exit ${r.code}\n${r.stderr}${r.stdout}`), r.stdout);
const json = async (...args: string[]) => JSON.parse(ok(await admin(...args, '-f', 'json')));

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'trio2o-cli-'));
  pod = await startSimPod({ name: 'Pod1', az: 'az1-internal' });
  gw = await startServe({
    dir,
    args: ['--noauth'],
    command: [join(process.cwd(), 'dist/trio2o')],
    env: cleanEnv({ TRIO2O_ADMIN_API_PORT: '0', TRIO2O_COMPUTE_API_PORT: '0', TRIO2O_VOLUME_API_PORT: '0', TRIO2O_NATIVE_DIR: join(dir, 'cache') }),
  });
});
after(async () => {
  gw?.child.kill('SIGTERM');
  await gw?.exited;
  await pod?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('pod create / list / show / set: tables by default, json, yaml, value and -c', async () => {
  const top = ok(await admin('pod', 'create', 'RegionOne'));
  assert.match(top, /^\+-+\+-+\+\n\| Field +\| Value +\|\n\+-+\+-+\+\n/);
  assert.match(top, /^\| pod_name +\| RegionOne +\|$/m);
  const created = await json('pod', 'create', 'Pod1', '--az-name', 'az1', '--pod-az-name', 'az1-internal', '--dc-name', 'dc1',
    '--service-endpoint', `compute=${pod.endpoints.compute}`, '--service-endpoint', `volumev3=${pod.endpoints.volumev3}`, '--service-endpoint', `image=${pod.endpoints.image}`);
  assert.equal(created.pod_name, 'Pod1');
  assert.equal(created.az_name, 'az1');
  assert.deepEqual(created.endpoints, pod.endpoints);
  podId = created.pod_id;

  const table = ok(await admin('pod', 'list'));
  const lines = table.trimEnd().split('\n');
  assert.match(lines[1]!, /^\| pod_id +\| pod_name +\| az_name +\| pod_az_name +\| dc_name +\| enabled +\|$/);
  assert.equal(lines.length, 6, table);
  assert.ok(lines.every((l) => l.length === lines[0]!.length), 'every line of the table is as wide as its border');
  assert.equal(ok(await admin('pod', 'list', '-f', 'value', '-c', 'pod_name', '-c', 'az_name')).split('\n').sort().join('\n'), '\nPod1 az1\nRegionOne ');
  assert.deepEqual(parse(ok(await admin('pod', 'list', '-f', 'yaml', '-c', 'pod_name'))).map((p: { pod_name: string }) => p.pod_name).sort(), ['Pod1', 'RegionOne']);
  assert.deepEqual(await json('pod', 'list', '-c', 'pod_id', '-c', 'enabled'), (await json('pod', 'list')).map((p: { pod_id: string; enabled: boolean }) => ({ pod_id: p.pod_id, enabled: p.enabled })));

  assert.equal((await json('pod', 'show', 'Pod1')).pod_id, podId, 'by name');
  assert.equal(ok(await admin('pod', 'show', podId, '-f', 'value', '-c', 'pod_name')), 'Pod1\n', 'by id');
  assert.equal(ok(await admin('pod', 'set', 'Pod1', '--disable', '-f', 'value', '-c', 'enabled')), 'false\n');
  assert.equal(ok(await admin('pod', 'set', podId, '--enable', '-f', 'value', '-c', 'enabled')), 'true\n');
});

test('binding create / list / delete, and pod delete refused while a binding holds the pod (exit 1, the fault message)', async () => {
  const binding = await json('binding', 'create', '--tenant-id', 'proj-cli', '--pod', 'Pod1');
  assert.equal(binding.pod_id, podId);
  assert.equal(binding.is_binding, true);
  assert.deepEqual((await json('binding', 'list', '--active', '--tenant-id', 'proj-cli')).map((b: { id: string }) => b.id), [binding.id]);
  const refused = await admin('pod', 'delete', 'Pod1');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`^trio2o: pod Pod1: Pod ${podId} is still referenced by 1 binding\\(s\\) and 0 routing\\(s\\)\\nFailed to delete 1 of 1 pods\\.\\n$`));
  assert.equal(ok(await admin('binding', 'delete', binding.id)), '');
  assert.deepEqual(await json('binding', 'list', '--tenant-id', 'proj-cli'), []);
});

test('routing adopt / list / show / delete', async () => {
  const made = await call(`${pod.endpoints.compute}/proj-cli/servers`, { method: 'POST', headers: { 'x-auth-token': 't', 'x-project-id': 'proj-cli' }, body: { server: { name: 'direct', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(made.status, 202, made.text);
  const serverId = made.body.server.id as string;
  const routing = await json('routing', 'adopt', '--top-id', serverId, '--pod', 'Pod1', '--resource-type', 'server');
  assert.equal(routing.project_id, 'proj-cli', 'the project came from the pod');
  assert.equal(ok(await admin('routing', 'list', '--pod', 'Pod1', '-f', 'value', '-c', 'top_id', '-c', 'status')), `${serverId} active\n`);
  assert.equal((await json('routing', 'list', '--project-id', 'proj-cli', '--limit', '1')).length, 1);
  assert.equal((await json('routing', 'show', String(routing.id))).top_id, serverId);
  const again = await admin('routing', 'adopt', '--top-id', serverId, '--pod', podId, '--resource-type', 'server');
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `trio2o: server ${serverId} is routed already (routing ${routing.id}, pod ${podId}).\n`);
  assert.equal(ok(await admin('routing', 'delete', String(routing.id))), '');
  const gone = await admin('routing', 'show', String(routing.id));
  assert.deepEqual([gone.code, gone.stderr, gone.stdout], [1, 'trio2o: Routing not found\n', '']);
});

test('job list / show / retry', async () => {
  const jobs = await json('job', 'list', '--type', 'pod_catalog_sync');
  assert.ok(jobs.length >= 1, 'registering Pod1 queued its catalog sync');
  const id = jobs[0].id as string;
  let job: Record<string, any> = {};
  for (let i = 0; i < 100 && !['success', 'fail'].includes(job.status); i++) {
    job = await json('job', 'show', id);
    if (!['success', 'fail'].includes(job.status)) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(Array.isArray(job.history) && job.history.length >= 1, 'show carries the history of attempts');
  assert.match(ok(await admin('job', 'show', id)), /^\| history +\| \{"/m, 'the table shows one attempt per line');
  const retried = await json('job', 'retry', id);
  assert.equal(retried.id, id);
  assert.equal(retried.status, 'new');
});

test('status: each pod with AZ, enabled, reachable, breaker, microversions, routings, last error; the store', async () => {
  const table = ok(await admin('status'));
  assert.match(table, /^\| pod_name +\| az_name +\| enabled +\| reachable +\| breaker +\| compute +\| volume +\| routings +\| last_error +\|$/m);
  assert.match(table, /^\| Pod1 +\| az1 +\| true +\| true +\| closed +\| 2\.1-2\.79 +\| 3\.0-3\.70 +\| 0 +\| +\|$/m);
  assert.match(table, /^store: standalone \(local file\)$/m);
  const doc = await json('status');
  assert.equal(doc.store.mode, 'standalone');
  assert.deepEqual(doc.pods.find((p: { pod_name: string }) => p.pod_name === 'Pod1').compute_microversions, { min: '2.1', max: '2.79' });
  assert.equal(ok(await admin('status', '-f', 'value', '-c', 'pod_name', '-c', 'reachable')).split('\n').sort().join('\n'), '\nPod1 true\nRegionOne ');
});

test('pod delete after its references are gone', async () => {
  assert.equal(ok(await admin('pod', 'delete', 'Pod1')), '');
  assert.equal((await admin('pod', 'show', 'Pod1')).stderr, 'trio2o: No pod with id or name "Pod1" exists.\n');
});

test('usage mistakes exit 2 with a message; --help exits 0', async () => {
  const cases: [string[], RegExp][] = [
    [['pod', 'frobnicate'], /^trio2o: unknown command "pod frobnicate"; the pod commands are:\n  trio2o pod list/],
    [['pod', 'list', '--bogus'], /^trio2o: Unknown option '--bogus'/],
    [['pod', 'show'], /^trio2o: missing argument POD\nusage: trio2o pod show POD/],
    [['routing', 'show', '1', '2'], /^trio2o: unexpected argument "2"/],
    [['pod', 'list', '-f', 'xml'], /^trio2o: --format must be one of table, json, yaml, value/],
    [['pod', 'list', '-c', 'nope'], /^trio2o: unknown column\(s\) nope; columns are: pod_id, pod_name/],
    [['binding', 'create', '--tenant-id', 'p'], /^trio2o: --tenant-id and --pod are required/],
    [['pod', 'set', 'x', '--enable', '--disable'], /^trio2o: --enable and --disable exclude each other/],
  ];
  for (const [args, message] of cases) {
    const r = await admin(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  const noAuth = await trio2o(['pod', 'list']);
  assert.equal(noAuth.code, 2);
  assert.match(noAuth.stderr, /^trio2o: missing --os-auth-url \(OS_AUTH_URL\), --os-username \(OS_USERNAME\), --os-password \(OS_PASSWORD\), --os-project-name \(OS_PROJECT_NAME\)/);
  const help = await trio2o(['pod', 'create', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: trio2o pod create POD_NAME \[--az-name AZ\] \[--pod-az-name AZ\] \[--dc-name DC\] \[--service-endpoint SERVICE=URL\] \[--disable\]\n/);
  assert.match(help.stdout, /--os-cloud NAME +OS_CLOUD/);
  const group = await trio2o(['routing', '--help']);
  assert.equal(group.code, 0);
  assert.match(group.stdout, /trio2o routing adopt +route a resource a pod already has/);
  const top = await trio2o(['--help']);
  assert.match(top.stdout, /trio2o status +each pod's reachability/);
  assert.match(top.stdout, /trio2o config check \[--config FILE\]/);
});

test('an unreachable admin API is exit 1 with the reason', async () => {
  const port = await freePort();
  const r = await trio2o(['pod', 'list', '--noauth', '--endpoint', `http://127.0.0.1:${port}`]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `trio2o: cannot reach the admin API at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
});
