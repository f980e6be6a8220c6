// Two job runners on two sites (two embedded replicas of one real sqld primary) share one jobs
// table: a job never runs on both at once and runs once, a lease one site holds and abandons is
// taken over by the other after it expires, and while the primary is away both wait.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/cloud';
import { openStore, type Store } from '../../src/store';
import { JobRunner, done, type JobHandler } from '../../src/jobs';
import { startPrimary, type Primary } from '../multisite/primary';

let dir: string;
let primary: Primary;
let siteA: Store;
let siteB: Store;

const quiet = { info() {}, warn() {}, error() {} };


before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trio2o-lease-'));
  primary = await startPrimary({ dir });
  siteA = await openStore({ url: `file:${join(dir, 'a.db')}`, syncUrl: primary.url, syncInterval: 1 });
  siteB = await openStore({ url: `file:${join(dir, 'b.db')}`, syncUrl: primary.url, syncInterval: 1 });
});

after(async () => {
  await siteA?.close();
  await siteB?.close();
  await primary?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A handler that records every run and how many runs of the same job overlap. */
function recorder() {
  const active = new Map<string, number>();
  const runs: { job: string; site: string }[] = [];
  let overlap = 0;
  const handler = (site: string): JobHandler => ({
    async run(job) {
      const n = (active.get(job.id) ?? 0) + 1;
      active.set(job.id, n);
      if (n > 1) overlap++;
      runs.push({ job: job.id, site });
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
      active.set(job.id, active.get(job.id)! - 1);
      return done(site);
    },
  });
  return { handler, runs, overlap: () => overlap };
}

test('two runners on two sites: every job runs exactly once, never on both at once', async (t) => {
  const rec = recorder();
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push((await siteA.jobs.enqueue('lease_test', `r${i}`, null)).id);
  await siteB.replication!.syncNow(2000);
  const a = new JobRunner({ store: siteA, log: quiet, handlers: { lease_test: rec.handler('A') }, pollMs: 15, concurrency: 4, owner: 'site-a', beforeRun: () => siteA.replication!.syncNow(500).then(() => {}) });
  const b = new JobRunner({ store: siteB, log: quiet, handlers: { lease_test: rec.handler('B') }, pollMs: 15, concurrency: 4, owner: 'site-b', beforeRun: () => siteB.replication!.syncNow(500).then(() => {}) });
  a.start();
  b.start();
  t.after(() => Promise.all([a.stop(), b.stop()]));
  await eventually(async () => (await siteA.jobs.list({ type: 'lease_test', status: 'success' })).length === 40, 20_000);
  assert.equal(rec.overlap(), 0, 'no job ran on both sites at once');
  assert.equal(rec.runs.length, 40, 'each job ran once');
  assert.equal(new Set(rec.runs.map((r) => r.job)).size, 40);
  const sites = new Set(rec.runs.map((r) => r.site));
  assert.deepEqual([...sites].sort(), ['A', 'B'], 'both sites took jobs');
  for (const id of ids) {
    const h = await siteA.jobs.history(id);
    assert.equal(h.length, 1, `one attempt of ${id}`);
    assert.equal(h[0]!.outcome, 'success');
  }
});

test("a lease site A holds and abandons is taken over by site B once it expires, and A's late result is refused", async (t) => {
  const job = await siteA.jobs.enqueue('takeover', 'x', null);
  const lease = await siteA.jobs.claim(job.id, 'site-a', 1_000);
  assert.ok(lease, 'A holds the lease');
  await siteB.replication!.syncNow(2000);
  assert.equal(await siteB.jobs.claim(job.id, 'site-b', 1_000), undefined, 'B cannot claim a live lease');
  const ran: string[] = [];
  const b = new JobRunner({ store: siteB, log: quiet, handlers: { takeover: { run: async () => (ran.push('B'), done()) } }, pollMs: 50, owner: 'site-b' });
  b.start();
  t.after(() => b.stop());
  await eventually(async () => (await siteB.jobs.get(job.id))?.status === 'success', 20_000);
  assert.deepEqual(ran, ['B']);
  assert.equal(await siteA.jobs.finish(lease!, { outcome: 'fail', error: 'late' }), 'lost', "A's result is not recorded");
  assert.equal((await siteB.jobs.get(job.id))!.status, 'success');
});

test('while the primary is away both runners wait; once it is back the job runs once', async (t) => {
  const rec = recorder();
  const job = await siteA.jobs.enqueue('outage', 'y', null, { delayMs: 1_500 });
  await primary.kill();
  let restarted = false;
  t.after(() => (restarted ? undefined : primary.start()));
  // Both replicas notice on their next sync and turn read-only.
  await eventually(async () => siteA.mode === 'replica-detached' && siteB.mode === 'replica-detached', 20_000);
  const a = new JobRunner({ store: siteA, log: quiet, handlers: { outage: rec.handler('A') }, pollMs: 20, owner: 'site-a' });
  const b = new JobRunner({ store: siteB, log: quiet, handlers: { outage: rec.handler('B') }, pollMs: 20, owner: 'site-b' });
  a.start();
  b.start();
  t.after(() => Promise.all([a.stop(), b.stop()]));
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal(rec.runs.length, 0, 'nothing runs without the primary');
  assert.ok(a.stats().primaryWaits > 0 && b.stats().primaryWaits > 0);
  await primary.start();
  restarted = true;
  await eventually(async () => siteA.mode === 'replica' && siteB.mode === 'replica', 20_000);
  await eventually(async () => (await siteA.jobs.get(job.id))?.status === 'success', 20_000);
  assert.equal(rec.runs.length, 1);
  assert.equal(rec.overlap(), 0);
});
