// Compute hosts in the gateway's aggregates: add_host and remove_host as Nova answers them (404 for
// a host no pod computes on, 409 twice, 400 deleting a non-empty aggregate, 403 for a member), and
// the membership mirrored into the host's pod (an aggregate `trio2o-<uuid>` with the top metadata,
// deleted with the pod's last member), so the pod's scheduler sees it. An aggregate's
// availability zone is mirrored too and becomes a zone inside that pod: creates naming it go
// there with the zone unchanged, answers, os-availability-zone, os-services and os-hosts show it
// (the pod's top AZ again once the host leaves), and Nova's rules for a host in two zones hold,
// plus the gateway's (a zone in one pod, never named like a top AZ).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID as CIRROS } from '@trio2o/podsim';
import { call } from '../support/http';
import { api, as, keystoneCloud, ADMIN_WHO, ALICE, BOB } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE, BOB], ['az1', 'az2']);
});
after(() => cloud.close());

const admin = (path: string, opts: { version?: string; method?: string; body?: unknown } = {}) => api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO, ...opts });
const action = (id: number, body: unknown) => admin(`/os-aggregates/${id}/action`, { method: 'POST', body });
/** A pod's own aggregates, asked of the pod directly. */
const podAggregates = async (i: number) => (await call(`${cloud.pods[i]!.endpoints.compute}/os-aggregates`, { headers: as(ADMIN_WHO) })).body.aggregates as any[];

test('a host joins an aggregate at the top and in its own pod only; metadata follows; it leaves both', async () => {
  const made = await admin('/os-aggregates', { version: '2.41', method: 'POST', body: { aggregate: { name: 'fast' } } });
  assert.equal(made.status, 200, made.text);
  const { id, uuid } = made.body.aggregate;
  await action(id, { set_metadata: { metadata: { ssd: 'true' } } });
  const pod1Before = (await podAggregates(0)).length;

  const added = await action(id, { add_host: { host: 'pod2-compute-1' } });
  assert.equal(added.status, 200, added.text);
  assert.deepEqual([added.body.aggregate.hosts, added.body.aggregate.metadata, added.body.aggregate.availability_zone], [['pod2-compute-1'], { ssd: 'true' }, null]);
  const mirror = (await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`);
  assert.ok(mirror, 'Pod2 holds the mirror');
  assert.deepEqual([mirror.hosts, mirror.metadata], [['pod2-compute-1'], { ssd: 'true' }]);
  assert.equal((await podAggregates(0)).length, pod1Before, 'Pod1 was not touched');

  assert.deepEqual((await action(id, { add_host: { host: 'pod2-compute-1' } })).body, { conflictingRequest: { code: 409, message: `Aggregate ${id} already has host pod2-compute-1.` } });
  assert.deepEqual((await action(id, { add_host: { host: 'nowhere' } })).body, { itemNotFound: { code: 404, message: 'Compute host nowhere could not be found.' } });
  assert.deepEqual((await admin(`/os-aggregates/${id}`)).body.aggregate.hosts, ['pod2-compute-1']);
  assert.deepEqual((await admin('/os-aggregates')).body.aggregates.find((a: any) => a.id === id).hosts, ['pod2-compute-1']);

  await action(id, { set_metadata: { metadata: { ssd: null, gpu: '1' } } });
  assert.deepEqual((await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`).metadata, { gpu: '1' }, 'metadata changes reach the mirror');
  assert.deepEqual((await action(id, { set_metadata: { metadata: { availability_zone: 'az1' } } })).body, {
    badRequest: { code: 400, message: `Cannot update metadata of aggregate ${id}. Reason: availability zone az1 is the zone of a pod; an aggregate's zone needs a name of its own.` },
  });
  assert.equal((await admin(`/os-aggregates/${id}`, { method: 'PUT', body: { aggregate: { availability_zone: 'az2' } } })).status, 400);
  assert.equal((await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`).availability_zone, null, 'a refused zone never reached the pod');
  assert.deepEqual((await admin(`/os-aggregates/${id}`, { method: 'DELETE' })).body, { badRequest: { code: 400, message: `Cannot remove host from aggregate ${id}. Reason: Host aggregate is not empty.` } });
  assert.equal((await api(cloud.compute, `/proj-a/os-aggregates/${id}/action`, { method: 'POST', body: { remove_host: { host: 'pod2-compute-1' } } })).status, 403);

  const removed = await action(id, { remove_host: { host: 'pod2-compute-1' } });
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.body.aggregate.hosts, []);
  assert.equal((await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`), undefined, 'the mirror went with the pod\'s last member');
  assert.deepEqual((await action(id, { remove_host: { host: 'pod2-compute-1' } })).body, { itemNotFound: { code: 404, message: `Cannot remove host pod2-compute-1 in aggregate ${id}` } });
  assert.equal((await admin(`/os-aggregates/${id}`, { method: 'DELETE' })).status, 200);
});

test('a pod\'s own aggregate takes no host', async () => {
  const podAgg = (await admin('/os-aggregates')).body.aggregates.find((a: any) => a.name === `ag_${cloud.pods[0]!.name}`);
  assert.equal((await action(podAgg.id, { add_host: { host: 'pod1-compute-1' } })).status, 400);
});

/** Each compute service as os-services shows it: [host, zone]. */
const computeZones = async (version?: string) =>
  (await admin('/os-services?binary=nova-compute', { version })).body.services.map((x: any) => [x.host, x.zone]);
/** os-hosts (below 2.43) as [host, service, zone]. */
const hostZones = async (query = '') => (await admin(`/os-hosts${query}`)).body.hosts.map((h: any) => [h.host_name, h.service, h.zone]);

const zonesOf = async (who: typeof ALICE, path = '/os-availability-zone') => (await api(cloud.compute, `/${who.project}${path}`, { who })).body.availabilityZoneInfo as any[];

test('an aggregate zone lives in its host\'s pod: mirrored, created in unchanged, shown, listed; other tenants unaffected', async () => {
  const made = await admin('/os-aggregates', { version: '2.41', method: 'POST', body: { aggregate: { name: 'zoned', availability_zone: 'zone-x' } } });
  const { id, uuid } = made.body.aggregate;
  assert.deepEqual((await zonesOf(ALICE)).map((z) => z.zoneName), ['az1', 'az2'], 'a zone without hosts is not listed (Nova)');
  const added = await action(id, { add_host: { host: 'pod2-compute-1' } });
  assert.equal(added.status, 200, added.text);
  const mirror = (await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`);
  assert.deepEqual([mirror.availability_zone, mirror.metadata, mirror.hosts], ['zone-x', { availability_zone: 'zone-x' }, ['pod2-compute-1']]);
  assert.deepEqual(await zonesOf(ALICE), [
    { zoneName: 'az1', zoneState: { available: true }, hosts: null },
    { zoneName: 'az2', zoneState: { available: true }, hosts: null },
    { zoneName: 'zone-x', zoneState: { available: true }, hosts: null },
  ]);
  const detail = await zonesOf(ADMIN_WHO, '/os-availability-zone/detail');
  assert.deepEqual(Object.keys(detail.find((z) => z.zoneName === 'zone-x').hosts), ['pod2-compute-1'], 'the pod files its host under the zone');
  assert.deepEqual(detail.find((z) => z.zoneName === 'az2').hosts, {});

  // Nova's services and hosts show a compute host's aggregate zone (availability_zones.py
  // set_availability_zones); the other pods' hosts keep their top AZ, the controllers `internal`.
  assert.deepEqual(await computeZones(), [['pod1-compute-1', 'az1'], ['pod2-compute-1', 'zone-x']]);
  assert.deepEqual(await computeZones('2.53'), [['pod1-compute-1', 'az1'], ['pod2-compute-1', 'zone-x']]);
  assert.deepEqual(await hostZones(), [
    ['pod1-compute-1-ctl', 'scheduler', 'internal'], ['pod1-compute-1-ctl', 'conductor', 'internal'], ['pod1-compute-1', 'compute', 'az1'],
    ['pod2-compute-1-ctl', 'scheduler', 'internal'], ['pod2-compute-1-ctl', 'conductor', 'internal'], ['pod2-compute-1', 'compute', 'zone-x'],
  ]);
  assert.deepEqual(await hostZones('?zone=zone-x'), [['pod2-compute-1', 'compute', 'zone-x']]);
  assert.deepEqual(await hostZones('?zone=az2'), [], 'the host left its pod\'s top AZ');
  const svc = (await admin('/os-services?binary=nova-compute&host=pod2-compute-1', { version: '2.53' })).body.services[0];
  const disabled = await admin(`/os-services/${svc.id}`, { version: '2.53', method: 'PUT', body: { status: 'disabled' } });
  assert.deepEqual([disabled.status, disabled.body.service.zone], [200, 'zone-x'], 'an update answers as the list shows');
  assert.equal((await admin(`/os-services/${svc.id}`, { version: '2.53', method: 'PUT', body: { status: 'enabled' } })).status, 200);

  const bobBefore = await cloud.gw.store.bindings.active('proj-b');
  const create = await api(cloud.compute, '/proj-a/servers', { who: ALICE, version: '2.79', method: 'POST', body: { server: { name: 'in-zone', imageRef: CIRROS, flavorRef: '1', networks: 'none', availability_zone: 'zone-x' } } });
  assert.equal(create.status, 202, create.text);
  const sid = create.body.server.id;
  assert.equal((await cloud.gw.store.routings.lookup(sid, 'server'))?.pod_id, cloud.podIds[1], 'the zone\'s pod');
  const inPod = await call(`${cloud.pods[1]!.endpoints.compute}/servers/${sid}`, { headers: as(ALICE) });
  assert.equal(inPod.body.server['OS-EXT-AZ:availability_zone'], 'zone-x', 'the pod got the zone as it was asked');
  assert.deepEqual(await cloud.gw.store.bindings.active('proj-a'), [], 'a zone in one pod binds nobody');
  const shown = await api(cloud.compute, `/proj-a/servers/${sid}`, { who: ALICE, version: '2.79' });
  assert.equal(shown.body.server['OS-EXT-AZ:availability_zone'], 'zone-x');
  const listed = await admin('/servers/detail?all_tenants=1&availability_zone=zone-x', { version: '2.79' });
  assert.deepEqual(listed.body.servers.map((s: any) => [s.id, s['OS-EXT-AZ:availability_zone']]), [[sid, 'zone-x']]);
  const status = async () => (await api(cloud.compute, `/proj-a/servers/${sid}`, { who: ALICE })).body.server.status;
  await eventually(async () => (await status()) === 'ACTIVE');
  assert.equal((await api(cloud.compute, `/proj-a/servers/${sid}/action`, { who: ALICE, version: '2.77', method: 'POST', body: { shelve: null } })).status, 202);
  await eventually(async () => (await status()) === 'SHELVED_OFFLOADED');
  const unshelve = await api(cloud.compute, `/proj-a/servers/${sid}/action`, { who: ALICE, version: '2.77', method: 'POST', body: { unshelve: { availability_zone: 'zone-x' } } });
  assert.equal(unshelve.status, 202, `the server's own inner zone, sent as it is (the pod refuses any other): ${unshelve.text}`);
  await eventually(async () => (await status()) === 'ACTIVE');
  const booted = await api(cloud.compute, '/proj-a/os-volumes_boot', { who: ALICE, method: 'POST', body: { server: { name: 'alias', imageRef: CIRROS, flavorRef: '1', availability_zone: 'zone-x' } } });
  assert.equal(booted.status, 202, booted.text);
  assert.equal((await cloud.gw.store.routings.lookup(booted.body.server.id, 'server'))?.pod_id, cloud.podIds[1], 'the alias shares the create');
  await api(cloud.compute, `/proj-a/servers/${booted.body.server.id}`, { who: ALICE, method: 'DELETE' });

  const other = await api(cloud.compute, '/proj-b/servers', { who: BOB, method: 'POST', body: { server: { name: 'elsewhere', imageRef: CIRROS, flavorRef: '1', availability_zone: 'az1' } } });
  assert.equal(other.status, 202, other.text);
  assert.equal((await api(cloud.compute, `/proj-b/servers/${other.body.server.id}`, { who: BOB })).body.server['OS-EXT-AZ:availability_zone'], 'az1');
  assert.deepEqual((await cloud.gw.store.bindings.active('proj-b')).map((b) => [b.pod_id, b.az_name]), [...bobBefore.map((b) => [b.pod_id, b.az_name]), [cloud.podIds[0], 'az1']], 'Bob binds as before');
  await api(cloud.compute, `/proj-a/servers/${sid}`, { who: ALICE, method: 'DELETE' });
  await api(cloud.compute, `/proj-b/servers/${other.body.server.id}`, { who: BOB, method: 'DELETE' });
  // The next test changes the host's zone, which Nova refuses while the host has servers.
  const podServers = async () => (await call(`${cloud.pods[1]!.endpoints.compute}/servers?all_tenants=1`, { headers: as(ADMIN_WHO) })).body.servers.length;
  await eventually(async () => (await podServers()) === 0);
});

test('a host is in one zone, a zone in one pod: Nova\'s 409 and 400, and the gateway\'s', async () => {
  const zoneX = (await admin('/os-aggregates')).body.aggregates.find((a: any) => a.name === 'zoned');
  const other = (await admin('/os-aggregates', { method: 'POST', body: { aggregate: { name: 'other', availability_zone: 'zone-y' } } })).body.aggregate.id;
  assert.deepEqual((await action(other, { add_host: { host: 'pod2-compute-1' } })).body, {
    conflictingRequest: { code: 409, message: `Cannot add host to aggregate ${other}. Reason: One or more hosts already in availability zone(s) ['zone-x'].` },
  });
  const twin = (await admin('/os-aggregates', { method: 'POST', body: { aggregate: { name: 'twin', availability_zone: 'zone-x' } } })).body.aggregate.id;
  assert.deepEqual((await action(twin, { add_host: { host: 'pod1-compute-1' } })).body, {
    conflictingRequest: { code: 409, message: `Cannot add host to aggregate ${twin}. Reason: availability zone zone-x would have hosts in pods ${cloud.pods[0]!.name} and ${cloud.pods[1]!.name}; a zone lives in one pod.` },
  });
  assert.equal((await action(twin, { add_host: { host: 'pod2-compute-1' } })).status, 200, 'a second aggregate of the same zone and pod');
  const plain = (await admin('/os-aggregates', { method: 'POST', body: { aggregate: { name: 'plain' } } })).body.aggregate.id;
  assert.equal((await action(plain, { add_host: { host: 'pod2-compute-1' } })).status, 200);
  assert.deepEqual((await admin(`/os-aggregates/${plain}`, { method: 'PUT', body: { aggregate: { availability_zone: 'zone-y' } } })).body, {
    badRequest: { code: 400, message: `Cannot update aggregate ${plain}. Reason: One or more hosts already in availability zone(s) ['zone-x'].` },
  });
  assert.equal((await admin(`/os-aggregates/${plain}`, { method: 'PUT', body: { aggregate: { availability_zone: 'zone-x' } } })).status, 200, 'the zone the host is in already');
  for (const a of [plain, twin, zoneX.id]) assert.equal((await action(a, { remove_host: { host: 'pod2-compute-1' } })).status, 200);
  assert.deepEqual((await zonesOf(ALICE)).map((z) => z.zoneName), ['az1', 'az2'], 'gone with its hosts');
  // Nova: a host leaving its zone's aggregate is back in the default zone, which is the pod's top AZ.
  assert.deepEqual(await computeZones(), [['pod1-compute-1', 'az1'], ['pod2-compute-1', 'az2']]);
  assert.deepEqual(await hostZones('?zone=az2'), [['pod2-compute-1', 'compute', 'az2']]);
  assert.deepEqual(await hostZones('?zone=zone-x'), []);
  const detail = await zonesOf(ADMIN_WHO, '/os-availability-zone/detail');
  assert.deepEqual(detail.map((z) => z.zoneName), ['internal', 'az1', 'az2']);
  assert.deepEqual(Object.keys(detail.find((z) => z.zoneName === 'az2').hosts), ['pod2-compute-1']);
  const emptied = (await admin(`/os-aggregates/${zoneX.id}`)).body.aggregate;
  assert.deepEqual([emptied.availability_zone, emptied.hosts], ['zone-x', []], 'the aggregate keeps its zone, as Nova shows it');
  assert.deepEqual((await admin('/os-aggregates')).body.aggregates.find((a: any) => a.id === zoneX.id).hosts, []);
  const back = await api(cloud.compute, '/proj-a/servers', { who: ALICE, version: '2.79', method: 'POST', body: { server: { name: 'back', imageRef: CIRROS, flavorRef: '1', networks: 'none', availability_zone: 'az2' } } });
  assert.equal(back.status, 202, back.text);
  assert.equal((await cloud.gw.store.routings.lookup(back.body.server.id, 'server'))?.pod_id, cloud.podIds[1]);
  assert.equal((await api(cloud.compute, `/proj-a/servers/${back.body.server.id}`, { who: ALICE, version: '2.79' })).body.server['OS-EXT-AZ:availability_zone'], 'az2', 'the pod\'s top AZ again');
  await api(cloud.compute, `/proj-a/servers/${back.body.server.id}`, { who: ALICE, method: 'DELETE' });
  const create = await api(cloud.compute, '/proj-a/servers', { who: ALICE, method: 'POST', body: { server: { name: 'no-zone', imageRef: CIRROS, flavorRef: '1', availability_zone: 'zone-x' } } });
  assert.deepEqual(create.body, { badRequest: { code: 400, message: 'The requested availability zone is not available' } });

  const solo = (await admin('/os-aggregates', { method: 'POST', body: { aggregate: { name: 'solo', availability_zone: 'zone-s' } } })).body.aggregate.id;
  assert.equal((await action(solo, { add_host: { host: 'pod1-compute-1' } })).status, 200);
  assert.deepEqual((await action(solo, { add_host: { host: 'pod2-compute-1' } })).body, {
    conflictingRequest: { code: 409, message: `Cannot add host to aggregate ${solo}. Reason: availability zone zone-s would have hosts in pods ${cloud.pods[0]!.name} and ${cloud.pods[1]!.name}; a zone lives in one pod.` },
  }, 'the aggregate\'s own hosts count too');
  assert.equal((await podAggregates(1)).find((a) => a.name.startsWith('trio2o-')), undefined, 'nothing mirrored into the refused host\'s pod');
  assert.equal((await action(solo, { remove_host: { host: 'pod1-compute-1' } })).status, 200);
});

test('a server whose host leaves the zone\'s aggregate shows its pod\'s top AZ again, as the pod shows its default zone', async () => {
  const made = await admin('/os-aggregates', { method: 'POST', body: { aggregate: { name: 'later', availability_zone: 'zone-z' } } });
  const id = made.body.aggregate.id;
  assert.equal((await action(id, { add_host: { host: 'pod2-compute-1' } })).status, 200);
  const create = await api(cloud.compute, '/proj-a/servers', { who: ALICE, version: '2.79', method: 'POST', body: { server: { name: 'stays', imageRef: CIRROS, flavorRef: '1', networks: 'none', availability_zone: 'zone-z' } } });
  assert.equal(create.status, 202, create.text);
  const sid = create.body.server.id;
  const shown = async () => (await api(cloud.compute, `/proj-a/servers/${sid}`, { who: ALICE, version: '2.79' })).body.server;
  await eventually(async () => (await shown()).status === 'ACTIVE');
  assert.equal((await shown())['OS-EXT-AZ:availability_zone'], 'zone-z');
  // Nova 26 lets a host with servers leave its zone's aggregate; they are then in the default zone.
  assert.equal((await action(id, { remove_host: { host: 'pod2-compute-1' } })).status, 200);
  assert.equal((await shown())['OS-EXT-AZ:availability_zone'], 'az2');
  const listed = await api(cloud.compute, '/proj-a/servers/detail', { who: ALICE, version: '2.79' });
  assert.equal(listed.body.servers.find((s: any) => s.id === sid)['OS-EXT-AZ:availability_zone'], 'az2');
  await api(cloud.compute, `/proj-a/servers/${sid}`, { who: ALICE, method: 'DELETE' });
  assert.equal((await admin(`/os-aggregates/${id}`, { method: 'DELETE' })).status, 200);
});
