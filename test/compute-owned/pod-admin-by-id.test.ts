// os-services updates and deletes, and os-hypervisors show/uptime/statistics/search/servers, reach
// the pod that holds the service or hypervisor by the id the gateway's lists gave it (offset
// integers below 2.53, the pod's UUID from 2.53); legacy updates find the pod by host.
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

const admin = (path: string, opts: { version?: string; method?: string; body?: unknown } = {}) => api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO, ...opts });
const podCalls = (i: number, method: string, fragment: string) => cloud.pods[i]!.requests.filter((q) => q.method === method && q.path.includes(fragment)).length;

test('2.53: PUT by UUID disables Pod2\'s compute service only; the lists show it', async () => {
  const list = await admin('/os-services?binary=nova-compute', { version: '2.53' });
  const pod2 = list.body.services.find((s: any) => s.zone === 'az2');
  const r = await admin(`/os-services/${pod2.id}`, { version: '2.53', method: 'PUT', body: { status: 'disabled', disabled_reason: 'maintenance' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.service.id, pod2.id);
  assert.equal(r.body.service.zone, 'az2', 'the top AZ');
  assert.equal(r.body.service.status, 'disabled');
  assert.equal(podCalls(0, 'PUT', '/os-services/'), 0, 'Pod1 was not asked to change anything');
  const after = await admin('/os-services?binary=nova-compute', { version: '2.53' });
  assert.deepEqual(after.body.services.map((s: any) => [s.zone, s.status, s.disabled_reason]), [['az1', 'enabled', null], ['az2', 'disabled', 'maintenance']]);
  const back = await admin(`/os-services/${pod2.id}`, { version: '2.53', method: 'PUT', body: { status: 'enabled' } });
  assert.equal(back.body.service.status, 'enabled');
  const unknown = '3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
  assert.deepEqual((await admin(`/os-services/${unknown}`, { version: '2.53', method: 'PUT', body: { status: 'enabled' } })).body, { itemNotFound: { code: 404, message: `Service ${unknown} could not be found.` } });
  assert.deepEqual((await admin('/os-services/17', { version: '2.53', method: 'PUT', body: { status: 'enabled' } })).body, { badRequest: { code: 400, message: 'Invalid uuid 17' } });
  const scheduler = (await admin('/os-services?binary=nova-scheduler', { version: '2.53' })).body.services[0];
  const refused = await admin(`/os-services/${scheduler.id}`, { version: '2.53', method: 'PUT', body: { status: 'disabled' } });
  assert.deepEqual(refused.body, { badRequest: { code: 400, message: 'Updating a nova-scheduler service is not supported. Only nova-compute services can be updated.' } }, 'the pod\'s own answer');
  assert.equal((await api(cloud.compute, `/proj-a/os-services/${pod2.id}`, { version: '2.53', method: 'PUT', body: { status: 'enabled' } })).status, 403);
});

test('below 2.53: legacy updates by host go to the host\'s pod; unknown host is 404', async () => {
  const r = await admin('/os-services/disable-log-reason', { version: '2.11', method: 'PUT', body: { host: 'pod1-compute-1', binary: 'nova-compute', disabled_reason: 'r' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { service: { host: 'pod1-compute-1', binary: 'nova-compute', status: 'disabled', disabled_reason: 'r' } });
  const down = await admin('/os-services/force-down', { version: '2.11', method: 'PUT', body: { host: 'pod1-compute-1', binary: 'nova-compute', forced_down: true } });
  assert.deepEqual(down.body, { service: { host: 'pod1-compute-1', binary: 'nova-compute', forced_down: true } });
  const list = await admin('/os-services?binary=nova-compute', { version: '2.11' });
  assert.deepEqual(list.body.services.map((s: any) => [s.id, s.status, s.forced_down]), [[1_000_003, 'disabled', true], [2_000_003, 'enabled', false]]);
  await admin('/os-services/enable', { version: '2.11', method: 'PUT', body: { host: 'pod1-compute-1', binary: 'nova-compute' } });
  await admin('/os-services/force-down', { version: '2.11', method: 'PUT', body: { host: 'pod1-compute-1', binary: 'nova-compute', forced_down: false } });
  const none = await admin('/os-services/enable', { version: '2.11', method: 'PUT', body: { host: 'nowhere', binary: 'nova-compute' } });
  assert.deepEqual(none.body, { itemNotFound: { code: 404, message: 'Could not find binary nova-compute on host nowhere.' } });
});

test('DELETE by offset id reaches the right pod; a compute service with servers is the pod\'s 409', async () => {
  const made = await api(cloud.compute, '/proj-a/servers', { method: 'POST', body: { server: { name: 'x', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } } });
  assert.equal(made.status, 202, made.text);
  const busy = await admin('/os-services/1000003', { method: 'DELETE' });
  assert.equal(busy.status, 409, busy.text);
  const gone = await admin('/os-services/2000002', { method: 'DELETE' });
  assert.equal(gone.status, 204, gone.text);
  const list = await admin('/os-services');
  assert.deepEqual(list.body.services.map((s: any) => s.id), [1_000_001, 1_000_002, 1_000_003, 2_000_001, 2_000_003], 'Pod2\'s conductor is gone, nothing else');
  assert.deepEqual((await admin('/os-services/abc', { method: 'DELETE' })).body, { badRequest: { code: 400, message: 'Invalid input received: id must be an integer' } });
  assert.equal((await admin('/os-services/9000001', { method: 'DELETE' })).status, 404);
});

test('hypervisors: show and uptime by either id form, statistics summed, search/servers concatenated', async () => {
  const show = await admin('/os-hypervisors/2000001');
  assert.equal(show.status, 200, show.text);
  assert.equal(show.body.hypervisor.id, 2_000_001);
  assert.equal(show.body.hypervisor.hypervisor_hostname, 'pod2-compute-1');
  assert.equal(show.body.hypervisor.service.id, 2_000_003);
  const list53 = await admin('/os-hypervisors', { version: '2.53' });
  const uuid = list53.body.hypervisors.find((h: any) => h.hypervisor_hostname === 'pod1-compute-1').id;
  const show53 = await admin(`/os-hypervisors/${uuid}?with_servers=true`, { version: '2.75' });
  assert.equal(show53.status, 200, show53.text);
  assert.equal(show53.body.hypervisor.servers.length, 1, 'the server made in Pod1');
  assert.deepEqual((await admin('/os-hypervisors/abc')).body, { itemNotFound: { code: 404, message: "Hypervisor with ID 'abc' could not be found." } });
  const up = await admin('/os-hypervisors/1000001/uptime');
  assert.equal(up.status, 200, up.text);
  assert.match(up.body.hypervisor.uptime, /up/);

  const stats = await admin('/os-hypervisors/statistics');
  assert.equal(stats.status, 200, stats.text);
  const direct = await Promise.all(cloud.pods.map(async (p) => ((await (await fetch(`${p.endpoints.compute}/os-hypervisors/statistics`, { headers: { 'x-auth-token': 'tok-admin-user' } })).json()) as any).hypervisor_statistics));
  for (const k of Object.keys(stats.body.hypervisor_statistics)) assert.equal(stats.body.hypervisor_statistics[k], direct[0][k] + direct[1][k], k);
  assert.equal(stats.body.hypervisor_statistics.count, 2);

  const search = await admin('/os-hypervisors/compute/search');
  assert.deepEqual(search.body.hypervisors.map((h: any) => h.id), [1_000_001, 2_000_001]);
  const servers = await admin('/os-hypervisors/pod1/servers');
  assert.deepEqual(servers.body.hypervisors.map((h: any) => h.servers.length), [1]);
  assert.deepEqual((await admin('/os-hypervisors/zzz/search')).body, { itemNotFound: { code: 404, message: "No hypervisor matching 'zzz' could be found." } });
  assert.equal((await admin('/os-hypervisors/pod/search', { version: '2.53' })).status, 404, 'gone from 2.53');
  const pattern = await admin('/os-hypervisors?hypervisor_hostname_pattern=pod2', { version: '2.53' });
  assert.deepEqual(pattern.body.hypervisors.map((h: any) => h.hypervisor_hostname), ['pod2-compute-1']);
  assert.equal(pattern.headers.get('x-trio2o-missing-pods'), null, 'a pod with no match is not missing');
  assert.equal((await admin('/os-hypervisors?hypervisor_hostname_pattern=zzz', { version: '2.53' })).status, 404);
});

test('hypervisor lists page from 2.33 over every pod with the gateway\'s ids as markers', async () => {
  const first = await admin('/os-hypervisors?limit=1', { version: '2.33' });
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.body.hypervisors.map((h: any) => h.id), [1_000_001]);
  const next = first.body.hypervisors_links[0].href as string;
  assert.equal(next, `${cloud.compute}/v2.1/admin-project/os-hypervisors?limit=1&marker=1000001`);
  const second = await admin(next.slice(`${cloud.compute}/v2.1/admin-project`.length), { version: '2.33' });
  assert.deepEqual(second.body.hypervisors.map((h: any) => h.id), [2_000_001]);
  const last = await admin('/os-hypervisors/detail?marker=2000001', { version: '2.33' });
  assert.deepEqual(last.body, { hypervisors: [] });
  assert.deepEqual((await admin('/os-hypervisors?marker=5', { version: '2.33' })).body, { badRequest: { code: 400, message: 'marker [5] not found' } });
});
