// Migrations apply from empty, re-run as a no-op, survive a reopen, and the schema enforces one top pod, one active binding per tenant and AZ, and unique routings (a second completion of one id keeps the first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { migrate, schemaVersion, openStore, MIGRATIONS, isUniqueViolation } from '../../src/store';

test('from empty: every migration applies once; a re-run and a reopen apply nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-mig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const url = `file:${join(dir, 'sub', 'state.db')}`;
  const db = createClient({ url: `file:${join(dir, 'plain.db')}` });
  assert.equal(await schemaVersion(db), 0);
  assert.deepEqual(await migrate(db), MIGRATIONS.map((m) => m.version));
  assert.deepEqual(await migrate(db), []);
  assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
  db.close();
  const s1 = await openStore({ url });
  await s1.pods.create({ pod_name: 'P', az_name: 'az', pod_az_name: '', dc_name: '', enabled: true, endpoints: null });
  await s1.close();
  const s2 = await openStore({ url });
  assert.equal((await s2.pods.list()).length, 1, 'data survives a reopen with migrations re-run');
  await s2.close();
});

test('schema: one top pod, one active binding per tenant and AZ, unique (top_id, pod_id)', async () => {
  const s = await openStore({ url: ':memory:' });
  const mk = (name: string, az: string) => s.pods.create({ pod_name: name, az_name: az, pod_az_name: '', dc_name: '', enabled: true, endpoints: null });
  await mk('Top', '');
  await assert.rejects(mk('Top2', ''), isUniqueViolation);
  const p = await mk('P1', 'az1');
  await s.bindings.bind('t', p.pod_id, 'az1');
  await s.bindings.bind('t', p.pod_id, 'az1'); // rebind = history + new active row
  assert.equal((await s.bindings.active('t')).length, 1);
  assert.equal((await s.bindings.list({ tenant_id: 't' })).length, 2);
  const r = await s.routings.createPending('t', p.pod_id, 'server');
  await s.routings.complete(r.id, 'srv-1');
  const r2 = await s.routings.createPending('t', p.pod_id, 'server');
  // Completing with an id routed already (reconciliation or adoption got there first) keeps the existing routing.
  assert.equal((await s.routings.complete(r2.id, 'srv-1'))?.id, (await s.routings.lookup('srv-1'))?.id);
  assert.equal(await s.routings.get(r2.id), undefined, 'the second pending row is gone');
  await s.close();
});
