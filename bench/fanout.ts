/**
 * Fan-out benchmark (issue 5): `GET /servers/detail?limit=50` through the gateway with N
 * simulated pods (each 100 servers, each answering 20 ms late), against ONE pod asked directly
 * — the original asked pods one after another and took N×; the target is ≤ 1.3× for N = 1..16.
 *
 *   node --import tsx bench/fanout.ts
 *
 * Two pages per N: `uniform` (every pod holds items of the page) and `skewed`
 * (`&name=^vm-p1-`: every item of the page comes from pod 1, the others answer empty), the case
 * where a pod asked for a fair share only must be asked again.
 *
 * Settings from env: MAX_PODS (16), NS (which N, e.g. "1,4,16"; default 1..MAX_PODS), ROUNDS (40 requests per side per N), DELAY_MS (20),
 * SERVERS (100 per pod), POD_PROCS (2 processes hosting the pods). The pods run in child
 * processes (the target is its own process, so it does not share the gateway's event loop); the gateway runs here on an
 * in-memory store with the pods registered through its admin API. Each round times one direct
 * call and one gateway call, alternating which goes first.
 *
 * "gateway CPU ms/list": the gateway runs in this process beside the client, so the CPU this
 * process spends on a gateway call (client + gateway) minus what it spends on a direct call
 * (client alone), medians: the gateway's own work per list, which waits for a core as many times
 * over as the machine is oversubscribed.
 *
 * BASELINE=dir adds the gateway of another checkout (its `test/support/gateway.ts`, with its own
 * node_modules or a link to these), in this process too, timed in the same rounds: direct, this
 * gateway and the baseline each round, the order rotating, so a before/after is one run.
 */
import { cpus, loadavg } from 'node:os';
import { startTestGateway } from '../test/support/gateway';
import { gatewayWith, HEADERS, PROJECT, startPodHosts, type PodInfo, type StartGateway } from './fanout-setup';

const MAX_PODS = Number(process.env.MAX_PODS ?? 16);
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const DELAY_MS = Number(process.env.DELAY_MS ?? 20);
const SERVERS = Number(process.env.SERVERS ?? 100);
const POD_PROCS = Number(process.env.POD_PROCS ?? 2);
const PAGES = { uniform: '/servers/detail?limit=50', skewed: '/servers/detail?limit=50&name=%5Evm-p1-' } as const;
type Page = keyof typeof PAGES;
const BASELINE = process.env.BASELINE;
const NS = process.env.NS ? process.env.NS.split(',').map(Number) : Array.from({ length: MAX_PODS }, (_, i) => i + 1);

/** CPU (user + system) this process spent in the last timeOne, ms: the client's, plus the gateway's for a gateway call. */
let lastCpuMs = 0;

async function timeOne(url: string): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fetch(url, { headers: HEADERS });
  const body = (await r.json()) as { servers?: unknown[] };
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  if (r.status !== 200 || body.servers?.length !== 50) throw new Error(`${url}: ${r.status} ${body.servers?.length}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** All N pods asked directly at once: what the pods alone cost on this machine (no gateway). */
async function timeAll(urls: string[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(urls.map((u) => fetch(u, { headers: HEADERS }).then((r) => r.arrayBuffer())));
  return performance.now() - t0;
}

/** Times and CPU (this process, ms) per call of one side. */
interface Side {
  ms: number[];
  cpu: number[];
}

interface Measured {
  /** One pod asked directly: the client alone. */
  direct: Side;
  /** This checkout's gateway: client + gateway. */
  gateway: Side;
  /** The BASELINE checkout's gateway, when given. */
  baseline?: Side;
  parallel: number[];
  missing: number;
}

async function measure(pods: PodInfo[], n: number, page: Page, startBaseline?: StartGateway): Promise<Measured> {
  const QUERY = PAGES[page];
  const gw = await gatewayWith(startTestGateway, pods, n);
  const base = startBaseline ? await gatewayWith(startBaseline, pods, n) : undefined;
  try {
    const sides: { url: string; side: Side }[] = [
      { url: `${pods[0]!.endpoints.compute}/${PROJECT}${QUERY}`, side: { ms: [], cpu: [] } },
      { url: `${gw.urls.compute}/v2.1/${PROJECT}${QUERY}`, side: { ms: [], cpu: [] } },
      ...(base ? [{ url: `${base.urls.compute}/v2.1/${PROJECT}${QUERY}`, side: { ms: [], cpu: [] } }] : []),
    ];
    for (let i = 0; i < 5; i++) await Promise.all(sides.map((s) => timeOne(s.url))); // warm pools, caches, JIT
    const all = pods.slice(0, n).map((p) => `${p.endpoints.compute}/${PROJECT}${QUERY}`);
    const a: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each side goes first in turn, so warm-up and the order favour none.
      for (let k = 0; k < sides.length; k++) {
        const { url, side } = sides[(round + k) % sides.length]!;
        side.ms.push(await timeOne(url));
        side.cpu.push(lastCpuMs);
      }
      a.push(await timeAll(all));
    }
    const snap = gw.gateway.parts.fanout.metrics.snapshot();
    return { direct: sides[0]!.side, gateway: sides[1]!.side, baseline: sides[2]?.side, parallel: a, missing: snap.partialLists.servers ?? 0 };
  } finally {
    await gw.close();
    await base?.close();
  }
}

async function main(): Promise<void> {
  console.log(`fan-out benchmark: GET /servers/detail?limit=50, ${SERVERS} servers per pod, pod latency +${DELAY_MS} ms`);
  console.log(`CPU ${cpus()[0]?.model ?? '?'} x${cpus().length}, Node ${process.version}, pods 1..${MAX_PODS} in ${POD_PROCS} processes, ${ROUNDS} rounds per N, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}${BASELINE ? `, baseline ${BASELINE}` : ''}`);
  const startBaseline = BASELINE ? ((await import(`${BASELINE}/test/support/gateway.ts`)) as { startTestGateway: StartGateway }).startTestGateway : undefined;
  const { pods, children } = await startPodHosts(MAX_PODS, POD_PROCS);
  const rows: string[] = [];
  const raw: string[] = [];
  try {
    for (const n of NS) {
      for (const page of Object.keys(PAGES) as Page[]) {
        const r = await measure(pods, n, page, startBaseline);
        const direct = median(r.direct.ms);
        const ratio = median(r.gateway.ms) / direct;
        const floor = median(r.parallel) / direct;
        const cpuOf = (side: Side) => median(side.cpu) - median(r.direct.cpu);
        const baseCols = r.baseline ? ` ${median(r.baseline.ms).toFixed(1).padStart(7)} | ${(median(r.baseline.ms) / direct).toFixed(2)}x | ${cpuOf(r.baseline).toFixed(1)} |` : '';
        rows.push(`| ${String(n).padStart(2)} | ${page} | ${direct.toFixed(1).padStart(6)} | ${median(r.gateway.ms).toFixed(1).padStart(7)} | ${ratio.toFixed(2)}x${ratio > 1.3 ? ' (over 1.3x)' : ''} | ${median(r.parallel).toFixed(1).padStart(6)} (${floor.toFixed(2)}x) | ${cpuOf(r.gateway).toFixed(1)} |${baseCols} ${r.missing} |`);
        const line = (name: string, xs: number[]) => `N=${n} ${page} ${name} ${xs.map((x) => x.toFixed(1)).join(' ')}`;
        raw.push(
          [
            line('direct', r.direct.ms),
            line('gateway', r.gateway.ms),
            ...(r.baseline ? [line('baseline', r.baseline.ms)] : []),
            line('all-pods-direct', r.parallel),
            line('gateway-cpu', r.gateway.cpu),
            ...(r.baseline ? [line('baseline-cpu', r.baseline.cpu)] : []),
            line('direct-cpu', r.direct.cpu),
          ].join('\n'),
        );
        console.log(rows.at(-1));
      }
    }
  } finally {
    for (const c of children) c.kill();
  }
  console.log(`\nload average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const baseHead = BASELINE ? ' baseline gateway, median ms | baseline/one pod | baseline CPU ms/list |' : '';
  console.log(`\n| N | page | one pod direct, median ms | gateway, median ms | gateway/one pod | N pods direct in parallel, median ms (/one pod) | gateway CPU ms/list |${baseHead} partial lists |`);
  console.log(`|---|---|---|---|---|---|---|${BASELINE ? '---|---|---|' : ''}---|`);
  for (const r of rows) console.log(r);
  console.log('\nraw per-round values (ms):');
  for (const r of raw) console.log(r);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
