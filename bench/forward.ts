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
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { freePort, startGatewayProcess, startPodProcess } from './processes';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const DURATION = Number(process.env.DURATION ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PROJECT = 'bench';
const H = { 'x-auth-token': 'bench', 'x-project-id': PROJECT, 'x-user-id': 'bench', 'x-roles': 'admin' };

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
  const sim = await startPodProcess('Pod1', 'nova', podPort);
  const endpoints = sim.endpoints;
  const gw = await startGatewayProcess(dir, {}, process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROFILE] : []);
  try {
    const A = gw.admin;
    const C = gw.compute;
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
