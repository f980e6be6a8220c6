// A standalone store runs in write-ahead-log mode with synchronous = FULL: every commit is durable
// (as with the rollback journal) and costs one WAL append and fsync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';

test('a standalone file store is opened in WAL mode with synchronous FULL, and stays so when reopened', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-wal-'));
  try {
    const url = `file:${join(dir, 'trio2o.db')}`;
    const store = await openStore({ url });
    assert.equal((await store.db.execute('PRAGMA journal_mode')).rows[0]?.[0], 'wal');
    assert.equal(Number((await store.db.execute('PRAGMA synchronous')).rows[0]?.[0]), 2, 'FULL');
    await store.pods.create({ pod_name: 'RegionOne', az_name: '', pod_az_name: '', dc_name: '', enabled: true, endpoints: null });
    await store.close();
    const again = await openStore({ url, migrate: false });
    assert.equal((await again.db.execute('PRAGMA journal_mode')).rows[0]?.[0], 'wal');
    assert.equal((await again.pods.list()).length, 1, 'committed rows are there after reopening');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
