// Nova's os-hosts (below 2.43) through the gateway: every pod's hosts listed with the top AZs,
// `?zone=` applied to those, and a host's show, update and power actions routed to the pod whose
// compute service runs on it; an unknown host is Nova's 404, a non-admin Nova's 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, keystoneCloud, ADMIN_WHO, ALICE } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']);
});
after(() => cloud.close());

const admin = (path: string, opts: { version?: string; method?: string; body?: unknown } = {}) => api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO, version: '2.42', ...opts });
const podCalls = (i: number, method: string, fragment: string) => cloud.pods[i]!.requests.filter((q) => q.method === method && q.path.includes(fragment)).length;

test('the list holds every pod\'s hosts with the top AZs; a zone filter keeps that zone\'s, empty or unknown as Nova', async () => {
  const all = await admin('/os-hosts');
  assert.equal(all.status, 200, all.text);
  const compute = all.body.hosts.filter((h: any) => h.service === 'compute');
  assert.deepEqual(compute, [{ host_name: 'pod1-compute-1', service: 'compute', zone: 'az1' }, { host_name: 'pod2-compute-1', service: 'compute', zone: 'az2' }]);
  assert.ok(all.body.hosts.some((h: any) => h.service === 'conductor' && h.zone === 'internal'));
  assert.deepEqual((await admin('/os-hosts?zone=az2')).body, { hosts: [{ host_name: 'pod2-compute-1', service: 'compute', zone: 'az2' }] });
  assert.equal((await admin('/os-hosts?zone=')).body.hosts.length, all.body.hosts.length);
  assert.deepEqual((await admin('/os-hosts?zone=xxx')).body, { hosts: [] });
  assert.equal((await api(cloud.compute, '/proj-a/os-hosts', { version: '2.42' })).status, 403);
  assert.equal((await admin('/os-hosts', { version: '2.43' })).status, 404, 'removed at 2.43, as Nova');
});

test('show, update and power actions reach the host\'s pod only; an unknown host is Nova\'s 404', async () => {
  const made = await api(cloud.compute, '/proj-a/servers', { method: 'POST', body: { server: { name: 'h', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } });
  assert.equal(made.status, 202, made.text);
  const shown = await admin('/os-hosts/pod2-compute-1');
  assert.equal(shown.status, 200, shown.text);
  assert.deepEqual(shown.body.host.map((r: any) => [r.resource.host, r.resource.project]), [['pod2-compute-1', '(total)'], ['pod2-compute-1', '(used_now)'], ['pod2-compute-1', '(used_max)'], ['pod2-compute-1', 'proj-a']]);
  assert.deepEqual(shown.body.host[2].resource, { host: 'pod2-compute-1', project: '(used_max)', cpu: 1, memory_mb: 512, disk_gb: 1 });
  assert.equal(podCalls(0, 'GET', '/os-hosts/pod2-compute-1'), 0, 'Pod1 was not asked for Pod2\'s host');
  const before = podCalls(0, 'PUT', '/os-hosts/');
  const upd = await admin('/os-hosts/pod2-compute-1', { method: 'PUT', body: { status: 'disable', maintenance_mode: 'enable' } });
  assert.deepEqual(upd.body, { host: 'pod2-compute-1', status: 'disabled', maintenance_mode: 'on_maintenance' });
  assert.equal(podCalls(0, 'PUT', '/os-hosts/'), before, 'Pod1 changed nothing');
  assert.deepEqual((await admin('/os-hosts/pod1-compute-1/reboot')).body, { host: 'pod1-compute-1', power_action: 'reboot' });
  assert.equal(podCalls(1, 'GET', '/reboot'), 0);
  const invalid = await admin('/os-hosts/pod1-compute-1', { method: 'PUT', body: { status: 'bad' } });
  assert.equal(invalid.status, 400, invalid.text);
  const nf = { itemNotFound: { code: 404, message: "Host 'nowhere' is not mapped to any cell" } };
  assert.deepEqual((await admin('/os-hosts/nowhere')).body, nf);
  assert.deepEqual((await admin('/os-hosts/nowhere/startup')).body, nf);
  assert.deepEqual((await admin('/os-hosts/nowhere', { method: 'PUT', body: { status: 'enable' } })).body, nf);
  assert.equal((await api(cloud.compute, '/proj-a/os-hosts/pod1-compute-1/shutdown', { version: '2.42' })).status, 403);
});
