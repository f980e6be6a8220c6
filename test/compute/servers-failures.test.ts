// Create never leaves an orphan: a pod's refusal (4xx) or a pod that cannot be reached removes the
// pending routing; when the outcome is unknown (a 5xx, a timeout) the pending routing stays for the
// reconciliation job to complete or remove from what the pod holds; a store that cannot be written
// answers 503 before any pod is touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { failStatements } from '../support/store-faults';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';

let cloud: Cloud;
const who = identity('proj-fail');
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }], { pods: { requestTimeoutMs: 400, breakerThreshold: 100 } });
});
after(() => cloud.close());

const body = (az: string) => ({ server: { name: 'f', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } });
const create = (az: string) => call(`${cloud.compute}/v2.1/proj-fail/servers`, { method: 'POST', headers: who, body: body(az) });
/** The project's routings by status, e.g. { pending: 1, active: 0 }. */
async function routings(): Promise<{ pending: number; active: number }> {
  const rows = await cloud.gw.store.routings.list({ project_id: 'proj-fail' });
  return { pending: rows.filter((r) => r.status === 'pending').length, active: rows.filter((r) => r.status === 'active').length };
}

test('a pod 4xx is passed through and the pending routing is removed', async () => {
  const r = await call(`${cloud.compute}/v2.1/proj-fail/servers`, {
    method: 'POST',
    headers: who,
    body: { server: { name: 'f', flavorRef: 'no-such-flavor', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } },
  });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.badRequest.code, 400);
  assert.deepEqual(await routings(), { pending: 0, active: 0 });
});

test('a pod 5xx is passed through and the pending routing stays (the pod may have made the server)', async () => {
  cloud.pods[0]!.inject({ kind: 'status', status: 500, body: { computeFault: { code: 500, message: 'boom' } }, match: { method: 'POST' }, times: 1 });
  const r = await create('az1');
  assert.equal(r.status, 500);
  assert.deepEqual(r.body, { computeFault: { code: 500, message: 'boom' } });
  // Reconciliation finds no server of this request in the pod and removes the row.
  assert.deepEqual(await routings(), { pending: 1, active: 0 });
});

test('an unreachable pod is 503 naming the pod; no routing is left; the POST was tried once', async () => {
  const pod = cloud.pods[1]!;
  pod.inject({ kind: 'down' });
  try {
    const r = await create('az2');
    assert.equal(r.status, 503);
    assert.match(r.body.serviceUnavailable.message, /Pod2/);
    assert.deepEqual(await routings(), { pending: 1, active: 0 }, 'no new row: the create never reached the pod');
  } finally {
    await pod.up();
  }
});

test('a pod slower than request_timeout is 504; the pending routing stays for reconciliation', async () => {
  const pod = cloud.pods[0]!;
  pod.inject({ kind: 'hang', match: { method: 'POST' } });
  try {
    const r = await create('az1');
    assert.equal(r.status, 504);
    assert.deepEqual(r.body, { computeFault: { code: 504, message: 'Timed out waiting for pod Pod1 to answer' } });
    // The pod may still make the server after the gateway gave up (a delay would); this one hangs,
    // so reconciliation finds nothing in the pod and removes the row.
    assert.deepEqual(await routings(), { pending: 2, active: 0 });
  } finally {
    pod.clearFaults();
  }
});

test('a store that cannot be written answers 503 before any pod is touched', async () => {
  // The libSQL client under the store fails the pending row's INSERT the way a replica whose
  // primary is away does; the store classifies it, the listener answers it.
  const restore = failStatements(cloud.gw.store, /^\s*INSERT INTO routings/i);
  const before = cloud.pods.map((p) => p.requests.filter((r) => r.method === 'POST').length);
  try {
    const r = await create('az1');
    assert.equal(r.status, 503);
    assert.match(r.body.serviceUnavailable.message, /nothing was created/);
    assert.deepEqual(cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST').length), before);
  } finally {
    restore();
  }
});

test('after the failures, a create works and is routed', async () => {
  const r = await create('az2');
  assert.equal(r.status, 202, r.text);
  assert.deepEqual(await routings(), { pending: 2, active: 1 });
});
