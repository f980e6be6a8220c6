// SwitchClient: repositories follow a swap; a retired client closes only after its in-flight
// calls finish; the read-only (detached) shape refuses transactions and migrate().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Client } from '@libsql/client';
import { SwitchClient, isUnavailable, storeFromClient } from '../../src/store';

test('swap: later calls go to the new client; the old one closes when idle', async () => {
  const one = createClient({ url: ':memory:' });
  const two = createClient({ url: ':memory:' });
  await one.execute('CREATE TABLE t(v TEXT)');
  await one.execute("INSERT INTO t VALUES ('one')");
  await two.execute('CREATE TABLE t(v TEXT)');
  await two.execute("INSERT INTO t VALUES ('two')");
  // A call in flight on `one` while the swap happens: it completes, then `one` is closed.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = {
    protocol: 'file',
    execute: async (sql: string) => (await gate, one.execute(sql)),
    close: () => one.close(),
  } as unknown as Client;
  const sw2 = new SwitchClient(slow);
  const inFlight = sw2.execute('SELECT v FROM t');
  sw2.swap(two, false);
  assert.equal(one.closed, false, 'not closed under a running call');
  release();
  assert.equal((await inFlight).rows[0]!.v, 'one');
  assert.equal(one.closed, true, 'closed once idle');
  assert.equal((await sw2.execute('SELECT v FROM t')).rows[0]!.v, 'two');
  sw2.swap(two, false); // swapping to the current client closes nothing
  assert.equal(two.closed, false);
  sw2.close();
  assert.equal(two.closed, true);
});

test('read-only shape: transaction and migrate are refused as "unavailable"; repos follow swaps', async () => {
  const a = createClient({ url: ':memory:' });
  const sw = new SwitchClient(a, true);
  await assert.rejects(sw.transaction('write'), (e: unknown) => isUnavailable(e) && /read-only/.test(String(e)));
  await assert.rejects(sw.migrate(['CREATE TABLE x(a)']), (e: unknown) => isUnavailable(e));
  const b = createClient({ url: ':memory:' });
  await b.execute("CREATE TABLE pods (seq INTEGER PRIMARY KEY, pod_id TEXT, pod_name TEXT, pod_az_name TEXT, dc_name TEXT, az_name TEXT, enabled INTEGER, endpoints TEXT, created_at TEXT, updated_at TEXT)");
  const store = storeFromClient(sw);
  await assert.rejects(store.pods.list(), /no such table/);
  sw.swap(b, false);
  assert.deepEqual(await store.pods.list(), []);
  assert.equal(a.closed, true);
  await store.close();
});
