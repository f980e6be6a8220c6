/**
 * What one forwarded request costs inside the process, the bare Node proxy (bench/floor-proxy.mjs)
 * against the gateway, in the same run: CPU, bytes allocated on the V8 heap, garbage collections
 * and their pauses, pod sockets opened, and (a second, untimed pass with async_hooks) the async
 * resources created — promises, timers, immediates, ticks. bench/anatomy-preload.mjs counts inside
 * each server between two signals; wrk drives it (own process, as in bench/forward.ts).
 *
 *   node --import tsx bench/request-anatomy.ts
 *
 * Env: OPS (read), MODES (noauth: `noauth,keystone` adds every gateway side again in keystone mode,
 * named `<side>-ks`: a real Keystone (test/support/keystone.ts), auth_strategy = keystone and a
 * member's token, served from the token cache after the warm-up, as in bench/forward.ts), SECONDS per window (5; wrk runs 2 s longer, the window is its middle), CONNECTIONS (50), ROUNDS (2: windows per side, order
 * alternated), BASELINE=dir (another checkout's gateway as a third side), ASYNC=0 skips the
 * async-resource pass, BUNDLE=1 (one more side: this checkout's gateway from its esbuild bundle,
 * built first with `node build/build.mjs --bundle`, as the single executable runs it, without
 * tsx), HEAP=dir (a sampling heap profile of each window, garbage included:
 * <op>-<side>-<window>.heapprofile, read with bench/heap-top.ts), PROFILE=dir (a CPU profile of each side's windows, copied there as
 * <op>-<side>-<window>.cpuprofile: `bench/profile-diff.ts` compares two), PERF=dir (Linux `perf
 * record` of each window, on-CPU samples only, kernel included, JIT frames named through
 * --perf-basic-prof: <op>-<side>-<window>.data there, read with `perf report -i`), VARIANTS='name=node flags;…' (more sides: this checkout's gateway
 * started with those flags, e.g. VARIANTS='semi1=--max-semi-space-size=1;semi64=--max-semi-space-size=64'),
 * FLOORS='name=letters;…' (more floor sides: bench/floor-proxy.mjs with FLOOR_VARIANT=letters, the
 * floor moved toward the gateway one choice at a time, e.g. FLOORS='signals=s;timers=t;all=sthpcl';
 * the letters are listed in floor-proxy.mjs).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { freePort, start, startGatewayProcess, startPodProcess } from './processes';
import { ensureTools, wrk } from './loadgen';
import { NOAUTH_USER, PROJECT, request, seed, startBenchKeystone, type BenchKeystone, type Identity, type Op } from './forward-setup';

const OPS = (process.env.OPS ?? 'read').split(',') as Op[];
type Mode = 'noauth' | 'keystone';
const MODES = (process.env.MODES ?? 'noauth').split(',') as Mode[];
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const BASELINE = process.env.BASELINE;
const ASYNC = process.env.ASYNC !== '0';
const PROFILE = process.env.PROFILE;
const PERF = process.env.PERF;
const HEAP = process.env.HEAP;
const PERF_ARGS = PERF ? ['--perf-basic-prof'] : [];
/** BUNDLE=1: one more side, `bundle`, this checkout's gateway from its esbuild bundle (what the single executable runs) instead of tsx. */
const BUNDLE = process.env.BUNDLE === '1';
const BUNDLE_FILE = fileURLToPath(new URL('../dist/trio2o.cjs', import.meta.url));
/** Extra sides: this checkout's gateway under other node flags. */
const VARIANTS = new Map(
  (process.env.VARIANTS ?? '')
    .split(';')
    .filter(Boolean)
    .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1).split(' ').filter(Boolean)] as const),
);
/** Extra floor sides: the bare proxy with some of the gateway's choices (bench/floor-proxy.mjs FLOOR_VARIANT). */
const FLOORS = new Map(
  (process.env.FLOORS ?? '')
    .split(';')
    .filter(Boolean)
    .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] as const),
);
const PRELOAD = process.env.PRELOAD ?? fileURLToPath(new URL('anatomy-preload.mjs', import.meta.url));

/** `node` (the floor), a floor variant's name, `trio2o`, `baseline`, `bundle` or a variant's name, with `-ks` in keystone mode. */
type Side = string;
/** The gateways measured in each mode. */
const GATEWAYS = ['trio2o', ...(BASELINE ? ['baseline'] : []), ...(BUNDLE ? ['bundle'] : []), ...VARIANTS.keys()];
const sideOf = (gateway: string, mode: Mode): Side => (mode === 'keystone' ? `${gateway}-ks` : gateway);
const SIDES: Side[] = ['node', ...FLOORS.keys(), ...MODES.flatMap((mode) => GATEWAYS.map((g) => sideOf(g, mode)))];

interface Counts {
  ms: number;
  /** Answers the server finished in the window. */
  requests: number;
  cpuUs: number;
  allocatedBytes: number;
  gcs: Record<string, { count: number; pauseUs: number }>;
  connects: number;
  closes: { all: number; byPeer: number; idleMs: number[] };
  async: Record<string, number>;
  semiSpaceMiB: number;
}

interface Server {
  child: ChildProcess;
  base: string;
  path: string;
  /** The identity headers of the measured requests. */
  headers: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs wrk for `seconds` + 2 and counts the middle `seconds` only (a signal 1 s in, another
 * `seconds` later): no connection set-up at wrk's start, no hang-ups at its end.
 */
async function window(dir: string, s: Server, op: Op, connections: number, seconds: number, perfData?: string): Promise<Counts> {
  const file = join(dir, `${s.child.pid}.json`);
  rmSync(file, { force: true });
  const run = wrk(dir, request(op, s.base, s.path, s.headers), connections, seconds + 2);
  await sleep(1000);
  s.child.kill('SIGUSR2');
  const perf = perfData ? spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(s.child.pid), '-o', perfData, '--', 'sleep', String(seconds)], { stdio: 'ignore' }) : undefined;
  await sleep(seconds * 1000);
  s.child.kill('SIGUSR2');
  await run;
  if (perf && perf.exitCode === null) await new Promise((r) => perf.once('exit', r));
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(20);
  return JSON.parse(readFileSync(file, 'utf8')) as Counts;
}

/** The pod's floor proxy and the gateway(s), each with the preload; `async` turns on async_hooks counting. */
async function servers(dir: string, pod: { endpoints: Record<string, string>; port: number }, async: boolean, ks: BenchKeystone | undefined): Promise<Record<Side, Server>> {
  const env = { ANATOMY_DIR: dir, ANATOMY_ASYNC: async ? '1' : '0', ANATOMY_PROFILE: PROFILE && !async ? '1' : '0', ANATOMY_HEAP: HEAP && !async ? '1' : '0', TRIO2O_JOBS_ENABLED: 'false' };
  const noauth: Identity = { user: NOAUTH_USER, admin: { ...NOAUTH_USER, 'x-roles': 'admin' }, project: PROJECT };
  const nodePort = await freePort();
  const floor = await start(process.execPath, [...PERF_ARGS, '--import', PRELOAD, fileURLToPath(new URL('floor-proxy.mjs', import.meta.url)), String(nodePort), `http://127.0.0.1:${pod.port}`, '/compute'], env, /"listening"/);
  const out = { node: { child: floor.child, base: `http://127.0.0.1:${nodePort}`, path: '', headers: {} } } as Record<Side, Server>;
  for (const [name, letters] of FLOORS) {
    const port = await freePort();
    const gatewayDir = join(dir, `floor-${name}-${async}`);
    mkdirSync(gatewayDir, { recursive: true });
    const f = await start(process.execPath, [...PERF_ARGS, '--import', PRELOAD, fileURLToPath(new URL('floor-proxy.mjs', import.meta.url)), String(port), `http://127.0.0.1:${pod.port}`, '/compute'], { ...env, FLOOR_VARIANT: letters, FLOOR_GATEWAY_DIR: gatewayDir }, /"listening"/);
    out[name] = { child: f.child, base: `http://127.0.0.1:${port}`, path: '', headers: {} };
  }
  for (const mode of MODES) {
    const who = mode === 'keystone' ? ks!.who : noauth;
    for (const gateway of GATEWAYS) {
      const side = sideOf(gateway, mode);
      const args = [...PERF_ARGS, '--import', PRELOAD, ...(VARIANTS.get(gateway) ?? [])];
      const gw = await startGatewayProcess(join(dir, `${side}-${async}`), mode === 'keystone' ? { ...env, ...ks!.env } : env, args, {
        noauth: mode === 'noauth',
        root: gateway === 'baseline' ? BASELINE : undefined,
        bundle: gateway === 'bundle' ? BUNDLE_FILE : undefined,
      });
      const id = await seed(gw, pod.endpoints, who);
      out[side] = { child: gw.child, base: gw.compute, path: `/v2.1/${who.project}/servers/${id}`, headers: who.user };
    }
  }
  // The floors forward any path to the pod: the first gateway's server, with its headers.
  const first = out[sideOf(GATEWAYS[0]!, MODES[0]!)]!;
  for (const side of ['node', ...FLOORS.keys()]) {
    out[side]!.path = first.path;
    out[side]!.headers = first.headers;
  }
  return out;
}

const perReq = (n: number, c: { requests: number }) => n / Math.max(1, c.requests);
const gcCount = (c: Counts, kind: string) => c.gcs[kind]?.count ?? 0;
const pauseUs = (c: Counts) => Object.values(c.gcs).reduce((a, g) => a + g.pauseUs, 0);

async function main(): Promise<void> {
  ensureTools();
  if (BUNDLE) execFileSync(process.execPath, [fileURLToPath(new URL('../build/build.mjs', import.meta.url)), '--bundle'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-bench-anatomy-'));
  for (const d of [PROFILE, PERF, HEAP]) if (d) mkdirSync(d, { recursive: true });
  const podPort = await freePort();
  const sim = await startPodProcess('Pod1', 'nova', podPort);
  const pod = { endpoints: sim.endpoints, port: podPort };
  console.log(`request anatomy: load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} window(s) per side${[...VARIANTS].map(([k, v]) => `, ${k} = trio2o with ${v.join(' ')}`).join('')}${[...FLOORS].map(([k, v]) => `, ${k} = node with FLOOR_VARIANT=${v}`).join('')}`);
  console.log('\n| op | side | window | requests | CPU µs/req | KiB allocated/req | scavenges per 1k req | mark-compacts | GC pause µs/req | GC pause % of CPU | pod sockets opened | closed (by the pod) | new space MiB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  const children: ChildProcess[] = [];
  const ks = MODES.includes('keystone') ? await startBenchKeystone(dir) : undefined;
  try {
    const s = await servers(dir, pod, false, ks);
    children.push(...Object.values(s).map((x) => x.child));
    for (const op of OPS) {
      for (const side of SIDES) await wrk(dir, request(op, s[side].base, s[side].path, s[side].headers), CONNECTIONS, 2); // warm-up (and the token cache)
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 ? [...SIDES].reverse() : SIDES;
        for (const side of order) {
          const c = await window(dir, s[side], op, CONNECTIONS, SECONDS, PERF && join(PERF, `${op}-${side}-${round + 1}.data`));
          if (HEAP) copyFileSync(join(dir, `${s[side].child.pid}.heapprofile`), join(HEAP, `${op}-${side}-${round + 1}.heapprofile`));
          if (PROFILE) copyFileSync(join(dir, `${s[side].child.pid}.cpuprofile`), join(PROFILE, `${op}-${side}-${round + 1}.cpuprofile`));
          const scav = gcCount(c, 'Scavenge') + gcCount(c, 'MinorMarkSweep');
          const major = gcCount(c, 'MarkSweepCompact');
          console.log(
            `| ${op} | ${side} | ${round + 1} | ${c.requests} | ${perReq(c.cpuUs, c).toFixed(0)} | ${(perReq(c.allocatedBytes, c) / 1024).toFixed(1)} | ${((1000 * scav) / c.requests).toFixed(2)} | ${major} | ${perReq(pauseUs(c), c).toFixed(1)} | ${((100 * pauseUs(c)) / c.cpuUs).toFixed(1)}% | ${c.connects} | ${c.closes.all} (${c.closes.byPeer}) | ${c.semiSpaceMiB.toFixed(1)} |`,
          );
          if (process.env.VERBOSE) console.log(`  idle ms of closed sockets: ${c.closes.idleMs.join(' ')}`);
        }
      }
    }
    for (const c of children) c.kill('SIGTERM');
    children.length = 0;
    if (!ASYNC) return;
    // Async resources per request: hooks make every promise slower, so this pass is not timed.
    const a = await servers(dir, pod, true, ks);
    children.push(...Object.values(a).map((x) => x.child));
    console.log('\nasync resources created per request (async_hooks init, wrk -c10, 2 s counted):\n');
    for (const op of OPS) {
      const rows: [Side, Counts][] = [];
      for (const side of SIDES) {
        rows.push([side, await window(dir, a[side], op, 10, 2)]);
      }
      const types = [...new Set(rows.flatMap(([, c]) => Object.keys(c.async)))].sort();
      console.log(`| ${op} | ${types.join(' | ')} | total |`);
      console.log(`|---|${types.map(() => '---|').join('')}---|`);
      for (const [side, c] of rows) {
        const total = Object.values(c.async).reduce((x, y) => x + y, 0);
        console.log(`| ${side} | ${types.map((t) => perReq(c.async[t] ?? 0, c).toFixed(2)).join(' | ')} | ${perReq(total, c).toFixed(2)} |`);
      }
      console.log('');
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    await ks?.stop();
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
