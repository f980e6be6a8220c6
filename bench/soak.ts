/**
 * Load and soak: the gateway (from source, in its own process, with the heap cap its systemd unit
 * sets) in front of two simulated pods (each in its own process), driven by this process.
 *
 *   npm run test:soak      # env: CLIENTS=100 DURATION=60 SOAK_CLIENTS=20 SOAK_SECONDS=600
 *
 * 1. Load: CLIENTS concurrent clients for DURATION seconds, each in a project of its own, cycling
 *    through a server (create, poll until ACTIVE, list, action, delete, poll until gone) and a volume
 *    (create, poll until available, list, delete, poll until gone). Every answer must be the one
 *    the step expects: anything else (a 5xx, a quota refusal, a transport error) is an unexpected
 *    error. Prints errors, p50/p99 and the gateway's RSS.
 * 2. Soak: SOAK_CLIENTS clients doing the same for SOAK_SECONDS; the gateway's RSS is sampled every
 *    second and its growth reported from the end of the first minute to the end (target < 10%).
 * Loopback only; bounded in time (the durations) and in count (MAX_REQUESTS). Exits 1 when a phase
 * had an unexpected error or the soak's RSS grew by 10% or more.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { freePort, startGatewayProcess, startPodProcess, type GatewayProcess } from './processes';

const CLIENTS = Number(process.env.CLIENTS ?? 100);
const DURATION_S = Number(process.env.DURATION ?? 60);
const SOAK_CLIENTS = Number(process.env.SOAK_CLIENTS ?? 20);
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const MAX_REQUESTS = Number(process.env.MAX_REQUESTS ?? 5_000_000);
/** The heap cap of systemd/trio2o.service (NODE_OPTIONS there). */
const GATEWAY_NODE_ARGS = ['--max-old-space-size=192'];
const POLL_MS = 20;
const POLLS_MAX = 250;
const RSS_GROWTH_TARGET = 0.1;
const CIRROS = '6f4b2a5c-3f1e-4b8a-9c2d-7e0a1b2c3d4e';

interface Phase {
  name: string;
  requests: number;
  latencies: number[];
  unexpected: number;
  samples: string[];
  cycles: number;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

class Client {
  readonly #pools: { compute: Pool; volume: Pool };
  readonly #phase: Phase;
  readonly #project: string;
  readonly #headers: Record<string, string>;

  constructor(pools: { compute: Pool; volume: Pool }, phase: Phase, project: string) {
    this.#pools = pools;
    this.#phase = phase;
    this.#project = project;
    this.#headers = { 'x-auth-token': `tok-${project}`, 'x-project-id': project, 'x-user-id': `u-${project}`, 'x-roles': 'member', 'content-type': 'application/json' };
  }

  /** One request; an answer other than `expect` (or a transport error) counts as unexpected. */
  async #call(api: 'compute' | 'volume', method: string, path: string, expect: number[], body?: unknown): Promise<{ status: number; json: any }> {
    const p = this.#phase;
    p.requests++;
    const t0 = performance.now();
    try {
      const prefix = api === 'compute' ? `/v2.1/${this.#project}` : `/v3/${this.#project}`;
      const res = await this.#pools[api].request({ method: method as 'GET', path: prefix + path, headers: this.#headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.body.text();
      p.latencies.push(performance.now() - t0);
      if (!expect.includes(res.statusCode)) {
        p.unexpected++;
        if (p.samples.length < 10) p.samples.push(`${method} ${path} → ${res.statusCode} ${text.slice(0, 200)}`);
      }
      return { status: res.statusCode, json: text ? JSON.parse(text) : null };
    } catch (err) {
      p.unexpected++;
      if (p.samples.length < 10) p.samples.push(`${method} ${path} → ${String(err)}`);
      return { status: 0, json: null };
    }
  }

  /** Polls `path` until `done` says so, bounded by POLLS_MAX. */
  async #until(api: 'compute' | 'volume', path: string, expect: number[], done: (r: { status: number; json: any }) => boolean): Promise<void> {
    for (let i = 0; i < POLLS_MAX; i++) {
      const r = await this.#call(api, 'GET', path, expect);
      if (r.status === 0 || done(r)) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    this.#phase.unexpected++;
    if (this.#phase.samples.length < 10) this.#phase.samples.push(`GET ${path}: state not reached after ${POLLS_MAX} polls`);
  }

  async serverCycle(az: string): Promise<void> {
    const made = await this.#call('compute', 'POST', '/servers', [202], { server: { name: 'soak', flavorRef: '1', imageRef: CIRROS, availability_zone: az } });
    const id = made.json?.server?.id as string | undefined;
    if (!id) return;
    await this.#until('compute', `/servers/${id}`, [200], (r) => r.json?.server?.status === 'ACTIVE');
    await this.#call('compute', 'GET', '/servers/detail?limit=5', [200]);
    await this.#call('compute', 'POST', `/servers/${id}/action`, [200], { 'os-getConsoleOutput': { length: 1 } });
    await this.#call('compute', 'DELETE', `/servers/${id}`, [204]);
    await this.#until('compute', `/servers/${id}`, [200, 404], (r) => r.status === 404);
  }

  async volumeCycle(az: string): Promise<void> {
    const made = await this.#call('volume', 'POST', '/volumes', [202], { volume: { size: 1, availability_zone: az } });
    const id = made.json?.volume?.id as string | undefined;
    if (!id) return;
    await this.#until('volume', `/volumes/${id}`, [200], (r) => r.json?.volume?.status === 'available');
    await this.#call('volume', 'GET', '/volumes/detail?limit=5', [200]);
    await this.#call('volume', 'DELETE', `/volumes/${id}`, [202]);
    await this.#until('volume', `/volumes/${id}`, [200, 404], (r) => r.status === 404);
  }
}

async function run(gw: GatewayProcess, name: string, clients: number, seconds: number, onSecond: (elapsed: number) => void): Promise<Phase> {
  const phase: Phase = { name, requests: 0, latencies: [], unexpected: 0, samples: [], cycles: 0 };
  const pools = { compute: new Pool(gw.compute, { connections: clients }), volume: new Pool(gw.volume, { connections: clients }) };
  const started = Date.now();
  const end = started + seconds * 1000;
  const ticker = setInterval(() => onSecond((Date.now() - started) / 1000), 1000);
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const c = new Client(pools, phase, `${name}-${i}`);
      for (let n = 0; Date.now() < end && phase.requests < MAX_REQUESTS; n++) {
        const az = (i + n) % 2 === 0 ? 'az1' : 'az2';
        await (n % 2 === 0 ? c.serverCycle(az) : c.volumeCycle(az));
        phase.cycles++;
      }
    }),
  );
  clearInterval(ticker);
  await Promise.all([pools.compute.close(), pools.volume.close()]);
  phase.latencies.sort((a, b) => a - b);
  return phase;
}

function report(p: Phase, seconds: number): void {
  console.log(
    `${p.name}: ${p.requests} requests (${p.cycles} create…delete cycles) in ${seconds} s, ${(p.requests / seconds).toFixed(0)} req/s; ` +
      `unexpected errors ${p.unexpected}; latency p50 ${pct(p.latencies, 0.5).toFixed(1)} ms, p99 ${pct(p.latencies, 0.99).toFixed(1)} ms, max ${(p.latencies.at(-1) ?? 0).toFixed(1)} ms`,
  );
  for (const s of p.samples) console.log(`  ${s}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-soak-'));
  const pods = [await startPodProcess('Pod1', 'nova', await freePort()), await startPodProcess('Pod2', 'nova', await freePort())];
  const gw = await startGatewayProcess(dir, { TRIO2O_DEFAULT_LOG_LEVEL: 'info' }, GATEWAY_NODE_ARGS);
  let failed = false;
  try {
    const admin = { 'x-auth-token': 'soak', 'x-project-id': 'admin', 'x-user-id': 'admin', 'x-roles': 'admin', 'content-type': 'application/json' };
    const register = async (pod: unknown) => {
      const r = await fetch(`${gw.admin}/v1.0/pods`, { method: 'POST', headers: admin, body: JSON.stringify({ pod }) });
      if (r.status !== 200) throw new Error(`pod registration: ${r.status} ${await r.text()}`);
    };
    await register({ pod_name: 'RegionOne' });
    await register({ pod_name: 'Pod1', az_name: 'az1', pod_az_name: 'nova', endpoints: pods[0]!.endpoints });
    await register({ pod_name: 'Pod2', az_name: 'az2', pod_az_name: 'nova', endpoints: pods[1]!.endpoints });
    const pid = gw.child.pid!;
    console.log(`setup: ${cpus().length} cores, node ${process.version}, gateway node ${GATEWAY_NODE_ARGS.join(' ')} (from source), 2 simulated pods, each in its own process; loopback`);

    const idle = rssOf(pid);
    let peak = idle;
    const load = await run(gw, 'load', CLIENTS, DURATION_S, () => (peak = Math.max(peak, rssOf(pid))));
    report(load, DURATION_S);
    console.log(`  gateway RSS: idle ${MiB(idle)}, peak ${MiB(peak)}, after ${MiB(rssOf(pid))}`);
    failed ||= load.unexpected > 0;

    if (SOAK_SECONDS > 0) {
      const samples: number[] = [];
      let baseline = 0;
      const soak = await run(gw, 'soak', SOAK_CLIENTS, SOAK_SECONDS, (elapsed) => {
        const rss = rssOf(pid);
        samples.push(rss);
        if (baseline === 0 && elapsed >= Math.min(60, SOAK_SECONDS / 2)) baseline = rss;
      });
      report(soak, SOAK_SECONDS);
      const final = samples.at(-1) ?? rssOf(pid);
      const growth = baseline ? final / baseline - 1 : 0;
      const minutes = samples.filter((_, i) => i % 60 === 59).map((b) => (b / 2 ** 20).toFixed(1));
      console.log(`  gateway RSS: after the first minute ${MiB(baseline)}, at the end ${MiB(final)}, max ${MiB(Math.max(...samples))}; growth ${(growth * 100).toFixed(1)}% (target < ${RSS_GROWTH_TARGET * 100}%)`);
      console.log(`  RSS per minute (MiB): ${minutes.join(' ')}`);
      failed ||= soak.unexpected > 0 || growth >= RSS_GROWTH_TARGET;
    }
  } finally {
    gw.child.kill('SIGTERM');
    for (const p of pods) p.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
