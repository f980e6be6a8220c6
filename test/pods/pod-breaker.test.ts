// Circuit breaker per pod: N consecutive failures open it, calls then fail fast with
// TRIO2O_POD_CIRCUIT_OPEN (503) without touching the pod, and after the cooldown one probe
// is let through; its success closes the circuit. Clock injected: no sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, PodError, httpStatusFor, type BreakerState } from '../../src/pods';
import { deadPort, makeClient, podAt, startUpstream } from './upstream';

test('CircuitBreaker state machine with an injected clock', () => {
  let now = 1_000;
  const changes: string[] = [];
  const b = new CircuitBreaker({
    threshold: 3,
    cooldownMs: 10_000,
    now: () => now,
    onChange: (pod, from, to) => changes.push(`${pod}:${from}->${to}`),
  });
  assert.equal(b.state('a'), 'closed');
  b.onFailure('a');
  b.onFailure('a');
  b.onSuccess('a'); // consecutive only
  b.onFailure('a');
  b.onFailure('a');
  assert.equal(b.state('a'), 'closed');
  assert.equal(b.tryAcquire('a'), true);
  b.onFailure('a');
  assert.equal(b.state('a'), 'open');
  assert.equal(b.tryAcquire('a'), false);
  assert.equal(b.state('other'), 'closed', 'per pod');
  assert.deepEqual(b.snapshot(), { a: { state: 'open', consecutiveFailures: 3, openedAt: 1_000 } });

  now += 9_999;
  assert.equal(b.tryAcquire('a'), false);
  now += 1;
  assert.equal(b.state('a'), 'half-open');
  assert.equal(b.tryAcquire('a'), true, 'one probe');
  assert.equal(b.tryAcquire('a'), false, 'only one probe');
  b.onFailure('a'); // probe failed: open again for a full cooldown
  assert.equal(b.state('a'), 'open');
  now += 10_000;
  assert.equal(b.tryAcquire('a'), true);
  b.onNeutral('a'); // probe told nothing (client hung up): the next caller may probe
  assert.equal(b.tryAcquire('a'), true);
  b.onSuccess('a');
  assert.equal(b.state('a'), 'closed');
  assert.equal(b.tryAcquire('a'), true);
  assert.deepEqual(changes, [
    'a:closed->open',
    'a:open->half-open',
    'a:half-open->open',
    'a:open->half-open',
    'a:half-open->closed',
  ]);
});

test('a probe that never reports is replaced after one cooldown', () => {
  let now = 0;
  const b = new CircuitBreaker({ threshold: 1, cooldownMs: 100, now: () => now });
  b.onFailure('a');
  now = 100;
  assert.equal(b.tryAcquire('a'), true);
  now = 150;
  assert.equal(b.tryAcquire('a'), false);
  now = 200;
  assert.equal(b.tryAcquire('a'), true);
});

test('PodClient: 502/503/504 from the pod open the circuit; fail fast; probe closes it', async (t) => {
  let status = 503;
  const up = await startUpstream((_req, res) => {
    res.statusCode = status;
    res.end();
  });
  t.after(() => up.close());
  let now = 50_000;
  const changes: BreakerState[] = [];
  const errors: string[] = [];
  const pods = makeClient({
    breakerThreshold: 3,
    breakerCooldownMs: 30_000,
    now: () => now,
    onBreakerChange: (_p, _f, to) => changes.push(to),
    observer: { onResponse() {}, onError: (_p, _s, code) => errors.push(code) },
  });
  t.after(() => pods.close());
  const pod = podAt(up.origin);
  const get = () =>
    pods.request({ pod, service: 'compute', method: 'GET', path: '/v2.1/p1/servers', projectId: 'p1', headers: {}, requestId: 'r' });

  for (const s of [503, 502, 404, 504, 500, 503]) {
    status = s;
    const res = await get();
    assert.equal(res.status, s, 'the pod status is returned to the caller');
    await res.dump();
    // 404 and 500 mean the pod answered: they reset the count.
  }
  assert.equal(pods.breakerState('pod-1'), 'closed', '500 reset the count; 503 after it is failure 1');
  for (const s of [502, 504]) {
    status = s;
    await (await get()).dump();
  }
  assert.equal(pods.breakerState('pod-1'), 'open');
  assert.equal(up.hits, 8);

  const fast = await get().then(
    () => assert.fail('expected fail-fast'),
    (e: unknown) => e,
  );
  assert.ok(fast instanceof PodError);
  assert.equal(fast.code, 'TRIO2O_POD_CIRCUIT_OPEN');
  assert.equal(fast.message, 'Pod RegionOne is unavailable (recent failures); try again later');
  assert.equal(httpStatusFor(fast), 503);
  assert.equal(up.hits, 8, 'the pod was not contacted');
  assert.deepEqual(errors, ['TRIO2O_POD_CIRCUIT_OPEN']);

  now += 30_000;
  status = 200;
  const probe = await get();
  assert.equal(probe.status, 200);
  await probe.dump();
  assert.equal(pods.breakerState('pod-1'), 'closed');
  assert.equal(up.hits, 9);
  assert.deepEqual(changes, ['open', 'half-open', 'closed']);
  assert.deepEqual(pods.breakerSnapshot(), { 'pod-1': { state: 'closed', consecutiveFailures: 0 } });
});

test('PodClient: transport failures (refused) count too; the breaker is per pod', async (t) => {
  const pods = makeClient({ breakerThreshold: 2, retries: 0 });
  t.after(() => pods.close());
  const dead = podAt(`http://127.0.0.1:${await deadPort()}`, 'pod-dead', 'RegionDead');
  const get = () =>
    pods.request({ pod: dead, service: 'compute', method: 'GET', path: '/v2.1/p/servers', projectId: 'p', headers: {}, requestId: 'r' });
  for (const expected of ['TRIO2O_POD_UNREACHABLE', 'TRIO2O_POD_UNREACHABLE', 'TRIO2O_POD_CIRCUIT_OPEN']) {
    await assert.rejects(get(), (e: unknown) => e instanceof PodError && e.code === expected);
  }
  assert.equal(pods.breakerState('pod-dead'), 'open');
  assert.equal(pods.breakerState('pod-1'), 'closed');
});
