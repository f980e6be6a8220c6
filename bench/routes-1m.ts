/**
 * Scale: a million routings and a hundred pods in a local libSQL store, against ten thousand
 * routings and one pod.
 *
 *   node --import tsx bench/routes-1m.ts
 *
 * Env: ROUTINGS (1000000), PODS (100), SMALL_ROUTINGS (10000), LOOKUPS (20000 per kind),
 * REAL (1000 servers the simulated pod really holds, routed among the others), CONNECTIONS (50),
 * SECONDS (3), ROUNDS (3).
 *
 * For each store (large: ROUTINGS + PODS; small: SMALL_ROUTINGS + 1 pod) it prints
 * 1. route lookup latency (p50, p99, max) of random ids: straight from the store (the index), and
 *    through the gateway's RouteTable — cold (mostly misses, the cache is bounded) and hot;
 * 2. the RouteTable's memory after LOOKUPS random lookups and after a sweep of 200k distinct ids
 *    (the cache holds at most its bound, 100k entries by default);
 * 3. forwarded-read throughput (`GET /servers/{id}`, wrk, random ids among the REAL servers) of a
 *    gateway process started on that store, and the gateway's RSS after the runs.
 * Rounds alternate small/large.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openStore, type Store } from '../src/store';
import { RouteTable } from '../src/routing';
import { freePort, startGatewayProcess, startPodProcess, type GatewayProcess } from './processes';
import { ensureTools, wrk, type WrkResult } from './loadgen';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const ROUTINGS = env('ROUTINGS', 1_000_000);
const PODS = env('PODS', 100);
const SMALL_ROUTINGS = env('SMALL_ROUTINGS', 10_000);
const LOOKUPS = env('LOOKUPS', 20_000);
const REAL = env('REAL', 1000);
const CONNECTIONS = env('CONNECTIONS', 50);
const SECONDS = env('SECONDS', 3);
const ROUNDS = env('ROUNDS', 3);
const PROJECT = 'bench';
const H = { 'x-auth-token': 'bench', 'x-project-id': PROJECT, 'x-user-id': 'bench-user', 'x-roles': 'member' };
const MiB = 2 ** 20;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const median = (xs: number[]) => pct(xs, 50);

/**
 * The i-th synthetic id: UUID-shaped, in ascending order, so a million rows load as appends to
 * the indexes (a load in random order spends minutes in page splits; lookups are random anyway).
 */
const synthId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** Rows that hold a real server's id instead of a synthetic one: every (routings / real)-th. */
const realEvery = (routings: number, real: number) => Math.max(1, Math.floor(routings / Math.max(1, real)));
const isRealSlot = (i: number, routings: number, real: number) => i % realEvery(routings, real) === 0 && i / realEvery(routings, real) < real;

interface Prepared {
  name: string;
  dbFile: string;
  routings: number;
  pods: number;
  loadSeconds: number;
}

/** Creates the store file with `pods` pods (the first is the simulated one) and `routings` rows, `real` ids among them. */
async function prepare(dir: string, name: string, routings: number, pods: number, simEndpoints: Record<string, string>, real: string[]): Promise<Prepared> {
  const dbFile = join(dir, name, 'bench.db');
  const store = await openStore({ url: `file:${dbFile}` });
  const t0 = performance.now();
  try {
    await store.pods.create({ pod_name: 'RegionOne', az_name: '', pod_az_name: '', dc_name: '', enabled: true, endpoints: null });
    const podIds: string[] = [];
    for (let i = 0; i < pods; i++) {
      // Only the first pod is reachable; the others are registered (directory, bindings) and own routings.
      const endpoints = i === 0 ? simEndpoints : { compute: `http://127.0.0.1:9/pod${i}/compute/v2.1`, volumev3: `http://127.0.0.1:9/pod${i}/volume/v3` };
      podIds.push((await store.pods.create({ pod_name: `Pod${i + 1}`, az_name: `az${(i % 10) + 1}`, pod_az_name: 'nova', dc_name: '', enabled: true, endpoints })).pod_id);
    }
    const now = new Date().toISOString();
    // Loading only: a larger page cache for this connection. The gateway opens the file as always.
    await store.db.execute('PRAGMA cache_size = -262144');
    // The rows are generated inside SQLite (a recursive CTE, 100k rows a statement): no SQL text
    // per row to build and parse. Synthetic ids ascend, so the indexes grow by appends.
    await store.db.execute('CREATE TABLE bench_pods (k INTEGER PRIMARY KEY, pod_id TEXT NOT NULL)');
    await store.db.batch(podIds.map((id, k) => ({ sql: 'INSERT INTO bench_pods VALUES (?, ?)', args: [k, id] })), 'write');
    const every = realEvery(routings, real.length);
    const CHUNK = 100_000;
    for (let from = 0; from < routings; from += CHUNK) {
      await store.db.execute({
        sql: `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
              INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at)
              SELECT printf('00000000-0000-4000-8000-%012x', i), printf('00000000-0000-4000-8000-%012x', i),
                     (SELECT pod_id FROM bench_pods WHERE k = i % ?3), '${PROJECT}', 'server', 'active', ?4, ?4
              FROM n WHERE NOT (i % ?5 = 0 AND i / ?5 < ?6)`,
        args: [from, Math.min(routings, from + CHUNK) - 1, podIds.length, now, every, real.length],
      });
    }
    await store.db.execute('DROP TABLE bench_pods');
    // The real servers, in the slots left for them, all in the simulated pod.
    await store.db.batch(real.map((id) => ({
      sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at) VALUES (?, ?, ?, '${PROJECT}', 'server', 'active', ?, ?)`,
      args: [id, id, podIds[0]!, now, now],
    })), 'write');
    const count = Number((await store.db.execute('SELECT count(*) FROM routings')).rows[0]![0]);
    if (count !== routings) throw new Error(`loaded ${count} routings, wanted ${routings}`);
  } finally {
    store.close();
  }
  return { name, dbFile, routings, pods, loadSeconds: (performance.now() - t0) / 1000 };
}

interface LookupStats {
  p50: number;
  p99: number;
  max: number;
}

async function timeLookups(ids: string[], lookup: (id: string) => Promise<unknown>): Promise<LookupStats> {
  const lat: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    if (!(await lookup(id))) throw new Error(`no routing for ${id}`);
    lat.push(performance.now() - t);
  }
  return { p50: pct(lat, 50), p99: pct(lat, 99), max: pct(lat, 100) };
}

/** `count` random synthetic ids of a store of `n` routings (real slots skipped). */
function randomIds(n: number, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const i = Math.floor(Math.random() * n);
    if (!isRealSlot(i, n, REAL)) out.push(synthId(i));
  }
  return out;
}

async function lookups(p: Prepared): Promise<string[]> {
  const store: Store = await openStore({ url: `file:${p.dbFile}`, migrate: false });
  const out: string[] = [];
  try {
    const ids = randomIds(p.routings, LOOKUPS);
    const direct = await timeLookups(ids.slice(0, LOOKUPS / 2), (id) => store.routings.lookup(id, 'server'));
    const gc = () => (globalThis as { gc?: () => void }).gc?.();
    gc();
    const heap0 = process.memoryUsage();
    const table = new RouteTable(store);
    const cold = await timeLookups(ids, (id) => table.lookup(id, 'server'));
    const hot = await timeLookups(ids, (id) => table.lookup(id, 'server'));
    gc();
    const heap1 = process.memoryUsage();
    // Sweep: twice the cache bound of distinct ids (the cache must stay at its bound).
    const sweep = Math.min(p.routings - 1, 200_000);
    for (let i = 0; i < sweep; i++) if (!isRealSlot(i, p.routings, REAL)) await table.lookup(synthId(i), 'server');
    gc();
    const heap2 = process.memoryUsage();
    const f = (s: LookupStats) => `p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms, max ${s.max.toFixed(2)} ms`;
    out.push(`| ${p.name} | store index (SELECT by top_id) | ${f(direct)} |`);
    out.push(`| ${p.name} | RouteTable, cold (${LOOKUPS} random ids) | ${f(cold)} |`);
    out.push(`| ${p.name} | RouteTable, hot (same ids again) | ${f(hot)} |`);
    out.push(`| ${p.name} | memory | heap +${((heap1.heapUsed - heap0.heapUsed) / MiB).toFixed(1)} MiB after ${LOOKUPS} cached, +${((heap2.heapUsed - heap0.heapUsed) / MiB).toFixed(1)} MiB after a ${sweep}-id sweep (cache ${table.size} entries) |`);
  } finally {
    store.close();
  }
  return out;
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  ensureTools();
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-bench-1m-'));
  console.log(`1M routings: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
  const podPort = await freePort();
  const sim = await startPodProcess('Pod1', 'nova', podPort);
  const gws: GatewayProcess[] = [];
  try {
    // The servers the pod really holds: one multi-create.
    const image = ((await (await fetch(`${sim.endpoints.image}/v2/images`, { headers: H })).json()) as any).images[0].id;
    const made = await fetch(`${sim.endpoints.compute}/${PROJECT}/servers`, { method: 'POST', headers: { ...H, 'content-type': 'application/json' }, body: JSON.stringify({ server: { name: 'bench', flavorRef: '1', imageRef: image, min_count: REAL, max_count: REAL, return_reservation_id: true } }) });
    if (made.status !== 202) throw new Error(`seed: ${made.status} ${await made.text()}`);
    const listed = (await (await fetch(`${sim.endpoints.compute}/${PROJECT}/servers?limit=${REAL}`, { headers: H })).json()) as { servers: { id: string }[] };
    const real = listed.servers.map((s) => s.id);
    if (real.length !== REAL) throw new Error(`pod holds ${real.length} servers, wanted ${REAL}`);

    const small = await prepare(dir, 'small', SMALL_ROUTINGS, 1, sim.endpoints, real);
    const large = await prepare(dir, 'large', ROUTINGS, PODS, sim.endpoints, real);
    console.log(`loaded: ${small.routings} routings/${small.pods} pod in ${small.loadSeconds.toFixed(1)} s; ${large.routings} routings/${large.pods} pods in ${large.loadSeconds.toFixed(1)} s`);

    const lookupRows = [...(await lookups(small)), ...(await lookups(large))];
    console.log('\n| store | lookup | latency |');
    console.log('|---|---|---|');
    for (const l of lookupRows) console.log(l);

    // Forwarded reads: one gateway per store, random ids among the real servers.
    const sides: { p: Prepared; gw: GatewayProcess; runs: WrkResult[] }[] = [];
    for (const p of [small, large]) {
      const gw = await startGatewayProcess(join(dir, p.name), { TRIO2O_JOBS_ENABLED: 'false' });
      gws.push(gw);
      sides.push({ p, gw, runs: [] });
    }
    const paths = real.map((id) => `/v2.1/${PROJECT}/servers/${id}`);
    for (const s of sides) await wrk(dir, { url: s.gw.compute, headers: H, paths }, CONNECTIONS, 2); // warm-up: route cache, pools
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const s of order) s.runs.push(await wrk(dir, { url: s.gw.compute, headers: H, paths }, CONNECTIONS, SECONDS));
    }
    const base = median(sides[0]!.runs.map((r) => r.rps));
    console.log(`\n| store | forwarded reads/s (median of ${ROUNDS}) | vs small | p99 ms | errors | gateway RSS MiB |`);
    console.log('|---|---|---|---|---|---|');
    for (const s of sides) {
      const rps = median(s.runs.map((r) => r.rps));
      console.log(`| ${s.p.routings} routings, ${s.p.pods} pods | ${rps.toFixed(0)} | ${(rps / base).toFixed(2)}x | ${median(s.runs.map((r) => r.p99)).toFixed(2)} | ${s.runs.reduce((a, r) => a + r.errors, 0)} | ${rssOf(s.gw.child.pid!).toFixed(0)} |`);
    }
    console.log('\nper round (requests/s):');
    for (const s of sides) console.log(`${s.p.name}: ${s.runs.map((r) => r.rps.toFixed(0)).join(' | ')}`);
  } finally {
    for (const gw of gws) gw.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
