// The job runner on one store: attempts with backoff and a cap, a bound on attempts with the reason
// kept, history, one log line per attempt, metrics by type and outcome, jobs that survive a restart,
// a dead runner's lease taken over once it expires, and waiting while the store cannot be written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/cloud';
import { openStore, StoreError, type Store } from '../../src/store';
import { JobRunner, backoffMs, done, fail, wait, type JobHandler } from '../../src/jobs';
import { GatewayMetrics } from '../../src/ops';

function memLog() {
  const lines: { event: string; [k: string]: unknown }[] = [];
  const push = (event: string, f: Record<string, unknown> = {}) => void lines.push({ event, ...f });
  return { lines, info: push, warn: push, error: push };
}

async function tempStore(t: { after(fn: () => unknown): void }): Promise<{ store: Store; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-jobs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const url = `file:${join(dir, 'state.db')}`;
  const store = await openStore({ url });
  t.after(() => store.close());
  return { store, url };
}


test('backoff doubles from the base and never passes the cap', () => {
  const b = { baseMs: 100, capMs: 1_000 };
  const mid = () => 0.5; // no jitter
  assert.deepEqual([1, 2, 3, 4, 5, 10].map((a) => backoffMs(b, a, mid)), [100, 200, 400, 800, 1000, 1000]);
  for (let a = 1; a < 30; a++) assert.ok(backoffMs(b, a) <= 1_000);
});

test('a failing job is retried with backoff, then fails after its bound with the reason kept; history and one log line per attempt', async (t) => {
  const { store } = await tempStore(t);
  const log = memLog();
  let calls = 0;
  const flaky: JobHandler = { maxAttempts: 3, backoff: { baseMs: 20, capMs: 40 }, run: async () => (calls++, wait(`pod down (${calls})`)) };
  const runner = new JobRunner({ store, log, handlers: { flaky }, pollMs: 10, owner: 'r1' });
  const job = await store.jobs.enqueue('flaky', 'res-1', { x: 1 });
  runner.start();
  t.after(() => runner.stop());
  const failed = await eventually(async () => {
    const j = await store.jobs.get(job.id);
    return j?.status === 'fail' ? j : undefined;
  }, 10_000);
  assert.equal(calls, 3);
  assert.equal(failed.attempts, 3);
  assert.equal(failed.last_error, 'gave up after 3 attempts: pod down (3)');
  const history = await store.jobs.history(job.id);
  assert.deepEqual(history.map((h) => [h.attempt, h.owner, h.outcome]), [[1, 'r1', 'retry'], [2, 'r1', 'retry'], [3, 'r1', 'fail']]);
  assert.deepEqual(history.map((h) => h.detail), ['pod down (1)', 'pod down (2)', 'gave up after 3 attempts: pod down (3)']);
  const attempts = log.lines.filter((l) => l.event === 'job_attempt');
  assert.deepEqual(attempts.map((l) => [l.attempt, l.outcome]), [[1, 'retry'], [2, 'retry'], [3, 'fail']]);
  assert.equal(attempts[0]!.type, 'flaky');
  assert.ok(typeof attempts[0]!.next_attempt_in_ms === 'number' && (attempts[0]!.next_attempt_in_ms as number) <= 40);

  const metrics = new GatewayMetrics({ jobs: () => store.jobs.counts(), jobRunner: () => runner.stats() });
  const text = await metrics.render();
  assert.match(text, /^trio2o_jobs\{type="flaky",status="fail"\} 1$/m);
  assert.match(text, /^trio2o_jobs\{type="flaky",status="new"\} 0$/m);
  assert.match(text, /^trio2o_job_attempts_total\{type="flaky",outcome="retry"\} 2$/m);
  assert.match(text, /^trio2o_job_attempts_total\{type="flaky",outcome="fail"\} 1$/m);
});

test('a handler that fails for good fails at once; a thrown error is retried; a success is final', async (t) => {
  const { store } = await tempStore(t);
  let thrown = 0;
  const handlers: Record<string, JobHandler> = {
    conflict: { run: async () => fail('flavor 1 means 512 MB here and 64 MB in Pod1') },
    throws: { backoff: { baseMs: 10, capMs: 10 }, run: async () => (++thrown < 2 ? Promise.reject(new Error('boom')) : done('second time lucky')) },
  };
  const runner = new JobRunner({ store, log: memLog(), handlers, pollMs: 10 });
  const a = await store.jobs.enqueue('conflict', null, null);
  const b = await store.jobs.enqueue('throws', null, null);
  const unknown = await store.jobs.enqueue('not_mine', null, null);
  runner.start();
  t.after(() => runner.stop());
  await eventually(async () => (await store.jobs.get(b.id))?.status === 'success', 10_000);
  await eventually(async () => (await store.jobs.get(a.id))?.status === 'fail', 10_000);
  assert.equal((await store.jobs.get(a.id))!.attempts, 1);
  assert.equal((await store.jobs.get(a.id))!.last_error, 'flavor 1 means 512 MB here and 64 MB in Pod1');
  assert.deepEqual((await store.jobs.history(b.id)).map((h) => [h.outcome, h.detail]), [['retry', 'boom'], ['success', 'second time lucky']]);
  assert.equal((await store.jobs.get(unknown.id))!.status, 'new', 'a type this runner does not know is left for one that does');
});

test('jobs survive a restart; a dead runner’s lease expires and another runner takes the job over', async (t) => {
  const { store, url } = await tempStore(t);
  const waiting = await store.jobs.enqueue('work', 'w', null);
  // A runner claims a job and dies (its lease is never renewed nor released).
  const stuck = await store.jobs.enqueue('work', 's', null);
  const lease = await store.jobs.claim(stuck.id, 'dead-runner', 300);
  assert.ok(lease);
  assert.equal(await store.jobs.claim(stuck.id, 'another', 300), undefined, 'a live lease cannot be claimed');
  await store.close();

  const reopened = await openStore({ url });
  t.after(() => reopened.close());
  const ran: string[] = [];
  const runner = new JobRunner({ store: reopened, log: memLog(), handlers: { work: { run: async (j) => (ran.push(j.resource_id!), done()) } }, pollMs: 20, owner: 'r2' });
  runner.start();
  t.after(() => runner.stop());
  await eventually(async () => (await reopened.jobs.get(waiting.id))?.status === 'success', 10_000);
  await eventually(async () => (await reopened.jobs.get(stuck.id))?.status === 'success', 10_000);
  assert.deepEqual(ran.sort(), ['s', 'w']);
  const history = await reopened.jobs.history(stuck.id);
  assert.deepEqual(history.map((h) => h.owner), ['r2'], 'the dead runner never recorded a start');
  assert.equal((await reopened.jobs.get(stuck.id))!.attempts, 2, "the dead runner's attempt counts");
  // The dead runner cannot record anything for the attempt it lost.
  assert.equal(await reopened.jobs.finish(lease!, { outcome: 'success' }), 'lost');
  assert.equal(await reopened.jobs.renew(lease!, 1000), false);
});

test('a runner that loses its lease mid-attempt aborts it and records nothing', async (t) => {
  const { store } = await tempStore(t);
  const log = memLog();
  let aborted = false;
  const slow: JobHandler = {
    run: (_job, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => ((aborted = true), resolve(done('too late'))));
      }),
  };
  const runner = new JobRunner({ store, log, handlers: { slow }, pollMs: 10, leaseMs: 150, owner: 'r1' });
  const job = await store.jobs.enqueue('slow', null, null);
  runner.start();
  t.after(() => runner.stop());
  await eventually(async () => (await store.jobs.get(job.id))?.status === 'running', 10_000);
  // An operator (or another site) changes the job under the runner: the next renewal fails.
  await store.db.execute({ sql: "UPDATE jobs SET lease_owner = 'someone-else' WHERE id = ?", args: [job.id] });
  await eventually(async () => aborted, 10_000);
  await runner.idle();
  assert.equal((await store.jobs.get(job.id))!.lease_owner, 'someone-else');
  assert.equal(log.lines.find((l) => l.event === 'job_attempt')!.outcome, 'lost');
});

test('while the store cannot be written the runner waits, says so once, and resumes', async (t) => {
  const { store } = await tempStore(t);
  const log = memLog();
  let ran = 0;
  const job = await store.jobs.enqueue('work', null, null);
  // The primary goes away: every claim is refused as unavailable.
  const claim = store.jobs.claim.bind(store.jobs);
  let away = true;
  store.jobs.claim = async (...args) => {
    if (away) throw new StoreError('TRIO2O_STORE_UNAVAILABLE', 'WriteDelegation: primary unreachable');
    return claim(...args);
  };
  const runner = new JobRunner({ store, log, handlers: { work: { run: async () => (ran++, done()) } }, pollMs: 10 });
  runner.start();
  t.after(() => runner.stop());
  await eventually(async () => runner.stats().primaryWaits >= 3, 10_000);
  assert.equal(ran, 0);
  assert.equal(log.lines.filter((l) => l.event === 'job_runner_waiting').length, 1);
  away = false;
  await eventually(async () => (await store.jobs.get(job.id))?.status === 'success', 10_000);
  assert.equal(ran, 1);
  assert.equal(log.lines.filter((l) => l.event === 'job_runner_resumed').length, 1);
});

test('one waiting job per dedup key: enqueueing again refreshes it; a finished job can be retried and deleted', async (t) => {
  const { store } = await tempStore(t);
  const a = await store.jobs.enqueue('work', 'x', { v: 1 }, { dedupKey: 'work:x', delayMs: 60_000 });
  const b = await store.jobs.enqueue('work', 'x', { v: 2 }, { dedupKey: 'work:x' });
  assert.equal(b.id, a.id);
  assert.deepEqual(b.payload, { v: 2 });
  assert.ok(Date.parse(b.next_run_at) <= Date.now() + 1000, 'due as soon as the newer enqueue asked');
  assert.equal((await store.jobs.list({ type: 'work' })).length, 1);
  const runner = new JobRunner({ store, log: memLog(), handlers: { work: { run: async () => done() } }, pollMs: 10 });
  runner.start();
  t.after(() => runner.stop());
  await eventually(async () => (await store.jobs.get(a.id))?.status === 'success', 10_000);
  assert.equal(await store.jobs.deleteFinished(a.id), true);
  assert.equal(await store.jobs.get(a.id), undefined);
  assert.deepEqual(await store.jobs.history(a.id), []);
});

test('a retry that meets a newer waiting job of the same work is superseded by it, not stuck', async (t) => {
  const { store } = await tempStore(t);
  const log = memLog();
  const seen: string[] = [];
  const runner = new JobRunner({
    store,
    log,
    pollMs: 10,
    handlers: {
      push: {
        backoff: { baseMs: 10, capMs: 10 },
        async run(job) {
          seen.push(job.id);
          if (seen.length > 1) return done('pushed the latest state');
          // A change arrives while this attempt runs: the same work is recorded again.
          await store.jobs.enqueue('push', 'x', { v: 2 }, { dedupKey: 'push:x' });
          return wait('pod down');
        },
      },
    },
  });
  const first = await store.jobs.enqueue('push', 'x', { v: 1 }, { dedupKey: 'push:x' });
  runner.start();
  t.after(() => runner.stop());
  await eventually(async () => (await store.jobs.list({ type: 'push', status: 'success' })).length === 2, 10_000);
  assert.equal(seen.length, 2);
  assert.deepEqual((await store.jobs.history(first.id)).map((h) => h.outcome), ['superseded']);
  assert.ok(!log.lines.some((l) => l.event === 'job_result_unrecorded'));
});
