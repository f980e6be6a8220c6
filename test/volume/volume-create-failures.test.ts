// A failed volume create never leaves an orphan: a pod 4xx (passed through) or a pod that is down
// (503) leaves no routing; a 5xx (passed through) or a pod too slow (504) leaves the pending routing
// for the reconciliation job, since the pod may have made the volume; an unwritable store is 503
// before any pod is touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { failStatements } from '../support/store-faults';
import { identity } from '../support/http';
import { startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-vf');
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }], { pods: { requestTimeoutMs: 400, breakerThreshold: 100 } });
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-vf', who);
const create = (volume: Record<string, unknown>) => v()('/volumes', { method: 'POST', body: { volume } });
/** The project's routings by status. */
async function routings(): Promise<{ pending: number; active: number }> {
  const rows = await cloud.gw.store.routings.list({ project_id: 'proj-vf' });
  return { pending: rows.filter((r) => r.status === 'pending').length, active: rows.filter((r) => r.status === 'active').length };
}

test('a pod 4xx is passed through; no routing is left', async () => {
  const r = await create({ size: 0, availability_zone: 'az1' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.badRequest.code, 400);
  assert.deepEqual(await routings(), { pending: 0, active: 0 });
});

test('a pod 5xx is passed through; the pending routing stays for reconciliation', async () => {
  cloud.pods[0]!.inject({ kind: 'status', status: 500, body: { computeFault: { code: 500, message: 'boom' } }, match: { method: 'POST' }, times: 1 });
  const r = await create({ size: 1, availability_zone: 'az1' });
  assert.equal(r.status, 500);
  assert.deepEqual(r.body, { computeFault: { code: 500, message: 'boom' } });
  assert.deepEqual(await routings(), { pending: 1, active: 0 });
});

test('a pod that is down is 503 naming the pod; no routing is left', async () => {
  const pod = cloud.pods[1]!;
  pod.inject({ kind: 'down' });
  try {
    const r = await create({ size: 1, availability_zone: 'az2' });
    assert.equal(r.status, 503);
    assert.match(r.body.serviceUnavailable.message, /Pod2/);
    assert.deepEqual(await routings(), { pending: 1, active: 0 }, 'no new row: the create never reached the pod');
  } finally {
    await pod.up();
  }
});

test('a pod slower than the deadline is 504; the pending routing stays for reconciliation', async () => {
  cloud.pods[0]!.inject({ kind: 'hang', match: { method: 'POST' } });
  try {
    const r = await create({ size: 1, availability_zone: 'az1' });
    assert.equal(r.status, 504);
    assert.deepEqual(r.body, { computeFault: { code: 504, message: 'Timed out waiting for pod Pod1 to answer' } });
    assert.deepEqual(await routings(), { pending: 2, active: 0 });
  } finally {
    cloud.pods[0]!.clearFaults();
  }
});

test('an unwritable store is 503 before any pod is touched', async () => {
  // The libSQL client under the store fails the pending row's INSERT the way a replica whose
  // primary is away does; the store classifies it, the listener answers it.
  const restore = failStatements(cloud.gw.store, /^\s*INSERT INTO routings/i);
  const seen = cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST').length);
  try {
    const r = await create({ size: 1, availability_zone: 'az1' });
    assert.equal(r.status, 503);
    assert.match(r.body.serviceUnavailable.message, /nothing was created/);
    assert.deepEqual(cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST').length), seen);
  } finally {
    restore();
  }
});

test('after all that, a create works and leaves exactly one active routing', async () => {
  const r = await create({ size: 1, availability_zone: 'az1' });
  assert.equal(r.status, 202, r.text);
  const rows = await cloud.gw.store.routings.list({ project_id: 'proj-vf', status: 'active' });
  assert.deepEqual(rows.map((x) => [x.top_id, x.status]), [[r.body.volume.id, 'active']]);
  assert.deepEqual(await routings(), { pending: 2, active: 1 });
});
