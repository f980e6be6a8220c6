/**
 * The create path: `POST /v2.1/{p}/servers`, one at a time, straight to a simulated pod, through a
 * gateway on a standalone store (local libSQL file), and through a gateway whose store is a site
 * replica of a real sqld primary (its routing writes are delegated to the primary). The gateway's
 * added latency is its median minus the pod's.
 *
 *   node --import tsx bench/create.ts          # env: CREATES (60 per side per round), ROUNDS (3)
 *
 * Each create is in a project of its own, so no quota (the pod's or the gateway's) ever refuses
 * one and every create costs the same. Rounds rotate the order of the three sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrimary } from '../test/multisite/primary';
import { freePort, startGatewayProcess, startPodProcess, type GatewayProcess } from './processes';

const CREATES = Number(process.env.CREATES ?? 60);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const headers = (project: string, roles = 'member') => ({ 'x-auth-token': 'bench', 'x-project-id': project, 'x-user-id': 'bench-user', 'x-roles': roles, 'content-type': 'application/json' });

type Side = 'direct' | 'standalone' | 'replica';
let seq = 0;

async function createOne(url: (project: string) => string, image: string): Promise<number> {
  const project = `bench-create-${process.pid}-${seq++}`;
  const t = performance.now();
  const r = await fetch(url(project), { method: 'POST', headers: headers(project), body: JSON.stringify({ server: { name: 'c', flavorRef: '1', imageRef: image } }) });
  const text = await r.text();
  const ms = performance.now() - t;
  if (r.status !== 202) throw new Error(`create: ${r.status} ${text}`);
  return ms;
}

async function register(gw: GatewayProcess, endpoints: Record<string, string>): Promise<void> {
  for (const pod of [{ pod_name: 'RegionOne' }, { pod_name: 'Pod1', az_name: 'az1', endpoints }]) {
    const r = await fetch(`${gw.admin}/v1.0/pods`, { method: 'POST', headers: headers('admin', 'admin'), body: JSON.stringify({ pod }) });
    if (r.status >= 300) throw new Error(`register: ${r.status} ${await r.text()}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-bench-create-'));
  const primary = await startPrimary({ dir });
  const gws: GatewayProcess[] = [];
  const sim = await startPodProcess('Pod1', 'nova', await freePort());
  try {
    const common = { TRIO2O_JOBS_ENABLED: 'false' };
    const standalone = await startGatewayProcess(join(dir, 'standalone'), common);
    gws.push(standalone);
    const replica = await startGatewayProcess(join(dir, 'replica'), { ...common, TRIO2O_DATABASE_SYNC_URL: primary.url, TRIO2O_DATABASE_SYNC_INTERVAL: '1' });
    gws.push(replica);
    await register(standalone, sim.endpoints);
    await register(replica, sim.endpoints);
    const image = ((await (await fetch(`${sim.endpoints.image}/v2/images`, { headers: headers('x') })).json()) as any).images[0].id;
    const urls: Record<Side, (p: string) => string> = {
      direct: (p) => `${sim.endpoints.compute}/${p}/servers`,
      standalone: (p) => `${standalone.compute}/v2.1/${p}/servers`,
      replica: (p) => `${replica.compute}/v2.1/${p}/servers`,
    };
    const sides = Object.keys(urls) as Side[];
    for (const s of sides) for (let i = 0; i < 10; i++) await createOne(urls[s], image); // warm-up
    const lat: Record<Side, number[]> = { direct: [], standalone: [], replica: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < sides.length; i++) {
        const s = sides[(i + round) % sides.length]!;
        for (let k = 0; k < CREATES; k++) lat[s].push(await createOne(urls[s], image));
      }
    }
    console.log(`create path: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}; ${CREATES} × ${ROUNDS} sequential creates per side`);
    console.log('\n| side | p50 ms | p99 ms | added by the gateway at p50 |');
    console.log('|---|---|---|---|');
    const d50 = pct(lat.direct, 50);
    for (const s of sides) console.log(`| ${s === 'direct' ? 'pod direct' : `gateway, ${s} store`} | ${pct(lat[s], 50).toFixed(2)} | ${pct(lat[s], 99).toFixed(2)} | ${s === 'direct' ? '—' : `${(pct(lat[s], 50) - d50).toFixed(2)} ms`} |`);
  } finally {
    for (const g of gws) g.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    await primary.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
