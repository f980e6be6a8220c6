// The pod client's breaker keeps a known-bad pod from costing its full list deadline on every
// list: after `breaker_threshold` timeouts the pod is skipped at once (reason circuit_open).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call } from '../support/http';
import { MISSING_PODS_HEADER } from '../../src/fanout';
import { as, seed, startThreePods } from './helpers';

let cloud: Cloud;
const P = 'proj-breaker';
const LIST_TIMEOUT_MS = 200;

before(async () => {
  // No job runner: its own successful calls to Pod3 would reset the consecutive-failure count
  // this test counts (the breaker counts every call to a pod, not only lists).
  cloud = await startThreePods({ pods: { listTimeoutMs: LIST_TIMEOUT_MS, breakerThreshold: 2, breakerCooldownMs: 60_000 }, jobs: { enabled: false } });
  await seed(cloud, P, 2);
});
after(() => cloud.close());

async function timed(): Promise<{ ms: number; missing: string | null; count: number }> {
  const t0 = performance.now();
  const r = await call(`${cloud.compute}/v2.1/${P}/servers/detail`, { headers: as(P) });
  assert.equal(r.status, 200);
  return { ms: performance.now() - t0, missing: r.headers.get(MISSING_PODS_HEADER), count: r.body.servers.length };
}

test('two timeouts open the circuit; the next list skips the pod without waiting', async () => {
  cloud.pods[2]!.inject({ kind: 'hang', match: { path: /servers\/detail/ } });
  const podId = cloud.podIds[2]!;
  const pods = cloud.gw.gateway.parts.pods;
  for (let i = 0; i < 2; i++) {
    const t = await timed();
    assert.equal(t.missing, 'Pod3;reason=timeout;shown=skipped');
    assert.ok(t.ms >= LIST_TIMEOUT_MS - 20, `waited ${t.ms.toFixed(0)} ms`);
  }
  assert.equal(pods.breakerState(podId), 'open');
  const fast = await timed();
  assert.equal(fast.missing, 'Pod3;reason=circuit_open;shown=skipped');
  assert.ok(fast.ms < LIST_TIMEOUT_MS / 2, `open circuit costs nothing (${fast.ms.toFixed(0)} ms)`);
  assert.equal(fast.count, 4, 'the other pods still answer');
});
