// A pod that closes the connection mid-body used to give the client a 503 (or a 500) saying the pod
// could not be reached, though it had answered: it is a 502 (the reply is incomplete) in the fault
// shape, and a create whose answer was cut keeps its pending routing, since the pod made the resource.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { assertFault, call, identity, type Reply } from '../support/http';

let cloud: Cloud;
const who = identity('proj-cut');
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }], { pods: { requestTimeoutMs: 2000, breakerThreshold: 100 } });
  await cloud.gw.gateway.parts.volumeVersions.refresh();
});
after(() => cloud.close());

const computeUrl = (path: string) => `${cloud.compute}/v2.1/proj-cut${path}`;
const volumeUrl = (path: string) => `${cloud.volume}/v3/proj-cut${path}`;
const CUT = { computeFault: { code: 502, message: 'Incomplete reply from pod Pod1: the connection closed before the whole body arrived' } };
const pending = async () => (await cloud.gw.store.routings.list({ project_id: 'proj-cut', status: 'pending' })).length;

function assertCut(r: Reply, version: string): void {
  assertFault(r, 502, CUT);
  assert.equal(r.headers.get('openstack-api-version'), version);
}

test('show and action of a server: 502 in the fault shape, the routing kept', async () => {
  const created = await call(computeUrl('/servers'), { method: 'POST', headers: who, body: { server: { name: 'c', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(created.status, 202, created.text);
  const id = created.body.server.id;
  cloud.pods[0]!.inject({ kind: 'close_mid_body', match: { method: 'GET', path: /\/servers\/[^/]+$/ }, times: 1 });
  assertCut(await call(computeUrl(`/servers/${id}`), { headers: who }), 'compute 2.1');
  cloud.pods[0]!.inject({ kind: 'close_mid_body', match: { path: /\/action$/ }, times: 1 });
  assertCut(await call(computeUrl(`/servers/${id}/action`), { method: 'POST', headers: who, body: { 'os-getConsoleOutput': {} } }), 'compute 2.1');
  assert.equal((await call(computeUrl(`/servers/${id}`), { headers: who })).status, 200);
});

test('a server create whose answer is cut: 502, the pending routing stays, the server exists in the pod', async () => {
  const before = cloud.pods[0]!.servers.size;
  cloud.pods[0]!.inject({ kind: 'close_mid_body', match: { method: 'POST', path: /\/servers$/ }, times: 1 });
  const r = await call(computeUrl('/servers'), { method: 'POST', headers: who, body: { server: { name: 'cut', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assertCut(r, 'compute 2.1');
  assert.equal(cloud.pods[0]!.servers.size, before + 1, 'the pod made the server');
  // The routing_reconcile job completes it from the pod, or removes it if the pod has nothing.
  assert.equal(await pending(), 1);
});

test('a volume create whose answer is cut: 502, the pending routing stays', async () => {
  cloud.pods[0]!.inject({ kind: 'close_mid_body', match: { method: 'POST', path: /\/volumes$/ }, times: 1 });
  const r = await call(volumeUrl('/volumes'), { method: 'POST', headers: who, body: { volume: { size: 1 } } });
  assertCut(r, 'volume 3.0');
  assert.equal(await pending(), 2);
});
