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
 * Env: N (pods, 16; at most 16), LISTS (200), QUERY (`/servers/detail?limit=50`; the skewed page
 * is `…&name=%5Evm-p1-`), ROOT (the checkout whose `test/support/gateway.ts` is loaded; this
 * one by default), PROFILE (a V8 CPU profile of the measured lists, written there). Pods as in
 * bench/fanout.ts: 100 servers each, +20 ms per answer (DELAY_MS).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { startTestGateway } from '../test/support/gateway';
import { ADMIN, identity } from '../test/support/http';

const HOSTED_PODS = 16;
const N = Math.min(HOSTED_PODS, Number(process.env.N ?? 16));
const LISTS = Number(process.env.LISTS ?? 200);
const QUERY = process.env.QUERY ?? '/servers/detail?limit=50';
const ROOT = process.env.ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const PROFILE = process.env.PROFILE;
const PROJECT = 'bench-project';
const HEADERS = identity(PROJECT);
/** Lists before the measured ones: pools, caches, JIT. */
const WARM_LISTS = 30;
/** V8 profiler sampling interval, µs. */
const SAMPLE_US = 100;

interface PodInfo {
  name: string;
  endpoints: { compute: string; volumev3: string; image: string };
  az: string;
  ids: string[];
}

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

function hostPods(first: number, count: number): Promise<{ child: ChildProcess; pods: PodInfo[] }> {
  const child = fork(fileURLToPath(new URL('fanout.ts', import.meta.url)), ['--host', String(first), String(count)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MAX_PODS: String(HOSTED_PODS), RUST_LOG: 'off' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, pods: m as PodInfo[] }));
    child.once('exit', (code) => reject(new Error(`pod host exited ${code}`)));
  });
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
  const { startTestGateway: start } = (await import(`${ROOT}/test/support/gateway.ts`)) as { startTestGateway: typeof startTestGateway };
  const hosts = await Promise.all([hostPods(0, HOSTED_PODS / 2), hostPods(HOSTED_PODS / 2, HOSTED_PODS / 2)]);
  const pods = hosts.flatMap((h) => h.pods);
  const gw = await start({ pods: { listTimeoutMs: 10_000 }, jobs: { enabled: false } });
  try {
    const register = (body: unknown) =>
      fetch(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ pod: { pod_id: string } }>);
    await register({ pod: { pod_name: 'RegionOne' } });
    for (const [i, p] of pods.slice(0, N).entries()) {
      const { pod } = await register({ pod: { pod_name: p.name, az_name: `az${i + 1}`, pod_az_name: p.az, endpoints: p.endpoints } });
      for (const id of p.ids) {
        const pending = await gw.store.routings.createPending(PROJECT, pod.pod_id, 'server');
        await gw.store.routings.complete(pending.id, id, id);
      }
    }
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
    for (const h of hosts) h.child.kill();
  }
}

if (process.argv[2] === '--client') void client(process.argv[3]!, Number(process.argv[4]));
else main().catch((err) => {
  console.error(err);
  process.exit(1);
});
