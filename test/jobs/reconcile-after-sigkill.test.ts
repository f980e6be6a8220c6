// Issue 14/17 item 9: a gateway SIGKILLed right after its pods accepted creates (their answers
// never reached it) left pending routings and servers/volumes no list showed and no quota counted,
// forever. After a restart, reconciliation resolves every pending routing against its pod:
// 0 pending rows, 0 orphans (every resource the pods made is routed), 0 ghosts (every routing
// points at a resource that exists).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { startSimPod, CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startServe, until, type ServeProcess } from '../ops/process';
import { startCountingProxy } from '../support/counting-proxy';
import { ADMIN, call, identity } from '../support/http';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TENANT = identity('proj-crash');

function serve(dir: string): Promise<ServeProcess> {
  return startServe({
    dir,
    args: ['--noauth', '--config', join(dir, 'trio2o.conf')],
    env: {
      TRIO2O_DEFAULT_POLICY_FILE: join(dir, 'none.yaml'),
      TRIO2O_ADMIN_API_PORT: '0',
      TRIO2O_COMPUTE_API_PORT: '0',
      TRIO2O_VOLUME_API_PORT: '0',
      TRIO2O_DATABASE_URL: `file:${join(dir, 'trio2o.db')}`,
      TRIO2O_JOBS_PENDING_TIMEOUT: '1',
      TRIO2O_JOBS_POLL_INTERVAL: '0.1',
    },
  });
}

test('SIGKILL during a burst of creates: after a restart reconciliation leaves 0 pending, 0 orphans, 0 ghosts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-crash-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'trio2o.conf'), '# from TRIO2O_* env\n');
  const pod = await startSimPod({ name: 'Pod1', az: 'nova', transitionMs: 5 });
  t.after(() => pod.close());
  const proxy = await startCountingProxy(pod.url);
  t.after(() => proxy.close());
  const endpoints = { compute: proxy.endpoint(pod.endpoints.compute), volumev3: proxy.endpoint(pod.endpoints.volumev3), image: proxy.endpoint(pod.endpoints.image) };

  let gw = await serve(dir);
  t.after(() => void gw.child.kill('SIGKILL'));
  const reg = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'Pod1', az_name: 'az1', pod_az_name: 'nova', endpoints } } });
  assert.equal(reg.status, 200, reg.text);

  // Creates the pod acts on but whose answers are lost: 12 servers (6 under one name, a
  // multi-create of 3) and 4 volumes. Two more creates never reach the pod at all.
  proxy.hold = (method, path) => method === 'POST' && /\/(servers|volumes)$/.test(path);
  const creates: Promise<unknown>[] = [];
  const send = (url: string, body: unknown) => creates.push(call(url, { method: 'POST', headers: TENANT, body }).catch((err: Error) => err));
  for (let i = 0; i < 6; i++) send(`${gw.urls.compute}/v2.1/servers`, { server: { name: 'same', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } });
  for (let i = 0; i < 5; i++) send(`${gw.urls.compute}/v2.1/servers`, { server: { name: `vm-${i}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID } });
  send(`${gw.urls.compute}/v2.1/servers`, { server: { name: 'multi', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, min_count: 3 } });
  for (let i = 0; i < 4; i++) send(`${gw.urls.volume}/v3/proj-crash/volumes`, { volume: { size: 1, ...(i % 2 ? { name: `vol-${i}` } : {}) } });
  await until('the pod made every resource', () => pod.servers.size === 14 && pod.volumes.size === 4, 20_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${pod.servers.size} servers, ${pod.volumes.size} volumes; gateway said:\n${gw.out.slice(-20).join('\n')}`);
  });
  await until('every answer withheld', () => proxy.held === 16, 20_000);
  process.kill(gw.child.pid!, 'SIGKILL');
  await gw.exited;
  void creates; // their sockets died with the gateway
  const db = createClient({ url: `file:${join(dir, 'trio2o.db')}` });
  t.after(() => db.close());
  await db.execute('PRAGMA busy_timeout = 5000');
  // Two pending rows of creates that never reached the pod (as if the gateway died before sending).
  const podId = reg.body.pod.pod_id;
  for (const [type, name] of [['server', 'never-sent'], ['volume', 'never-sent-vol']]) {
    await db.execute({
      sql: "INSERT INTO routings (top_id, pod_id, project_id, resource_type, status, hint, created_at, updated_at) VALUES (?, ?, 'proj-crash', ?, 'pending', ?, ?, ?)",
      args: [`pending:${type}-x`, podId, type, JSON.stringify({ name }), new Date().toISOString().replace(/\.\d+Z$/, 'Z'), new Date().toISOString()],
    });
  }
  const pendingAfterCrash = Number((await db.execute("SELECT COUNT(*) AS n FROM routings WHERE status = 'pending'")).rows[0]!.n);
  assert.equal(pendingAfterCrash, 18, 'every create left its pending routing');

  proxy.hold = null;
  gw = await serve(dir);
  await until('reconciliation resolved every pending routing', async () => Number((await db.execute("SELECT COUNT(*) AS n FROM routings WHERE status = 'pending'")).rows[0]!.n) === 0, 60_000).catch(async (err: Error) => {
    const jobs = (await db.execute("SELECT type, status, attempts, last_error FROM jobs WHERE type = 'routing_reconcile'")).rows;
    throw new Error(`${err.message}: ${JSON.stringify(jobs)}\n${gw.out.filter((l) => l.includes('job_')).slice(-10).join('\n')}`);
  });

  const rows = (await db.execute("SELECT top_id, resource_type, status FROM routings WHERE project_id = 'proj-crash'")).rows;
  const routed = new Set(rows.map((r) => `${r.resource_type}:${r.top_id}`));
  const inPods = [...[...pod.servers.keys()].map((id) => `server:${id}`), ...[...pod.volumes.keys()].map((id) => `volume:${id}`)];
  assert.deepEqual(inPods.filter((k) => !routed.has(k)), [], '0 orphans');
  assert.deepEqual([...routed].filter((k) => !inPods.includes(k)), [], '0 ghosts');
  assert.equal(rows.length, 18, 'one routing per resource, no duplicate');
  assert.ok(rows.every((r) => r.status === 'active'));
  // Reachable and listed as the user sees them.
  const list = await call(`${gw.urls.compute}/v2.1/servers`, { headers: TENANT });
  assert.equal(list.body.servers.length, 14);
  // Every reconciliation job ended well; how many there were depends on whether one job's
  // adoption completed a sibling's row before that sibling's own job ran.
  const jobs = await call(`${gw.urls.admin}/v1.0/jobs?type=routing_reconcile`, { headers: ADMIN });
  assert.ok(jobs.body.jobs.length >= 1);
  assert.deepEqual(jobs.body.jobs.filter((j: { status: string }) => j.status !== 'success'), [], 'no reconciliation failed or is left waiting');
  process.kill(gw.child.pid!, 'SIGKILL');
  await gw.exited;
});
