// A create that timed out removed its pending routing though the pod went on to make the resource
// (an orphan no list shows and no quota counts). When the outcome is unknown (timeout, reset after
// sending, a 5xx) the pending routing stays for reconciliation; only a create that never reached the
// pod, or that the pod refused (4xx), removes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { eventually, startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

const TIMEOUT_MS = 300;
let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }], { pods: { requestTimeoutMs: TIMEOUT_MS, breakerThreshold: 100 } });
  await cloud.gw.gateway.parts.volumeVersions.refresh();
});
after(() => cloud.close());

const pod = () => cloud.pods[0]!;
const SERVER = { server: { name: 'lost', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } };
const createServer = (project: string) => call(`${cloud.compute}/v2.1/${project}/servers`, { method: 'POST', headers: identity(project), body: SERVER });
const rows = (project: string) => cloud.gw.store.routings.list({ project_id: project });

test('a server create that times out: 504, the pending routing stays, the pod made the server', async () => {
  const before = pod().servers.size;
  pod().inject({ kind: 'delay', ms: TIMEOUT_MS * 2, match: { method: 'POST', path: /\/servers$/ }, times: 1 });
  const r = await createServer('proj-lost-1');
  assert.equal(r.status, 504, r.text);
  assert.deepEqual(r.body, { computeFault: { code: 504, message: 'Timed out waiting for pod Pod1 to answer' } });
  assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-/);
  // The routing_reconcile job completes it from the pod, or removes it if the pod has nothing.
  assert.deepEqual((await rows('proj-lost-1')).map((x) => x.status), ['pending']);
  await eventually(async () => pod().servers.size === before + 1);
});

test('a volume create that times out: 504, the pending routing stays', async () => {
  pod().inject({ kind: 'delay', ms: TIMEOUT_MS * 2, match: { method: 'POST', path: /\/volumes$/ }, times: 1 });
  const r = await call(`${cloud.volume}/v3/proj-lost-2/volumes`, { method: 'POST', headers: identity('proj-lost-2'), body: { volume: { size: 1 } } });
  assert.equal(r.status, 504, r.text);
  assert.deepEqual(r.body, { computeFault: { code: 504, message: 'Timed out waiting for pod Pod1 to answer' } });
  assert.deepEqual((await rows('proj-lost-2')).map((x) => x.status), ['pending']);
});

test('a connection reset after the pod handled the create: 503, the pending routing stays', async () => {
  const before = pod().servers.size;
  pod().inject({ kind: 'reset', after: 'handled', match: { method: 'POST', path: /\/servers$/ }, times: 1 });
  const r = await createServer('proj-lost-3');
  assert.equal(r.status, 503, r.text);
  assert.deepEqual(r.body, { serviceUnavailable: { code: 503, message: 'Cannot reach pod Pod1 (connection reset)' } });
  assert.equal(pod().servers.size, before + 1);
  assert.deepEqual((await rows('proj-lost-3')).map((x) => x.status), ['pending']);
});

test('a pod answering 5xx to a create: the answer is passed through, the pending routing stays', async () => {
  pod().inject({ kind: 'status', status: 500, match: { method: 'POST', path: /\/servers$/ }, times: 1 });
  const r = await createServer('proj-lost-4');
  assert.equal(r.status, 500, r.text);
  assert.deepEqual(r.body, { computeFault: { code: 500, message: 'Injected fault 500' } });
  assert.deepEqual((await rows('proj-lost-4')).map((x) => x.status), ['pending']);
});

test('a create that never reached the pod (down) or that the pod refused (4xx) leaves no routing', async () => {
  pod().inject({ kind: 'down' });
  try {
    const r = await createServer('proj-lost-5');
    assert.equal(r.status, 503, r.text);
    assert.deepEqual(r.body, { serviceUnavailable: { code: 503, message: 'Cannot reach pod Pod1 (connection refused)' } });
    assert.deepEqual(await rows('proj-lost-5'), []);
  } finally {
    await pod().up();
  }
  pod().inject({ kind: 'status', status: 409, match: { method: 'POST', path: /\/servers$/ }, times: 1 });
  const refused = await createServer('proj-lost-5');
  assert.equal(refused.status, 409);
  assert.deepEqual(await rows('proj-lost-5'), []);
});
