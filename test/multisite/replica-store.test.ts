// Store-level replica behaviour against a real sqld: attach and sync, on-demand sync, outage
// (detach to the read-only fallback, writes refused as "unavailable"), automatic re-attach, and
// starting detached from an existing file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, isUnavailable, isUniqueViolation, type Store } from '../../src/store';
import { startPrimary } from './primary';

const SYNC_INTERVAL = 0.3;
const newPod = (name: string) => ({ pod_name: name, az_name: 'az1', pod_az_name: 'nova', dc_name: '', enabled: true, endpoints: null });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 5000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await cond()) return Date.now() - t0;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function writeError(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('the write should have failed');
}

test('two replicas: sync within 2 × interval, syncNow at once, outage, re-attach', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-rep-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const primary = await startPrimary({ dir });
  t.after(() => primary.stop());
  const open = (name: string) => openStore({ url: `file:${join(dir, `${name}.db`)}`, syncUrl: primary.url, syncInterval: SYNC_INTERVAL });
  const a: Store = await open('a');
  t.after(() => a.close());
  const b: Store = await open('b');
  t.after(() => b.close());
  assert.equal(a.mode, 'replica');
  const st = a.replication!.status();
  assert.equal(st.mode, 'replica');
  assert.equal(st.primary, primary.url);
  assert.equal(st.syncErrors, 0);
  assert.ok(st.lastSyncAt && st.lastSyncAgeSeconds !== null && st.lastSyncAgeSeconds < 5);
  assert.equal(typeof st.frameNo, 'number', 'the migrations wrote frames');

  // Background sync: a pod written through A shows up at B within 2 × sync_interval.
  await a.pods.create(newPod('P1'));
  const lag = await until('P1 at B', async () => (await b.pods.list()).some((p) => p.pod_name === 'P1'), 2 * SYNC_INTERVAL * 1000);
  assert.ok(lag <= 2 * SYNC_INTERVAL * 1000);

  // On demand: right after a write at A, one syncNow at B finds the row.
  const pending = await a.routings.createPending('t1', (await a.pods.list())[0]!.pod_id, 'server');
  await a.routings.complete(pending.id, 'srv-1');
  assert.equal(await b.replication!.syncNow(1000), true);
  assert.equal((await b.routings.lookup('srv-1', 'server'))?.top_id, 'srv-1');

  // A duplicate delegated to the primary is a conflict, not an outage.
  const dup = await writeError(b.pods.create(newPod('P1')));
  assert.equal(isUniqueViolation(dup), true, String(dup));
  assert.equal(isUnavailable(dup), false);

  // Outage: reads keep working; writes fail as "unavailable"; the replica detaches.
  await primary.kill();
  const errsBefore = b.replication!.status().syncErrors;
  assert.equal((await b.pods.list()).length, 1);
  assert.equal(isUnavailable(await writeError(b.pods.create(newPod('P2')))), true);
  await until('B detached', () => b.mode === 'replica-detached', 3000);
  const down = b.replication!.status();
  assert.ok(down.syncErrors > errsBefore && down.consecutiveErrors >= 1 && down.detachedSince && down.lastError);
  assert.match(down.lastError!, /unreachable/);
  const t0 = performance.now();
  const readOnly = await writeError(b.pods.create(newPod('P2')));
  assert.ok(performance.now() - t0 < 50, 'a detached write fails at once, without the network');
  assert.equal(isUnavailable(readOnly), true, String(readOnly));
  assert.equal(await b.replication!.syncNow(300), false);
  assert.equal((await b.routings.lookup('srv-1', 'server'))?.pod_id, pending.pod_id, 'reads served from the file');
  assert.equal((await b.pods.list()).length, 1, 'nothing written locally');

  // Recovery: same path and port; both re-attach on their own and writes work again.
  await primary.start();
  await until('A and B re-attached', () => a.mode === 'replica' && b.mode === 'replica', 5000);
  assert.equal(b.replication!.status().reattaches, 1);
  assert.equal(b.replication!.status().consecutiveErrors, 0);
  await b.pods.create(newPod('P2'));
  assert.equal(await a.replication!.syncNow(1000), true);
  assert.deepEqual((await a.pods.list()).map((p) => p.pod_name), ['P1', 'P2']);
});

test('start while the primary is down: detached from an existing file; no file → clear error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-rep-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const primary = await startPrimary({ dir });
  t.after(() => primary.stop());
  const url = `file:${join(dir, 'site.db')}`;
  const first = await openStore({ url, syncUrl: primary.url, syncInterval: SYNC_INTERVAL });
  await first.pods.create(newPod('P1'));
  await first.close();
  await primary.kill();

  await assert.rejects(
    openStore({ url: `file:${join(dir, 'fresh.db')}`, syncUrl: primary.url, syncInterval: SYNC_INTERVAL }),
    /cannot start: primary http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED, and there is no local replica at .*fresh\.db/,
  );

  writeFileSync(join(dir, 'empty.db'), '');
  await assert.rejects(
    openStore({ url: `file:${join(dir, 'empty.db')}`, syncUrl: primary.url, syncInterval: SYNC_INTERVAL }),
    /cannot start: primary .* unreachable: ECONNREFUSED, and the local replica file:.*empty\.db holds no schema yet/,
  );

  const s = await openStore({ url, syncUrl: primary.url, syncInterval: SYNC_INTERVAL });
  t.after(() => s.close());
  assert.equal(s.mode, 'replica-detached');
  assert.equal(s.replication!.status().lastSyncAt, null);
  assert.deepEqual((await s.pods.list()).map((p) => p.pod_name), ['P1']);
  assert.equal(isUnavailable(await writeError(s.pods.create(newPod('P2')))), true);
  assert.equal(isUnavailable(await writeError(s.db.transaction('write'))), true, 'no second, writable connection');

  await primary.start();
  await until('attached', () => s.mode === 'replica', 5000);
  await s.pods.create(newPod('P2'));
  assert.deepEqual((await s.pods.list()).map((p) => p.pod_name), ['P1', 'P2']);
  assert.equal(typeof s.replication!.status().frameNo, 'number');
});
