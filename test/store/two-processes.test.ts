// Several processes on one standalone store file (the listener workers of one host, or `db migrate`
// beside a running gateway): a write that meets another process's write waits for it (SQLite's
// busy timeout) instead of failing with SQLITE_BUSY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openStore } from '../../src/store';

/** Runs in a child: holds the file's write lock (an open write transaction) for `holdMs`, then commits. */
const HOLDER = `
const { createClient } = require('@libsql/client');
(async () => {
  const db = createClient({ url: process.argv[1] });
  const tx = await db.transaction('write');
  await tx.execute("INSERT INTO pods (pod_id, pod_name, az_name, created_at, updated_at) VALUES ('held', 'Held', 'az9', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
  process.send('locked');
  setTimeout(async () => { await tx.commit(); process.exit(0); }, Number(process.argv[2]));
})();
`;

test('a write waits for another process holding the write lock, then succeeds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-busy-'));
  try {
    const url = `file:${join(dir, 'trio2o.db')}`;
    const store = await openStore({ url });
    const holder = fork('-e', [HOLDER, url, '300'], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // `fork('-e', ...)` runs the text as a script: argv[1] and argv[2] are the arguments after it.
    const [msg] = (await once(holder, 'message')) as [string];
    assert.equal(msg, 'locked');
    const exited = once(holder, 'exit');
    await store.pods.create({ pod_name: 'RegionOne', az_name: '', pod_az_name: '', dc_name: '', enabled: true, endpoints: null });
    const [code] = (await exited) as [number];
    assert.equal(code, 0, 'the holder committed');
    const names = (await store.pods.list()).map((p) => p.pod_name).sort();
    assert.deepEqual(names, ['Held', 'RegionOne'], 'both writes are in the file');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
