/**
 * The hot path: one routed call forwarded to one simulated pod, three ways in the same run —
 * straight to the pod, through nginx (`proxy_pass` + upstream `keepalive`), through Trio2o — with
 * wrk as the load generator (its own process, not the system under test). Every piece runs in its
 * own process: the pod, nginx, the gateway, wrk.
 *
 *   node --import tsx bench/forward.ts
 *
 * Env: CONNECTIONS (50), SECONDS per run (3), ROUNDS (3), WARM (3: seconds of wrk per side before
 * the first op's rounds, 1 before the others'), MODES (noauth,keystone), OPS
 * (read,action,update), NGINX_WORKERS (1: one process like the gateway's one event loop),
 * CLUSTER (a number above 1: two more sides, nginx with that many worker processes and the gateway
 * as `serve --workers N`; 1 vs N compared in the same run),
 * PROFILE=dir (the gateway runs under --cpu-prof, profiles written there at exit), BASELINE=dir
 * (another checkout, e.g. `git worktree add /tmp/base main && cd /tmp/base && npm ci`: its gateway
 * is measured too, as `baseline`, so a change is compared before/after under the same load).
 *
 * Sides: direct (the pod itself), nginx, node (bench/floor-proxy.mjs: node:http + an undici pool and
 * nothing else, the least a Node proxy costs), trio2o, with BASELINE the other checkout's gateway, and
 * with CLUSTER `nginx-cluster` and `trio2o-cluster` (the CPU of a cluster is its primary's and its
 * workers', read from /proc like nginx's).
 *
 * Operations: read = GET /v2.1/{p}/servers/{id}; action = POST /servers/{id}/action
 * (`os-getConsoleOutput`, which changes nothing and so repeats forever); update = PUT
 * /servers/{id} (rename). Keystone mode starts a real Keystone (test/support/keystone.ts), runs
 * the gateway with auth_strategy = keystone and sends a user's token: after the first request
 * the token is in the gateway's validation cache, as in steady production traffic.
 *
 * Each round runs the three sides one after another, the order rotated every round so warm-up
 * and the machine's other load favour none. Printed: median requests/s, p50, p99 per side, the
 * ratios against nginx, and every round's values. "CPU µs/request" is the CPU time (user + system,
 * from /proc) the side's server spent per request: the pod's for direct, nginx's (workers
 * included) and the gateway's for the proxies. On a shared, loaded machine requests/s and
 * latency swing with the neighbours' load; CPU per request barely does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, start, startGatewayProcess, startPodProcess, type GatewayProcess } from './processes';
import { cpuMs, ensureTools, startNginx, wrk, type WrkRequest, type WrkResult } from './loadgen';
import { NOAUTH_USER, PROJECT, request, seed, startBenchKeystone, type Identity, type Op } from './forward-setup';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const MODES = (process.env.MODES ?? 'noauth,keystone').split(',') as ('noauth' | 'keystone')[];
const OPS = (process.env.OPS ?? 'read,action,update').split(',') as Op[];
const NGINX_WORKERS = Number(process.env.NGINX_WORKERS ?? 1);
const CLUSTER = Number(process.env.CLUSTER ?? 1);
const WARM = Number(process.env.WARM ?? 3);

/** A forwarded call through the gateway: at least this share of nginx's requests/s, at most this multiple of its p99. */
const TARGET_RPS = 0.5;
const TARGET_P99 = 2;

/** Another checkout (with node_modules) whose gateway runs as a fourth side: before/after in one run. */
const BASELINE = process.env.BASELINE;

type Side = 'direct' | 'nginx' | 'node' | 'trio2o' | 'baseline' | 'nginx-cluster' | 'trio2o-cluster';
const SIDES: Side[] = [
  'direct',
  'nginx',
  'node',
  'trio2o',
  ...(BASELINE ? (['baseline'] as const) : []),
  ...(CLUSTER > 1 ? (['nginx-cluster', 'trio2o-cluster'] as const) : []),
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface ModeSetup {
  gateways: { trio2o: GatewayProcess; baseline?: GatewayProcess; cluster?: GatewayProcess };
  who: Identity;
  stop: () => Promise<void>;
}

/** This checkout's gateway; with BASELINE, the other checkout's; with CLUSTER, this one's with workers. */
async function gateways(dir: string, mode: string, env: NodeJS.ProcessEnv, noauth: boolean): Promise<ModeSetup['gateways']> {
  const gws: ModeSetup['gateways'] = { trio2o: await startGatewayProcess(join(dir, mode), { TRIO2O_JOBS_ENABLED: 'false', ...env }, profileArgs(mode), { noauth }) };
  try {
    if (BASELINE) gws.baseline = await startGatewayProcess(join(dir, `${mode}-baseline`), { TRIO2O_JOBS_ENABLED: 'false', ...env }, [], { noauth, root: BASELINE });
    if (CLUSTER > 1) gws.cluster = await startGatewayProcess(join(dir, `${mode}-cluster`), { TRIO2O_JOBS_ENABLED: 'false', ...env }, [], { noauth, workers: CLUSTER });
    return gws;
  } catch (err) {
    killAll(gws);
    throw err;
  }
}

function killAll(g: ModeSetup['gateways']): void {
  g.trio2o.child.kill('SIGTERM');
  g.baseline?.child.kill('SIGTERM');
  g.cluster?.child.kill('SIGTERM');
}

async function noauthSetup(dir: string): Promise<ModeSetup> {
  const gws = await gateways(dir, 'noauth', {}, true);
  const user = NOAUTH_USER;
  return { gateways: gws, who: { user, admin: { ...user, 'x-roles': 'admin' }, project: PROJECT }, stop: async () => killAll(gws) };
}

async function keystoneSetup(dir: string): Promise<ModeSetup> {
  const ks = await startBenchKeystone(dir);
  try {
    const gws = await gateways(dir, 'keystone', ks.env, false);
    return {
      gateways: gws,
      who: ks.who,
      stop: async () => {
        killAll(gws);
        await ks.stop();
      },
    };
  } catch (err) {
    await ks.stop();
    throw err;
  }
}

function profileArgs(mode: string): string[] {
  return process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(process.env.PROFILE, mode)] : [];
}

/** A wrk run plus the CPU the proxy in front of the pod spent per request (µs; the pod's own for `direct`). */
type Run = WrkResult & { cpuUs: number };
type Row = Record<Side, Run[]>;

async function measure(dir: string, op: Op, urls: Record<Side, { base: string; path: string }>, who: Identity, pids: Record<Side, number>, warmSeconds: number): Promise<Row> {
  const reqs = Object.fromEntries(SIDES.map((s) => [s, request(op, urls[s].base, urls[s].path, who.user)])) as Record<Side, WrkRequest>;
  for (const s of SIDES) await wrk(dir, reqs[s], CONNECTIONS, warmSeconds); // warm-up: pools, JIT, token cache
  const row = Object.fromEntries(SIDES.map((s) => [s, []])) as unknown as Row;
  for (let round = 0; round < ROUNDS; round++) {
    const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]!);
    for (const s of order) {
      const before = cpuMs(pids[s]);
      const r = await wrk(dir, reqs[s], CONNECTIONS, SECONDS);
      row[s].push({ ...r, cpuUs: ((cpuMs(pids[s]) - before) * 1000) / Math.max(1, r.requests) });
    }
  }
  return row;
}

function report(mode: string, op: Op, row: Row): string[] {
  const m = (s: Side, k: 'rps' | 'p50' | 'p99' | 'cpuUs') => median(row[s].map((r) => r[k]));
  const lines = SIDES.map((s) => {
    const errors = row[s].reduce((a, r) => a + r.errors, 0);
    const rps = m(s, 'rps') / m('nginx', 'rps');
    const p99 = m(s, 'p99') / m('nginx', 'p99');
    // The targets of a forwarded call, marked for the gateway's own sides.
    const gateway = s === 'trio2o' || s === 'trio2o-cluster';
    const rpsMark = gateway && rps < TARGET_RPS ? ` (under ${TARGET_RPS}x)` : '';
    const p99Mark = gateway && p99 > TARGET_P99 ? ` (over ${TARGET_P99}x)` : '';
    return `| ${mode} | ${op} | ${s} | ${m(s, 'rps').toFixed(0)} | ${m(s, 'p50').toFixed(2)} | ${m(s, 'p99').toFixed(2)} | ${rps.toFixed(2)}x${rpsMark} | ${p99.toFixed(2)}x${p99Mark} | ${m(s, 'cpuUs').toFixed(0)} | ${errors} |`;
  });
  return lines;
}

function perRound(mode: string, op: Op, row: Row): string[] {
  return SIDES.map((s) => `${mode} ${op} ${s}: ${row[s].map((r) => `${r.rps.toFixed(0)} rps p99 ${r.p99.toFixed(2)} ms ${r.cpuUs.toFixed(0)} µs CPU`).join(' | ')}`);
}

async function main(): Promise<void> {
  ensureTools();
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-bench-fwd-'));
  const podPort = await freePort();
  const nginxPort = await freePort();
  const sim = await startPodProcess('Pod1', 'nova', podPort);
  const nginx = await startNginx(dir, nginxPort, `127.0.0.1:${podPort}`, NGINX_WORKERS);
  const nodePort = await freePort();
  const nginxClusterPort = await freePort();
  const nginxCluster = CLUSTER > 1 ? await startNginx(join(dir, 'cluster'), nginxClusterPort, `127.0.0.1:${podPort}`, CLUSTER) : undefined;
  const floor = await start(process.execPath, [fileURLToPath(new URL('floor-proxy.mjs', import.meta.url)), String(nodePort), `http://127.0.0.1:${podPort}`, '/compute'], {}, /"listening"/);
  console.log(`forwarded calls: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} free), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
  console.log(`wrk -t1 -c${CONNECTIONS} -d${SECONDS}s x ${ROUNDS} rounds per side (order rotated), nginx ${NGINX_WORKERS} worker(s), 1 simulated pod${CLUSTER > 1 ? `; nginx-cluster: ${CLUSTER} nginx workers, trio2o-cluster: serve --workers ${CLUSTER}` : ''}`);
  const table: string[] = [];
  const rounds: string[] = [];
  const loads: string[] = [];
  try {
    for (const mode of MODES) {
      // The modes run one after the other, minutes apart: on a shared machine the load between them moves every side's figures.
      const at = `${mode}: ${new Date().toISOString().slice(11, 19)} UTC, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;
      console.log(at);
      loads.push(at);
      const setup = mode === 'keystone' ? await keystoneSetup(dir) : await noauthSetup(dir);
      try {
        const { trio2o, baseline, cluster } = setup.gateways;
        const id = await seed(trio2o, sim.endpoints, setup.who);
        const podPath = `/compute/v2.1/${setup.who.project}/servers/${id}`;
        const gwPath = (i: string) => `/v2.1/${setup.who.project}/servers/${i}`;
        const urls = {
          direct: { base: `http://127.0.0.1:${podPort}`, path: podPath },
          nginx: { base: `http://127.0.0.1:${nginxPort}`, path: podPath },
          node: { base: `http://127.0.0.1:${nodePort}`, path: gwPath(id) },
          trio2o: { base: trio2o.compute, path: gwPath(id) },
          ...(baseline ? { baseline: { base: baseline.compute, path: gwPath(await seed(baseline, sim.endpoints, setup.who)) } } : {}),
          ...(cluster
            ? {
                'nginx-cluster': { base: `http://127.0.0.1:${nginxClusterPort}`, path: podPath },
                'trio2o-cluster': { base: cluster.compute, path: gwPath(await seed(cluster, sim.endpoints, setup.who)) },
              }
            : {}),
        } as Record<Side, { base: string; path: string }>;
        for (const op of OPS) {
          const pids = {
            direct: sim.child.pid!,
            nginx: nginx.pid!,
            node: floor.child.pid!,
            trio2o: trio2o.child.pid!,
            baseline: baseline?.child.pid ?? 0,
            'nginx-cluster': nginxCluster?.pid ?? 0,
            'trio2o-cluster': cluster?.child.pid ?? 0,
          };
          const row = await measure(dir, op, urls, setup.who, pids, op === OPS[0] ? WARM : 1);
          const lines = report(mode, op, row);
          for (const l of lines) console.log(l);
          table.push(...lines);
          rounds.push(...perRound(mode, op, row));
        }
      } finally {
        await setup.stop();
      }
    }
  } finally {
    nginx.kill('SIGTERM');
    nginxCluster?.kill('SIGTERM');
    floor.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${loads.join('\n')}\nat the end: ${new Date().toISOString().slice(11, 19)} UTC, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('\n| mode | op | side | requests/s | p50 ms | p99 ms | rps / nginx | p99 / nginx | CPU µs/request | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const l of table) console.log(l);
  console.log('\nper round (requests/s, p99):');
  for (const l of rounds) console.log(l);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
