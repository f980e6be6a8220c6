/**
 * The hot path: `GET /v2.1/{p}/servers/{id}` through the gateway vs straight to the pod.
 * Pod (simulator) and gateway each run in their own process; this process is the load
 * generator (undici Pool, CONNECTIONS keep-alive sockets, DURATION ms per round, ROUNDS rounds,
 * sides alternated every round so warm-up favours neither).
 *
 *   node --import tsx bench/forward.ts          # env: CONNECTIONS=32 DURATION=3000 ROUNDS=3
 *
 * Prints "gateway/direct" ratios for requests per second and latency, then every round's values.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { Pool } from 'undici';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const DURATION = Number(process.env.DURATION ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PROJECT = 'bench';
const H = { 'x-auth-token': 'bench', 'x-project-id': PROJECT, 'x-user-id': 'bench', 'x-roles': 'admin' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${buf}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.split('\n').find((l) => ready.test(l));
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ child, line: m });
      }
    });
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${buf}`)));
  });
}

async function load(origin: string, path: string): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const pool = new Pool(origin, { connections: CONNECTIONS });
  const lat: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const r = await pool.request({ method: 'GET', path, headers: H });
        await r.body.text();
        if (r.statusCode !== 200) errors++;
        lat.push(performance.now() - t);
      }
    }),
  );
  await pool.close();
  lat.sort((a, b) => a - b);
  return { rps: lat.length / (DURATION / 1000), p50: lat[Math.floor(lat.length * 0.5)]!, p99: lat[Math.floor(lat.length * 0.99)]!, errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-bench-fwd-'));
  const podPort = await freePort();
  const simCli = fileURLToPath(import.meta.resolve('@trio2o/podsim/cli'));
  const sim = await start(process.execPath, ['--import', 'tsx', simCli, '--name', 'Pod1', '--az', 'nova', '--port', String(podPort), '--no-record'], {}, /"endpoints"/);
  const endpoints = JSON.parse(sim.line).endpoints as Record<string, string>;
  const [admin, compute, volume] = [await freePort(), await freePort(), await freePort()];
  const gw = await start(
    process.execPath,
    [...(process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROFILE] : []), '--import', 'tsx', 'src/main.ts', 'serve', '--noauth'],
    {
      TRIO2O_ADMIN_API_PORT: String(admin),
      TRIO2O_COMPUTE_API_PORT: String(compute),
      TRIO2O_VOLUME_API_PORT: String(volume),
      TRIO2O_DATABASE_URL: `file:${join(dir, 'bench.db')}`,
      TRIO2O_DEFAULT_LOG_LEVEL: 'info', // one access-log line per request, as in production
    },
    /"listening"/,
  );
  try {
    const A = `http://127.0.0.1:${admin}`;
    const C = `http://127.0.0.1:${compute}`;
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { ...H, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    await post(`${A}/v1.0/pods`, { pod: { pod_name: 'RegionOne' } });
    await post(`${A}/v1.0/pods`, { pod: { pod_name: 'Pod1', az_name: 'az1', endpoints } });
    const image = (await (await fetch(`${endpoints.image}/v2/images`, { headers: H })).json() as any).images[0].id;
    const created = await post(`${C}/v2.1/${PROJECT}/servers`, { server: { name: 'b', flavorRef: '1', imageRef: image } });
    const id = created.server.id as string;
    const direct = { origin: `http://127.0.0.1:${podPort}`, path: `/compute/v2.1/${PROJECT}/servers/${id}` };
    const viaGw = { origin: C, path: `/v2.1/${PROJECT}/servers/${id}` };
    await load(direct.origin, direct.path); // warm both
    await load(viaGw.origin, viaGw.path);
    const rounds: { direct: Awaited<ReturnType<typeof load>>; gateway: Awaited<ReturnType<typeof load>> }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const first = i % 2 === 0;
      const a = await load(first ? direct.origin : viaGw.origin, first ? direct.path : viaGw.path);
      const b = await load(first ? viaGw.origin : direct.origin, first ? viaGw.path : direct.path);
      rounds.push(first ? { direct: a, gateway: b } : { direct: b, gateway: a });
    }
    const m = (k: 'rps' | 'p50' | 'p99', side: 'direct' | 'gateway') => median(rounds.map((r) => r[side][k]));
    console.log(`setup: ${cpus().length} cores, node ${process.version}, ${CONNECTIONS} connections, ${DURATION} ms x ${ROUNDS} rounds, 1 simulated pod`);
    console.log(`trio2o/direct RPS ${(m('rps', 'gateway') / m('rps', 'direct')).toFixed(2)}x, p50 ${(m('p50', 'gateway') / m('p50', 'direct')).toFixed(2)}x, p99 ${(m('p99', 'gateway') / m('p99', 'direct')).toFixed(2)}x (median of ${ROUNDS} rounds)`);
    console.log(`gateway cost per request ≈ ${(m('p50', 'gateway') - m('p50', 'direct')).toFixed(2)} ms at p50 (${CONNECTIONS} concurrent)`);
    for (const [i, r] of rounds.entries()) {
      const f = (x: typeof r.direct) => `${x.rps.toFixed(0)} rps p50 ${x.p50.toFixed(2)} ms p99 ${x.p99.toFixed(2)} ms${x.errors ? ` errors ${x.errors}` : ''}`;
      console.log(`round ${i + 1}: direct ${f(r.direct)} | gateway ${f(r.gateway)}`);
    }
  } finally {
    gw.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
