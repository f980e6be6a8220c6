// The generic paged SELECT (NULL sort values, markers, scope) and compute policy overrides: an
// operator's rule for a Nova policy name replaces the gateway's default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, selectPage, MarkerNotFoundError } from '../../src/store';
import { startCloud } from '../support/cloud';
import { api, ADMIN_WHO } from './support';

test('selectPage walks NULL and non-NULL sort values in both directions without skipping or repeating', async (t) => {
  const store = await openStore({ url: ':memory:' });
  t.after(() => store.close());
  await store.flavors.setDescription('2', 'b');
  await store.flavors.setDescription('4', 'a');
  for (const dir of ['asc', 'desc'] as const) {
    const all = (await store.flavors.list({ isPublic: null, sortKey: 'description', sortDir: dir })).map((f) => f.flavorid);
    const walked: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await store.flavors.list({ isPublic: null, sortKey: 'description', sortDir: dir, limit: 2, marker });
      walked.push(...page.map((f) => f.flavorid));
      if (page.length < 2) break;
      marker = page.at(-1)!.flavorid;
    }
    assert.deepEqual(walked, all, dir);
    assert.equal(new Set(walked).size, 7);
  }
  assert.deepEqual((await store.flavors.list({ isPublic: null, sortKey: 'description', sortDir: 'asc' })).slice(-2).map((f) => f.flavorid), ['4', '2'], 'NULLs first ascending');
  await assert.rejects(selectPage(store.db, { from: 'flavors', columns: 'flavorid', sortKey: 'name', sortDir: 'asc', tiebreak: 'seq', marker: { column: 'flavorid', value: 'x' } }), MarkerNotFoundError);
});

test('a policy file overrides a compute rule by its Nova name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-policy-'));
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, '"os_compute_api:os-flavor-manage:create": "role:flavor-admin"\n"os_compute_api:os-aggregates:index": "@"\n');
  const cloud = await startCloud([{ topAz: 'az1' }], { policyFile: file });
  t.after(() => cloud.close());
  const curator = { project: 'proj-x', user: 'curator', roles: ['flavor-admin'] };
  const made = await api(cloud.compute, '/proj-x/flavors', { who: curator, method: 'POST', body: { flavor: { name: 'by-curator', ram: 64, vcpus: 1, disk: 0 } } });
  assert.equal(made.status, 200, made.text);
  const admin = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: { flavor: { name: 'by-admin', ram: 64, vcpus: 1, disk: 0 } } });
  assert.equal(admin.status, 403, 'the file replaced the admin default');
  assert.equal((await api(cloud.compute, '/proj-x/os-aggregates', { who: curator })).status, 200);
  assert.equal((await api(cloud.compute, '/proj-x/flavors/1', { who: curator, method: 'DELETE' })).status, 403, 'rules not in the file keep their defaults');
});
