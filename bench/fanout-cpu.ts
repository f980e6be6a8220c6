/**
 * The gateway's own CPU per fan-out list, with nothing else in its process: the pods run in two
 * child processes (`bench/fanout.ts --host`), the client in a third, and this process holds the
 * gateway alone (jobs off), so its user + system time over LISTS sequential lists, divided by
 * LISTS, is the gateway's work per list. `bench/fanout.ts` measures the same thing less directly
 * (client + gateway in one process, minus the client alone).
 *
 *   N=16 LISTS=200 node --import tsx bench/fanout-cpu.ts
 *   ROOT=/tmp/base N=16 node --import tsx bench/fanout-cpu.ts            # another checkout's gateway
 *   PROFILE=/tmp/f16.cpuprofile N=16 node --import tsx bench/fanout-cpu.ts
 *   node --import tsx bench/profile-top.ts /tmp/f16.cpuprofile 40
 *
 * Env: N (pods, 16), LISTS (200), QUERY (`/servers/detail?limit=50`; the skewed page is
 * `…&name=%5Evm-p1-`), ROOT (the checkout whose `test/support/gateway.ts` is loaded; this one
 * by default), PROFILE (a V8 CPU profile of the measured lists, written there). Pods as in
 * bench/fanout.ts (bench/fanout-setup.ts): 100 servers each, +20 ms per answer.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gatewayWith, HEADERS, PROJECT, startPodHosts, type StartGateway } from './fanout-setup';

/** Processes hosting the pods, as bench/fanout.ts. */
const POD_PROCS = 2;
const N = Number(process.env.N ?? 16);
const LISTS = Number(process.env.LISTS ?? 200);
const QUERY = process.env.QUERY ?? '/servers/detail?limit=50';
const ROOT = process.env.ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const PROFILE = process.env.PROFILE;
/** Lists before the measured ones: pools, caches, JIT. */
const WARM_LISTS = 30;
/** V8 profiler sampling interval, µs. */
const SAMPLE_US = 100;

/** Child: LISTS lists, one after another; sends back each one's ms. */
async function client(url: string, lists: number): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < lists; i++) {
    const t0 = performance.now();
    const r = await fetch(url, { headers: HEADERS });
    const body = (await r.json()) as { servers?: unknown[] };
    if (r.status !== 200 || body.servers?.length !== 50) throw new Error(`${url}: ${r.status} ${body.servers?.length}`);
    times.push(performance.now() - t0);
  }
  process.send!(times);
}

function runClient(url: string, lists: number): Promise<number[]> {
  const child = fork(fileURLToPath(import.meta.url), ['--client', url, String(lists)], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => (resolve(m as number[]), child.kill()));
    child.once('exit', (code) => reject(new Error(`client exited ${code}`)));
  });
}

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

async function main(): Promise<void> {
  const { startTestGateway: start } = (await import(`${ROOT}/test/support/gateway.ts`)) as { startTestGateway: StartGateway };
  const { pods, children } = await startPodHosts(N, POD_PROCS);
  const gw = await gatewayWith(start, pods, N, { jobs: { enabled: false } });
  try {
    const url = `${gw.urls.compute}/v2.1/${PROJECT}${QUERY}`;
    await runClient(url, WARM_LISTS);
    const session = PROFILE ? new Session() : undefined;
    if (session) {
      session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.setSamplingInterval', { interval: SAMPLE_US });
      await post(session, 'Profiler.start');
    }
    const load = loadavg()[0]!;
    const c0 = process.cpuUsage();
    const times = await runClient(url, LISTS);
    const cpu = process.cpuUsage(c0);
    if (session) writeFileSync(PROFILE!, JSON.stringify(((await post(session, 'Profiler.stop')) as { profile: unknown }).profile));
    const sorted = [...times].sort((a, b) => a - b);
    const perList = (us: number) => (us / 1000 / LISTS).toFixed(2);
    console.log(
      `${ROOT} N=${N} ${QUERY} lists=${LISTS}: gateway CPU ${perList(cpu.user + cpu.system)} ms/list (user ${perList(cpu.user)}, system ${perList(cpu.system)}), ` +
        `client median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, load average ${load.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}${PROFILE ? ` (profiled: ${PROFILE})` : ''}`,
    );
  } finally {
    await gw.close();
    for (const c of children) c.kill();
  }
}

if (process.argv[2] === '--client') void client(process.argv[3]!, Number(process.argv[4]));
else main().catch((err) => {
  console.error(err);
  process.exit(1);
});
