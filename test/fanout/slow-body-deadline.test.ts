// A pod that sends its answer a few bytes at a time, each chunk well within the idle timeout, held a
// list (and a show) for as long as it liked: the per-pod deadline covered only the wait for headers.
// Reading a body the gateway must parse is bounded by the same deadline: the list skips the pod with
// reason=timeout in time, and a show answers 504.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

const LIST_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 800;
const who = identity('proj-slow');
let cloud: Cloud;
let server: string;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }], { pods: { listTimeoutMs: LIST_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, breakerThreshold: 100 } });
  for (const az of ['az1', 'az2']) {
    const s = await call(`${cloud.compute}/v2.1/proj-slow/servers`, { method: 'POST', headers: who, body: { server: { name: az, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    assert.equal(s.status, 202, s.text);
    if (az === 'az2') server = s.body.server.id;
  }
});
after(() => cloud.close());

test('a list: the trickling pod is skipped with reason=timeout within the list deadline', async () => {
  // 16 bytes every 150 ms: each gap is far inside the idle timeout; the whole body takes seconds.
  cloud.pods[1]!.inject({ kind: 'slow_body', delayMs: 150, chunkBytes: 16, match: { path: /\/servers\/detail$/ }, times: 1 });
  const t0 = Date.now();
  const r = await call(`${cloud.compute}/v2.1/proj-slow/servers/detail`, { headers: who });
  const ms = Date.now() - t0;
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.servers.map((s: any) => s.name), ['az1']);
  assert.equal(r.headers.get('x-trio2o-missing-pods'), 'Pod2;reason=timeout;shown=skipped');
  assert.ok(ms < LIST_TIMEOUT_MS + 1500, `answered in ${ms} ms`);
});

test('a show: 504 in the fault shape within the request deadline', async () => {
  cloud.pods[1]!.inject({ kind: 'slow_body', delayMs: 150, chunkBytes: 16, match: { method: 'GET', path: /\/servers\/[^/]+$/ }, times: 1 });
  const t0 = Date.now();
  const r = await call(`${cloud.compute}/v2.1/proj-slow/servers/${server}`, { headers: who });
  const ms = Date.now() - t0;
  assert.equal(r.status, 504, r.text);
  assert.deepEqual(r.body, { computeFault: { code: 504, message: 'Timed out reading the reply of pod Pod2' } });
  assert.ok(ms < REQUEST_TIMEOUT_MS + 1500, `answered in ${ms} ms`);
});
