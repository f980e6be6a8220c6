// `trio2o serve --workers 2`: the primary migrates the store and forks two listener workers that
// share the three ports; connections reach both; only worker 1 runs the job runner (every job
// attempt is leased by its process); a worker killed from outside is forked again in its slot, one
// that cannot start is forked again after a growing pause; SIGTERM stops the primary and both
// workers cleanly. The configurations workers cannot share are refused at start, and the single
// executable forks its workers as the source does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import { ADMIN } from '../support/http';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { ROOT, startServe, until, type ServeProcess } from './process';
import { ensureBuilt } from './binary';
import { alive } from '../support/pids';

const dirs: string[] = [];
const runs: ServeProcess[] = [];
after(() => {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function setup(extra = ''): { dir: string; conf: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-workers-'));
  dirs.push(dir);
  const conf = join(dir, 'trio2o.conf');
  const db = `file:${join(dir, 'trio2o.db')}`;
  writeFileSync(
    conf,
    [
      '[DEFAULT]',
      'auth_strategy = noauth',
      'graceful_shutdown_timeout = 5',
      extra,
      '[admin_api]\nport = 0\n[compute_api]\nport = 0\n[volume_api]\nport = 0',
      `[database]\nurl = ${db}`,
      '[jobs]\npoll_interval = 0.2',
    ].join('\n'),
  );
  return { dir, conf, db };
}

/** One GET on a connection of its own (no keep-alive), so the primary hands each to a worker in turn. */
function getOnNewConnection(url: string, requestId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { ...ADMIN, 'x-openstack-request-id': requestId } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

type Line = Record<string, unknown>;
const lines = (run: { out: string[] }, from = 0): Line[] =>
  run.out.slice(from).flatMap((l) => {
    try {
      return [JSON.parse(l) as Line];
    } catch {
      return [];
    }
  });

/** Waits for both workers' `listening` lines, checks they share the ports, and that requests on new connections reach both. */
async function bothWorkersAnswer(run: ServeProcess): Promise<Map<number, Line>> {
  await until('both workers listening', () => lines(run).filter((l) => l.event === 'listening').length === 2, 30_000);
  const bySlot = new Map(lines(run).filter((l) => l.event === 'listening').map((l) => [Number(l.worker), l]));
  assert.deepEqual([...bySlot.keys()].sort(), [1, 2]);
  assert.equal(bySlot.get(1)!.compute, bySlot.get(2)!.compute, 'one compute port for both');
  assert.equal(bySlot.get(1)!.admin, bySlot.get(2)!.admin, 'one admin port for both');
  // Each request on a new connection, told apart by its request id.
  const ids = Array.from({ length: 8 }, () => `req-${randomUUID()}`);
  for (const id of ids) assert.equal(await getOnNewConnection(`${bySlot.get(1)!.admin}/v1.0/pods`, id), 200);
  await until('access-log lines', () => ids.every((id) => lines(run).some((l) => l.event === 'request' && l.request_id === id)));
  const answeredBy = new Set(lines(run).filter((l) => l.event === 'request' && ids.includes(String(l.request_id))).map((l) => l.worker));
  assert.deepEqual([...answeredBy].sort(), [1, 2], 'requests were answered by both workers');
  return bySlot;
}

test('two workers share the ports and both answer; one runs the jobs; a killed worker comes back; SIGTERM stops all', async () => {
  const { dir, conf, db } = setup();
  const run = await startServe({ dir, args: ['--config', conf, '--workers', '2'] });
  runs.push(run);
  const bySlot = await bothWorkersAnswer(run);
  assert.deepEqual([bySlot.get(1)!.jobs, bySlot.get(2)!.jobs], [true, false], 'the job runner runs in worker 1 only');
  const primary = Number(lines(run).find((l) => l.event === 'workers_started')!.primary_pid);
  assert.equal(primary, run.child.pid);
  await until('READY=1 from the primary', () => run.notified().some((n) => n.includes('READY=1')), 10_000);


  // Jobs put in the store (from this third process) are run, every attempt by worker 1's process.
  const store = await openStore({ url: db, migrate: false });
  try {
    const jobs = await Promise.all(Array.from({ length: 6 }, (_, i) => store.jobs.enqueue('routings_prune', null, { pod_id: `gone-${i}` })));
    await until('every job done', async () => (await Promise.all(jobs.map((j) => store.jobs.get(j.id)))).every((j) => j?.status === 'success'), 20_000);
    const owners = (await Promise.all(jobs.map((j) => store.jobs.history(j.id)))).flat().map((a) => a.owner);
    assert.equal(owners.length, 6, 'one attempt each');
    for (const owner of owners) assert.match(owner, new RegExp(`/${bySlot.get(1)!.pid}/`), 'leased by worker 1');
    assert.ok(!lines(run).some((l) => l.event === 'job_attempt' && l.worker !== 1), 'no other process attempted a job');
  } finally {
    await store.close();
  }

  // A worker killed from outside is forked again in its slot, and serves.
  const from = run.out.length;
  const oldPid = Number(bySlot.get(2)!.pid);
  process.kill(oldPid, 'SIGKILL');
  const exited = await run.waitFor('worker_exited', from);
  assert.equal(exited.worker, 2);
  await until('worker 2 listening again', () => lines(run, from).some((l) => l.event === 'listening' && l.worker === 2), 30_000);
  const again = lines(run, from).find((l) => l.event === 'listening' && l.worker === 2)!;
  assert.notEqual(Number(again.pid), oldPid);
  assert.equal(again.jobs, false, 'the restarted worker 2 still runs no jobs');
  assert.equal(await getOnNewConnection(`${bySlot.get(1)!.compute}/`, `req-${randomUUID()}`), 200);

  // SIGTERM to the primary: both workers drain and stop, then the primary exits 0.
  const workerPids = [Number(bySlot.get(1)!.pid), Number(again.pid)];
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
  const stopped = lines(run).filter((l) => l.event === 'stopped').map((l) => l.worker ?? 'primary');
  assert.deepEqual(stopped.map(String).sort(), ['1', '2', 'primary']);
  for (const pid of workerPids) assert.equal(alive(pid), false, `worker ${pid} is gone`);
});

test('workers above 1 are refused for an embedded replica and for an in-memory store, with the reason', () => {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  for (const [db, why] of [
    ['url = file:./r.db\nsync_url = http://127.0.0.1:1', 'sync_url'],
    ['url = file::memory:', 'in memory'],
  ] as const) {
    const { dir, conf } = setup();
    writeFileSync(conf, `[DEFAULT]\nauth_strategy = noauth\nworkers = 2\n[database]\n${db}\n`);
    const r = spawnSync(process.execPath, ['--import', tsx, join(ROOT, 'src/main.ts'), 'config', 'check', '--config', conf], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /\[DEFAULT\] workers/);
    assert.match(r.stderr, new RegExp(why));
  }
});

test('a worker that cannot start exits with 1 and is forked again after a growing pause; SIGTERM still stops the primary', async () => {
  const { dir, conf } = setup();
  // The admin port is taken by another listener: every worker's start fails.
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
  const port = (holder.address() as { port: number }).port;
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/main.ts'), 'serve', '--config', conf, '--workers', '2'], {
    cwd: dir,
    env: { ...process.env, TRIO2O_ADMIN_API_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.resume();
  const exitedLines = () => lines({ out: stdout.split('\n') }).filter((l) => l.event === 'worker_exited' && l.worker === 1);
  try {
    await until('worker 1 exited twice', () => exitedLines().length >= 2, 60_000);
    const [first, second] = exitedLines();
    assert.equal(first!.code, 1, 'the failed start is exit code 1');
    assert.deepEqual([first!.restart_in_ms, second!.restart_in_ms], [500, 1000], 'the pause doubles while the worker dies young');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    holder.close();
  }
});

test('the single executable forks its workers too (a SEA repeats its own path in argv)', { timeout: 300_000 }, async () => {
  const binary = ensureBuilt();
  const { dir, conf } = setup();
  const run = await startServe({ dir, args: ['--config', conf, '--workers', '2'], command: [binary] });
  runs.push(run);
  const bySlot = await bothWorkersAnswer(run);
  assert.equal(bySlot.get(1)!.code_cache, 'accepted', 'the workers start from the built-in code cache');
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
});
