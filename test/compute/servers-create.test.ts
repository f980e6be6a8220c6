// Server create: the tenant's AZ picks the pod, the WHOLE body is forwarded with the AZ rewritten
// for the pod, the routing is completed with the pod's id, links point at the gateway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([
    { topAz: 'az1', podAz: 'nova-a' , az: 'nova-a' },
    { topAz: 'az2', podAz: '', az: 'nova' },
    { topAz: 'az2', podAz: '', az: 'nova' },
  ]);
});
after(() => cloud.close());

const who = identity('proj-create');
const create = (server: Record<string, unknown>, headers = who, project = 'proj-create') =>
  call(`${cloud.compute}/v2.1/${project}/servers`, { method: 'POST', headers, body: { server } });

test('az1 lands in Pod1 with availability_zone rewritten to pod_az_name; body forwarded whole', async () => {
  const server = {
    name: 'vm-az1',
    flavorRef: '1',
    imageRef: CIRROS_IMAGE_ID,
    availability_zone: 'az1',
    metadata: { role: 'web' },
    user_data: Buffer.from('#!/bin/sh\necho hi').toString('base64'),
    min_count: 1,
    max_count: 1,
    config_drive: true,
  };
  const r = await create(server);
  assert.equal(r.status, 202, r.text);
  const id = r.body.server.id;
  const sent = cloud.pods[0]!.requests.find((q) => q.method === 'POST' && q.path.endsWith('/servers'))!;
  assert.ok(sent, 'Pod1 received the create');
  assert.deepEqual(sent.body, { server: { ...server, availability_zone: 'nova-a' } });
  assert.equal(sent.path, '/compute/v2.1/proj-create/servers');
  assert.equal(cloud.pods[1]!.requests.filter((q) => q.method === 'POST').length, 0);
  const routing = await cloud.gw.store.routings.lookup(id, 'server');
  assert.equal(routing?.pod_id, cloud.podIds[0]);
  assert.equal(routing?.bottom_id, id);
  assert.equal(routing?.project_id, 'proj-create');
  for (const link of r.body.server.links) assert.ok(link.href.startsWith(cloud.compute), `link ${link.href} points at the gateway`);
  assert.equal(r.headers.get('location')?.startsWith(cloud.compute) ?? true, true);
});

test('az2 with an empty pod_az_name drops availability_zone; the tenant sticks to its pod', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await create({ name: `vm-az2-${i}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' });
    assert.equal(r.status, 202, r.text);
    ids.push(r.body.server.id);
  }
  const pods = await Promise.all(ids.map((id) => cloud.gw.store.routings.lookup(id, 'server')));
  assert.equal(new Set(pods.map((p) => p?.pod_id)).size, 1, 'sticky binding: one pod for the tenant in az2');
  assert.equal(pods[0]?.pod_id, cloud.podIds[1], 'first enabled pod of az2 in creation order');
  const sent = cloud.pods[1]!.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/servers'));
  for (const s of sent) assert.equal('availability_zone' in (s.body as { server: object }).server, false);
});

test('no AZ reuses an active binding; the show answers the top AZ', async () => {
  const r = await create({ name: 'vm-any', flavorRef: '1', imageRef: CIRROS_IMAGE_ID });
  assert.equal(r.status, 202);
  const routing = await cloud.gw.store.routings.lookup(r.body.server.id, 'server');
  assert.equal(routing?.pod_id, cloud.podIds[0], 'first active binding of the tenant (az1)');
  const show = await call(`${cloud.compute}/v2.1/proj-create/servers/${r.body.server.id}`, { headers: who });
  assert.equal(show.status, 200);
  assert.equal(show.body.server['OS-EXT-AZ:availability_zone'], 'az1');
});

test('project-less URL form uses the token project', async () => {
  const r = await call(`${cloud.compute}/v2.1/servers`, {
    method: 'POST',
    headers: who,
    body: { server: { name: 'vm-noproj', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } },
  });
  assert.equal(r.status, 202, r.text);
  const routing = await cloud.gw.store.routings.lookup(r.body.server.id, 'server');
  assert.equal(routing?.project_id, 'proj-create');
});

test('unknown AZ is a clean 400; another project in the URL is 403 for a non-admin', async () => {
  const bad = await create({ name: 'x', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az9' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'The requested availability zone is not available' } });
  const other = await create({ name: 'x', flavorRef: '1', imageRef: CIRROS_IMAGE_ID }, who, 'someone-else');
  assert.equal(other.status, 403);
  assert.equal(other.body.forbidden.code, 403);
});

test('malformed bodies are 400 and reach no pod', async () => {
  const before = cloud.pods.map((p) => p.requests.length);
  const noServer = await call(`${cloud.compute}/v2.1/proj-create/servers`, { method: 'POST', headers: who, body: { srv: {} } });
  assert.equal(noServer.status, 400);
  assert.match(noServer.body.badRequest.message, /server/);
  const notJson = await call(`${cloud.compute}/v2.1/proj-create/servers`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, raw: '{' });
  assert.equal(notJson.status, 400);
  const wrongAz = await create({ name: 'x', flavorRef: '1', availability_zone: 7 });
  assert.equal(wrongAz.status, 400);
  assert.deepEqual(cloud.pods.map((p) => p.requests.length), before);
});
