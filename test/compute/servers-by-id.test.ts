// Everything under /servers/{id} reaches the owning pod: show, update, delete, actions,
// metadata, ips, volume attachments; a DELETE the pod accepted marks the routing deleting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';

let cloud: Cloud;
const who = identity('proj-id');
const V = { 'openstack-api-version': 'compute 2.79' };
let server1: string; // in Pod1 (az1)
let server2: string; // in Pod2 (az2)

async function boot(name: string, az: string): Promise<string> {
  const r = await call(`${cloud.compute}/v2.1/proj-id/servers`, {
    method: 'POST',
    headers: who,
    body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } },
  });
  assert.equal(r.status, 202, r.text);
  return r.body.server.id;
}

const url = (id: string, sub = '') => `${cloud.compute}/v2.1/proj-id/servers/${id}${sub}`;
const active = (id: string) =>
  eventually(async () => (await call(url(id), { headers: who })).body?.server?.status === 'ACTIVE');

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  server1 = await boot('one', 'az1');
  server2 = await boot('two', 'az2');
  await active(server1);
  await active(server2);
});
after(() => cloud.close());

const podRequests = (i: number, id: string) => cloud.pods[i]!.requests.filter((r) => r.path.includes(id));

test('show reaches only the owning pod and shows the top AZ and gateway links', async () => {
  const r = await call(url(server2), { headers: { ...who, ...V } });
  assert.equal(r.status, 200);
  assert.equal(r.body.server.id, server2);
  assert.equal(r.body.server['OS-EXT-AZ:availability_zone'], 'az2');
  for (const l of r.body.server.links) assert.ok(l.href.startsWith(cloud.compute), l.href);
  assert.ok(JSON.stringify(r.body).indexOf(cloud.pods[1]!.url) === -1, 'no pod URL leaks');
  assert.equal(podRequests(0, server2).length, 0);
  assert.ok(podRequests(1, server2).length > 0);
});

test('update (PUT) passes through', async () => {
  const r = await call(url(server1), { method: 'PUT', headers: { ...who, ...V }, body: { server: { name: 'renamed' } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.server.name, 'renamed');
  assert.equal(cloud.pods[0]!.servers.get(server1)?.name ?? (await call(url(server1), { headers: who })).body.server.name, 'renamed');
});

test('actions: stop then start reach the pod; a conflicting action passes the pod 409 through', async () => {
  const stop = await call(url(server1, '/action'), { method: 'POST', headers: who, body: { 'os-stop': null } });
  assert.equal(stop.status, 202, stop.text);
  await eventually(async () => (await call(url(server1), { headers: who })).body.server.status === 'SHUTOFF');
  const again = await call(url(server1, '/action'), { method: 'POST', headers: who, body: { 'os-stop': null } });
  assert.equal(again.status, 409);
  assert.equal(again.body.conflictingRequest.code, 409);
  const start = await call(url(server1, '/action'), { method: 'POST', headers: who, body: { 'os-start': null } });
  assert.equal(start.status, 202);
  const sent = podRequests(0, server1).filter((r) => r.path.endsWith('/action')).map((r) => r.body);
  assert.deepEqual(sent, [{ 'os-stop': null }, { 'os-stop': null }, { 'os-start': null }]);
  await active(server1);
});

test('metadata: set, list, one key, delete', async () => {
  const set = await call(url(server1, '/metadata'), { method: 'POST', headers: who, body: { metadata: { a: '1', b: '2' } } });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual((await call(url(server1, '/metadata'), { headers: who })).body, { metadata: { a: '1', b: '2' } });
  assert.deepEqual((await call(url(server1, '/metadata/a'), { headers: who })).body, { meta: { a: '1' } });
  assert.equal((await call(url(server1, '/metadata/a'), { method: 'DELETE', headers: who })).status, 204);
  assert.deepEqual((await call(url(server1, '/metadata'), { headers: who })).body, { metadata: { b: '2' } });
});

test('ips and instance actions pass through', async () => {
  assert.equal((await call(url(server1, '/ips'), { headers: who })).status, 200);
  const actions = await call(url(server1, '/os-instance-actions'), { headers: who });
  assert.equal(actions.status, 200);
  assert.ok(actions.body.instanceActions.some((a: { action: string }) => a.action === 'create'));
});

test('attaching a volume of another pod is 400; an unknown volume is 404; same pod reaches the pod', async () => {
  const pending = await cloud.gw.store.routings.createPending('proj-id', cloud.podIds[1]!, 'volume');
  await cloud.gw.store.routings.complete(pending.id, 'vol-in-pod2');
  const other = await call(url(server1, '/os-volume_attachments'), { method: 'POST', headers: who, body: { volumeAttachment: { volumeId: 'vol-in-pod2' } } });
  assert.equal(other.status, 400);
  assert.deepEqual(other.body, { badRequest: { code: 400, message: 'Server and volume not in the same pod' } });
  const unknown = await call(url(server1, '/os-volume_attachments'), { method: 'POST', headers: who, body: { volumeAttachment: { volumeId: 'nope' } } });
  assert.equal(unknown.status, 404);
  const before = podRequests(1, server2).length;
  const same = await call(url(server2, '/os-volume_attachments'), { method: 'POST', headers: who, body: { volumeAttachment: { volumeId: 'vol-in-pod2' } } });
  assert.equal(podRequests(1, server2).length, before + 1, 'same-pod attach is forwarded');
  assert.notEqual(same.status, 400);
  const list = await call(url(server2, '/os-volume_attachments'), { headers: who });
  assert.equal(list.status, 200);
});

test('another project’s volume in another pod is as unknown as no volume: attach and boot mapping say nothing of where it lives', async () => {
  const pending = await cloud.gw.store.routings.createPending('other-proj', cloud.podIds[1]!, 'volume');
  await cloud.gw.store.routings.complete(pending.id, 'vol-of-other');
  const attach = await call(url(server1, '/os-volume_attachments'), { method: 'POST', headers: who, body: { volumeAttachment: { volumeId: 'vol-of-other' } } });
  const missing = await call(url(server1, '/os-volume_attachments'), { method: 'POST', headers: who, body: { volumeAttachment: { volumeId: 'vol-missing' } } });
  assert.equal(attach.status, 404);
  assert.deepEqual(attach.body, { itemNotFound: { code: 404, message: 'Volume vol-of-other could not be found.' } });
  assert.equal(missing.status, 404);
  const boot = (uuid: string) =>
    call(`${cloud.compute}/v2.1/proj-id/servers`, {
      method: 'POST',
      headers: who,
      body: { server: { name: 'bfv', flavorRef: '1', availability_zone: 'az1', block_device_mapping_v2: [{ boot_index: 0, source_type: 'volume', destination_type: 'volume', uuid }] } },
    });
  const [other, none] = [await boot('vol-of-other'), await boot('vol-missing')];
  assert.equal(other.status, none.status, `${other.text} / ${none.text}`);
  assert.doesNotMatch(other.text, /availability zone|pod/);
});

test('unknown id is 404 itemNotFound: an ill-formed one reaches no pod; a well-formed one asks the tenant’s pods once', async () => {
  const bad = await call(url('not-a-uuid'), { headers: who });
  assert.deepEqual(bad.body, { itemNotFound: { code: 404, message: 'Instance not-a-uuid could not be found.' } });
  assert.deepEqual(cloud.pods.map((p) => p.requests.filter((q) => q.path.includes('not-a-uuid')).length), [0, 0]);
  const r = await call(url('00000000-0000-0000-0000-000000000000'), { headers: who });
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'Instance 00000000-0000-0000-0000-000000000000 could not be found.' } });
  const askedFor = () => cloud.pods.map((p) => p.requests.filter((q) => q.path.endsWith('/servers/00000000-0000-0000-0000-000000000000')).length);
  const asked = askedFor();
  assert.equal((await call(url('00000000-0000-0000-0000-000000000000'), { headers: who })).status, 404);
  assert.deepEqual(askedFor(), asked, 'the miss is remembered');
});

test('a DELETE the pod accepted marks the routing deleting; a job removes it once the pod has no such server', async () => {
  const id = await boot('doomed', 'az1');
  await active(id);
  const del = await call(url(id), { method: 'DELETE', headers: who });
  assert.equal(del.status, 204);
  assert.equal((await cloud.gw.store.routings.lookup(id, 'server'))?.status, 'deleting', 'still routed, no longer counted');
  await eventually(async () => (await cloud.gw.store.routings.lookup(id, 'server')) === undefined, 10_000);
  const job = (await cloud.gw.store.jobs.list({ type: 'routing_delete', resource_id: id }))[0];
  assert.equal(job?.status, 'success');
  assert.deepEqual((await call(url(id), { headers: who })).body, { itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
});
