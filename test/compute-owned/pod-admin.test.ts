// Pod-level admin listings fanned out to every pod (services, hypervisors, AZ detail) with ids
// that cannot collide, and server external events grouped by the pod of each server and merged
// (200 / 207 / 404). The pods run in keystone mode against a tiny Keystone so they can tell the
// admin's forwarded token from a member's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, keystoneCloud, ADMIN_WHO, ALICE } from './support';

let cloud: Cloud;
const servers: string[] = [];
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']);
  for (const az of ['az1', 'az2', 'az2']) {
    const r = await api(cloud.compute, '/proj-a/servers', { method: 'POST', body: { server: { name: `vm-${az}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    assert.equal(r.status, 202, r.text);
    servers.push(r.body.server.id);
  }
});
after(() => cloud.close());

test('os-services: admin only, every pod\'s services, integer ids offset per pod below 2.53, top AZ names', async () => {
  assert.deepEqual((await api(cloud.compute, '/proj-a/os-services')).body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-services:list to be performed." } });
  const r = await api(cloud.compute, '/admin-project/os-services', { who: ADMIN_WHO, version: '2.11' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.services.length, 6, 'three services in each of two pods');
  const ids = r.body.services.map((s: any) => s.id);
  assert.equal(new Set(ids).size, 6, 'no id collides');
  assert.deepEqual(ids, [1_000_001, 1_000_002, 1_000_003, 2_000_001, 2_000_002, 2_000_003]);
  const compute = r.body.services.filter((s: any) => s.binary === 'nova-compute').map((s: any) => [s.host, s.zone]);
  assert.deepEqual(compute, [['pod1-compute-1', 'az1'], ['pod2-compute-1', 'az2']]);
  const uuids = await api(cloud.compute, '/admin-project/os-services', { who: ADMIN_WHO, version: '2.53' });
  assert.ok(uuids.body.services.every((s: any) => typeof s.id === 'string'), 'UUIDs from 2.53 pass unchanged');
});

test('os-hypervisors and /detail: fanned out, ids offset, service ids too; members refused', async () => {
  assert.equal((await api(cloud.compute, '/proj-a/os-hypervisors')).status, 403);
  const r = await api(cloud.compute, '/admin-project/os-hypervisors', { who: ADMIN_WHO });
  assert.deepEqual(r.body, {
    hypervisors: [
      { id: 1_000_001, hypervisor_hostname: 'pod1-compute-1', state: 'up', status: 'enabled' },
      { id: 2_000_001, hypervisor_hostname: 'pod2-compute-1', state: 'up', status: 'enabled' },
    ],
  });
  const d = await api(cloud.compute, '/admin-project/os-hypervisors/detail', { who: ADMIN_WHO });
  assert.deepEqual(d.body.hypervisors.map((h: any) => [h.id, h.service.id]), [[1_000_001, 1_000_003], [2_000_001, 2_000_003]]);
});

test('os-availability-zone/detail: pods\' hosts under the top AZ, internal zones merged', async () => {
  const r = await api(cloud.compute, '/admin-project/os-availability-zone/detail', { who: ADMIN_WHO });
  assert.equal(r.status, 200, r.text);
  const zones = r.body.availabilityZoneInfo;
  assert.deepEqual(zones.map((z: any) => z.zoneName), ['internal', 'az1', 'az2']);
  assert.deepEqual(Object.keys(zones[0].hosts).sort(), ['pod1-compute-1-ctl', 'pod2-compute-1-ctl']);
  assert.deepEqual(Object.keys(zones[1].hosts), ['pod1-compute-1']);
  assert.equal(zones[2].hosts['pod2-compute-1']['nova-compute'].available, true);
});

test('a pod that is down is skipped and named, never a 500', async () => {
  cloud.pods[1]!.inject({ kind: 'down' });
  try {
    const r = await api(cloud.compute, '/admin-project/os-services', { who: ADMIN_WHO });
    assert.equal(r.status, 200);
    assert.equal(r.body.services.length, 3);
    assert.equal(r.headers.get('x-trio2o-missing-pods'), 'Pod2;reason=unreachable;shown=skipped');
  } finally {
    await cloud.pods[1]!.up();
  }
});

test('external events: grouped per pod, merged in order; 200 all found, 207 mixed, 404 none', async () => {
  const ev = (id: string) => ({ name: 'network-changed', server_uuid: id, tag: 'port-1' });
  const all = await api(cloud.compute, '/admin-project/os-server-external-events', { who: ADMIN_WHO, method: 'POST', body: { events: servers.map(ev) } });
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.body.events.map((e: any) => [e.server_uuid, e.code, e.status]), servers.map((id) => [id, 200, 'completed']));
  const byPod = cloud.pods.map((p) => p.requests.filter((q) => q.path.endsWith('/os-server-external-events')).map((q) => (q.body as any).events.map((e: any) => e.server_uuid)));
  assert.deepEqual(byPod, [[[servers[0]]], [[servers[1], servers[2]]]], 'each pod got only its own servers');

  const unknown = '11111111-2222-4333-8444-555555555555';
  const mixed = await api(cloud.compute, '/admin-project/os-server-external-events', { who: ADMIN_WHO, method: 'POST', body: { events: [ev(unknown), ev(servers[1]!)] } });
  assert.equal(mixed.status, 207);
  assert.deepEqual(mixed.body.events.map((e: any) => [e.server_uuid, e.code, e.status]), [[unknown, 404, 'failed'], [servers[1], 200, 'completed']]);
  const none = await api(cloud.compute, '/admin-project/os-server-external-events', { who: ADMIN_WHO, method: 'POST', body: { events: [ev(unknown)] } });
  assert.deepEqual(none.body, { itemNotFound: { code: 404, message: 'No instances found for any event' } });
  assert.equal((await api(cloud.compute, '/admin-project/os-server-external-events', { who: ADMIN_WHO, method: 'POST', body: { events: [] } })).status, 400);
  assert.equal((await api(cloud.compute, '/admin-project/os-server-external-events', { who: ADMIN_WHO, method: 'POST', body: { events: [{ ...ev(servers[0]!), name: 'volume-extended' }] } })).status, 400, 'volume-extended from 2.51');
  assert.equal((await api(cloud.compute, '/proj-a/os-server-external-events', { method: 'POST', body: { events: servers.map(ev) } })).status, 403);
});
