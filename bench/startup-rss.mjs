// Start-up time and memory of the single executable (issue 8 targets), measured in one run:
//   start → first served request (median of ROUNDS), anchored on a bare `node` http server;
//   idle RSS after start; RSS after WARM (10k) and TOTAL (100k) forwarded requests, and their ratio.
// The pod is a tiny node:http upstream in its own process, registered through the admin API with
// an `endpoints` override; routings are written straight into the store. Load: undici Pool.
//   node bench/startup-rss.mjs            (builds dist/trio2o first if missing)
// Env: ROUNDS (10), CONNECTIONS (32), WARM (10000), TOTAL (100000), IDS (1000),
//      GATEWAY_NODE_OPTIONS (default: the NODE_OPTIONS of systemd/trio2o.service, so the bench
//      measures what the unit runs; '' for a plain start), TRIO2O_EXE (default dist/trio2o)
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { Pool } from 'undici';

const ROOT = new URL('..', import.meta.url).pathname;
const EXE = process.env.TRIO2O_EXE ?? join(ROOT, 'dist/trio2o');
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const WARM = Number(process.env.WARM ?? 10_000);
const TOTAL = Number(process.env.TOTAL ?? 100_000);
const IDS = Number(process.env.IDS ?? 1000);
const MiB = 2 ** 20;
const UNIT_NODE_OPTIONS = /^Environment=NODE_OPTIONS=(.*)$/m.exec(readFileSync(join(ROOT, 'systemd/trio2o.service'), 'utf8'))?.[1] ?? '';
const NODE_OPTIONS = process.env.GATEWAY_NODE_OPTIONS ?? UNIT_NODE_OPTIONS;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const heap = async (admin) => Number(/^nodejs_heap_used_bytes (\S+)$/m.exec(await (await fetch(`${admin}/metrics`)).text())[1]);
const rss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

async function waitUp(url, t0, child) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status === 200) return performance.now() - t0;
    } catch { /* not yet */ }
    await sleep(2);
  }
}

function stop(child) {
  return new Promise((resolve) => { if (child.exitCode !== null) return resolve(); child.once('exit', resolve); child.kill('SIGTERM'); });
}

async function startGateway(dir, ports) {
  const env = {
    PATH: '/usr/bin:/bin', HOME: dir, RUST_LOG: 'off', NODE_OPTIONS, TRIO2O_DEFAULT_AUTH_STRATEGY: 'noauth', TRIO2O_DEFAULT_LOG_LEVEL: 'warn',
    TRIO2O_NATIVE_DIR: join(dir, 'cache'), TRIO2O_ADMIN_API_PORT: String(ports[0]), TRIO2O_COMPUTE_API_PORT: String(ports[1]), TRIO2O_VOLUME_API_PORT: String(ports[2]),
  };
  const t0 = performance.now();
  const child = spawn(EXE, ['serve'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'ignore'] });
  const ms = await waitUp(`http://127.0.0.1:${ports[1]}/healthcheck`, t0, child);
  return { child, ms };
}

async function bareNode(port) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>s.end('OK')).listen(${port},'127.0.0.1')`], { stdio: 'ignore' });
  const ms = await waitUp(`http://127.0.0.1:${port}/`, t0, child);
  await stop(child);
  return ms;
}

async function load(pool, n, project) {
  let next = 0, errors = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const { statusCode, body } = await pool.request({ method: 'GET', path: `/v2.1/${project}/servers/srv-${i % IDS}`, headers: { 'x-project-id': project, 'x-user-id': 'bench', 'x-roles': 'member' } });
      await body.dump();
      if (statusCode !== 200) errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { rps: n / ((performance.now() - t0) / 1000), errors };
}

if (!existsSync(EXE)) execFileSync(process.execPath, [join(ROOT, 'build/build.mjs')], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'trio2o-startbench-'));
const ports = [await freePort(), await freePort(), await freePort()];
const size = readFileSync(EXE).length;
console.log(`setup: ${cpus().length}x ${cpus()[0].model}, node ${process.version}, dist/trio2o ${(size / MiB).toFixed(1)} MiB, rounds ${ROUNDS}, connections ${CONNECTIONS}, NODE_OPTIONS='${NODE_OPTIONS}'`);

try {
  // Start-up: the first run extracts the addon and creates the store; the rounds after are warm.
  const first = await startGateway(dir, ports);
  await stop(first.child);
  const starts = [], floors = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which side goes first so warm-up favours neither.
    if (i % 2) floors.push(await bareNode(ports[1]));
    const g = await startGateway(dir, ports);
    starts.push(g.ms);
    await stop(g.child);
    if (!(i % 2)) floors.push(await bareNode(ports[1]));
  }

  // Memory: idle, then after WARM and TOTAL forwarded requests.
  const upPort = await freePort();
  const upstream = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>{const id=q.url.split('/').pop();s.writeHead(200,{'content-type':'application/json'});s.end(JSON.stringify({server:{id,name:'vm-'+id,status:'ACTIVE'}}))}).listen(${upPort},'127.0.0.1')`], { stdio: 'ignore' });
  await waitUp(`http://127.0.0.1:${upPort}/x`, performance.now(), upstream);
  const g = await startGateway(dir, ports);
  await sleep(1000);
  const idle = rss(g.child.pid);
  const admin = `http://127.0.0.1:${ports[0]}`;
  const adminHeaders = { 'content-type': 'application/json', 'x-project-id': 'admin', 'x-user-id': 'admin', 'x-roles': 'admin' };
  const pod = await (await fetch(`${admin}/v1.0/pods`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ pod: { pod_name: `Bench${Date.now()}`, az_name: `az-${Date.now()}`, endpoints: { compute: `http://127.0.0.1:${upPort}/v2.1/$(tenant_id)s` } } }) })).json();
  const db = createClient({ url: `file:${join(dir, 'data/trio2o.db')}` });
  const now = new Date().toISOString();
  const project = `bench-${Date.now()}`;
  await db.batch(Array.from({ length: IDS }, (_, i) => ({ sql: `INSERT INTO routings (top_id, bottom_id, pod_id, project_id, resource_type, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'server', 'active', ?, ?)`, args: [`srv-${i}`, `srv-${i}`, pod.pod.pod_id, project, now, now] })), 'write');
  db.close();
  const pool = new Pool(`http://127.0.0.1:${ports[1]}`, { connections: CONNECTIONS });
  const warm = await load(pool, WARM, project);
  const rssWarm = rss(g.child.pid);
  const heapWarm = await heap(admin);
  const rest = await load(pool, TOTAL - WARM, project);
  const rssTotal = rss(g.child.pid);
  const heapTotal = await heap(admin);
  await pool.close();
  await stop(g.child);
  await stop(upstream);

  const ms = (x) => `${x.toFixed(0)} ms`;
  console.log(`start→first request: median ${ms(median(starts))} (target ≤ 300 ms); bare node http floor ${ms(median(floors))}; trio2o/floor ${(median(starts) / median(floors)).toFixed(2)}x (median of ${ROUNDS})`);
  console.log(`first start (addon extracted, store created): ${ms(first.ms)}`);
  console.log(`idle RSS: ${(idle / MiB).toFixed(1)} MiB (target ≤ 100 MiB)`);
  console.log(`RSS after ${WARM} forwarded: ${(rssWarm / MiB).toFixed(1)} MiB; after ${TOTAL}: ${(rssTotal / MiB).toFixed(1)} MiB; ratio ${(rssTotal / rssWarm).toFixed(2)}x (target ≤ 1.20x)`);
  console.log(`V8 heap used: ${(heapWarm / MiB).toFixed(1)} MiB after ${WARM}, ${(heapTotal / MiB).toFixed(1)} MiB after ${TOTAL}`);
  console.log(`forwarding: ${warm.rps.toFixed(0)} req/s (first ${WARM}), ${rest.rps.toFixed(0)} req/s (rest); non-200: ${warm.errors + rest.errors}`);
  console.log(`raw start rounds (ms): ${starts.map((x) => x.toFixed(0)).join(' ')}`);
  console.log(`raw floor rounds (ms): ${floors.map((x) => x.toFixed(0)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
