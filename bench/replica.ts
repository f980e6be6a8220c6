/**
 * Multi-site benchmark (issue 7), run by hand:
 *   node --import tsx bench/replica.ts
 * Env: ROUTES (rows seeded, 10000), LOOKUPS (per round, 20000), ROUNDS (3), LAG_SAMPLES (40),
 * SYNC_INTERVAL (seconds, 1), CREATES (per round, 200).
 *
 * Prints, with the setup above the numbers:
 * 1. route lookup (one id → owning pod) on an embedded replica, on a standalone file, and from
 *    the RouteTable's in-memory cache: ops/s, p50, p99 (median of rounds, order rotated per round);
 * 2. sync lag at SYNC_INTERVAL: a row written through site A until it is readable at site B,
 *    with only the background sync (no route-miss sync): p50, p99, max;
 * 3. create cost in the store (pending routing + completion, the two writes of a server
 *    create) standalone vs replica (delegated to the primary).
 * Targets: lookup p99 ≤ 0.2 ms; lag p99 ≤ 1.1 × SYNC_INTERVAL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { openStore, type Store } from '../src/store';
import { RouteTable } from '../src/routing';
import { SQLD_BIN, startPrimary } from '../test/multisite/primary';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const ROUTES = env('ROUTES', 10_000);
const LOOKUPS = env('LOOKUPS', 20_000);
const ROUNDS = env('ROUNDS', 3);
const LAG_SAMPLES = env('LAG_SAMPLES', 40);
const SYNC_INTERVAL = env('SYNC_INTERVAL', 1);
const CREATES = env('CREATES', 200);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const median = (xs: number[]) => pct(xs, 50);
const ms = (x: number) => `${x.toFixed(3)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function seed(store: Store): Promise<string[]> {
  const pod = await store.pods.create({ pod_name: `Pod-${Math.random()}`, az_name: 'az1', pod_az_name: '', dc_name: '', enabled: true, endpoints: null });
  const ids: string[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < ROUTES; i += 1000) {
    const stmts = [];
    for (let j = i; j < Math.min(ROUTES, i + 1000); j++) {
      const id = `srv-${j}-${Math.random().toString(36).slice(2)}`;
      ids.push(id);
      stmts.push({ sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at) VALUES (?, ?, ?, 'p', 'server', 'active', ?, ?)`, args: [id, id, pod.pod_id, now, now] });
    }
    await store.db.batch(stmts, 'write');
  }
  return ids;
}

interface Result { opsPerSec: number; p50: number; p99: number }

async function lookups(lookup: (id: string) => Promise<unknown>, ids: string[]): Promise<Result> {
  const lat: number[] = new Array(LOOKUPS);
  const t0 = performance.now();
  for (let i = 0; i < LOOKUPS; i++) {
    const id = ids[(i * 7919) % ids.length]!;
    const s = performance.now();
    if (!(await lookup(id))) throw new Error(`lookup of ${id} found nothing`);
    lat[i] = performance.now() - s;
  }
  return { opsPerSec: LOOKUPS / ((performance.now() - t0) / 1000), p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-bench-'));
  const primary = await startPrimary({ dir });
  const stores: Store[] = [];
  try {
    console.log(`setup: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, ${execFileSync(SQLD_BIN, ['--version']).toString().trim()}`);
    console.log(`       ROUTES=${ROUTES} LOOKUPS=${LOOKUPS} ROUNDS=${ROUNDS} LAG_SAMPLES=${LAG_SAMPLES} SYNC_INTERVAL=${SYNC_INTERVAL}s CREATES=${CREATES}\n`);
    const open = async (name: string, replica: boolean) => {
      const s = await openStore({ url: `file:${join(dir, `${name}.db`)}`, ...(replica ? { syncUrl: primary.url, syncInterval: SYNC_INTERVAL } : {}) });
      stores.push(s);
      return s;
    };
    const a = await open('site-a', true);
    const b = await open('site-b', true);
    const file = await open('standalone', false);
    const replicaIds = await seed(a);
    await b.replication!.syncNow(5000);
    const fileIds = await seed(file);
    const table = new RouteTable(b);
    for (const id of replicaIds) await table.lookup(id, 'server'); // warm the cache

    // 1. Route lookups.
    const kinds = {
      replica: () => lookups((id) => b.routings.lookup(id, 'server'), replicaIds),
      'standalone file': () => lookups((id) => file.routings.lookup(id, 'server'), fileIds),
      'RouteTable cache': () => lookups((id) => table.lookup(id, 'server'), replicaIds),
    };
    const names = Object.keys(kinds) as (keyof typeof kinds)[];
    const runs = new Map<string, Result[]>(names.map((n) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < names.length; k++) {
        const n = names[(k + r) % names.length]!; // rotate so warm-up favours no side
        runs.get(n)!.push(await kinds[n]());
      }
    }
    console.log('route lookup              ops/s       p50        p99   (median of rounds)');
    const summary = new Map<string, Result>();
    for (const n of names) {
      const rs = runs.get(n)!;
      const s = { opsPerSec: median(rs.map((x) => x.opsPerSec)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)) };
      summary.set(n, s);
      console.log(`  ${n.padEnd(20)} ${s.opsPerSec.toFixed(0).padStart(9)}  ${ms(s.p50).padStart(9)}  ${ms(s.p99).padStart(9)}   rounds p99: ${rs.map((x) => x.p99.toFixed(3)).join(', ')}`);
    }
    const rep = summary.get('replica')!;
    const std = summary.get('standalone file')!;
    console.log(`  replica/standalone ops/s ${(rep.opsPerSec / std.opsPerSec).toFixed(2)}x, p99 ${(rep.p99 / std.p99).toFixed(2)}x; target p99 ≤ 0.2 ms: replica ${rep.p99 <= 0.2 ? 'met' : 'MISSED'}, cache ${summary.get('RouteTable cache')!.p99 <= 0.2 ? 'met' : 'MISSED'}\n`);

    // 2. Sync lag: written through A (delegated), polled at B every 2 ms; background sync only.
    const pod = (await a.pods.list())[0]!;
    const lags: number[] = [];
    for (let i = 0; i < LAG_SAMPLES; i++) {
      await sleep(Math.random() * SYNC_INTERVAL * 1000); // decorrelate from B's sync phase
      const p = await a.routings.createPending('lag', pod.pod_id, 'server');
      const t0 = performance.now();
      while (!(await b.routings.get(p.id))) await sleep(2);
      lags.push(performance.now() - t0);
    }
    const l99 = pct(lags, 99);
    console.log(`sync lag at sync_interval ${SYNC_INTERVAL} s (${LAG_SAMPLES} samples): p50 ${pct(lags, 50).toFixed(0)} ms, p99 ${l99.toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`);
    console.log(`  p99/interval ${(l99 / (SYNC_INTERVAL * 1000)).toFixed(2)}x; target ≤ 1.1x: ${l99 <= 1.1 * SYNC_INTERVAL * 1000 ? 'met' : 'MISSED'}\n`);

    // 3. Create cost in the store: pending routing + completion.
    const filePod = (await file.pods.list())[0]!;
    const create = async (s: Store, podId: string) => {
      const lat: number[] = [];
      for (let i = 0; i < CREATES; i++) {
        const t0 = performance.now();
        const p = await s.routings.createPending('bench', podId, 'server');
        await s.routings.complete(p.id, `c-${i}-${Math.random()}`);
        lat.push(performance.now() - t0);
      }
      return { p50: pct(lat, 50), p99: pct(lat, 99) };
    };
    const cs = await create(file, filePod.pod_id);
    const cr = await create(a, pod.pod_id);
    console.log(`create (pending + complete, ${CREATES}×)   p50        p99`);
    console.log(`  standalone file          ${ms(cs.p50).padStart(9)}  ${ms(cs.p99).padStart(9)}`);
    console.log(`  replica (delegated)      ${ms(cr.p50).padStart(9)}  ${ms(cr.p99).padStart(9)}`);
    console.log(`  replica/standalone p50 ${(cr.p50 / cs.p50).toFixed(1)}x, p99 ${(cr.p99 / cs.p99).toFixed(1)}x`);
  } finally {
    for (const s of stores) await s.close();
    await primary.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
