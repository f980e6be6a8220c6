// /os-migrations fanned out: every pod's migrations merged newest first, ids offset per pod, paged
// across pods from 2.59 by migration uuid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, keystoneCloud, ADMIN_WHO, ALICE } from './support';

let cloud: Cloud;
const servers: string[] = [];
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']);
  for (const az of ['az1', 'az2', 'az2']) {
    const r = await api(cloud.compute, '/proj-a/servers', { method: 'POST', body: { server: { name: `m-${az}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    assert.equal(r.status, 202, r.text);
    servers.push(r.body.server.id);
  }
  for (const id of servers) {
    await eventually(async () => (await api(cloud.compute, `/proj-a/servers/${id}`)).body.server.status === 'ACTIVE');
    const r = await api(cloud.compute, `/proj-a/servers/${id}/action`, { method: 'POST', body: { resize: { flavorRef: '2' } } });
    assert.equal(r.status, 202, r.text);
  }
});
after(() => cloud.close());

test('every pod\'s migrations, merged newest first, ids offset per pod; members refused', async () => {
  assert.equal((await api(cloud.compute, '/proj-a/os-migrations')).status, 403);
  const r = await api(cloud.compute, '/admin-project/os-migrations', { who: ADMIN_WHO, version: '2.23' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.migrations.map((m: any) => m.instance_uuid).sort(), [...servers].sort());
  assert.ok(r.body.migrations.every((m: any) => m.migration_type === 'resize'));
  assert.deepEqual(r.body.migrations.map((m: any) => m.id).sort(), [1_000_001, 2_000_001, 2_000_002]);
  const created = r.body.migrations.map((m: any) => m.created_at);
  assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
  const filtered = await api(cloud.compute, `/admin-project/os-migrations?instance_uuid=${servers[1]}`, { who: ADMIN_WHO });
  assert.deepEqual(filtered.body.migrations.map((m: any) => m.instance_uuid), [servers[1]]);
});

test('2.59: limit and marker page the merged list; the walk sees each migration once', async () => {
  const all = (await api(cloud.compute, '/admin-project/os-migrations', { who: ADMIN_WHO, version: '2.59' })).body.migrations.map((m: any) => m.uuid);
  let url = '/admin-project/os-migrations?limit=2';
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await api(cloud.compute, url, { who: ADMIN_WHO, version: '2.59' });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.body.migrations.map((m: any) => m.uuid));
    const next = r.body.migrations_links?.[0]?.href as string | undefined;
    if (!next) break;
    url = next.slice(`${cloud.compute}/v2.1`.length);
  }
  assert.deepEqual(seen, all);
  const bad = await api(cloud.compute, '/admin-project/os-migrations?marker=nope', { who: ADMIN_WHO, version: '2.59' });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Marker nope could not be found.' } });
});

test('servers/{id}/migrations is the server\'s own pass-through to its pod', async () => {
  const r = await api(cloud.compute, `/admin-project/servers/${servers[1]}/migrations`, { who: ADMIN_WHO, version: '2.23' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { migrations: [] }, 'no live migration in progress');
  assert.equal(cloud.pods[1]!.requests.filter((q) => q.path.endsWith(`/servers/${servers[1]}/migrations`)).length, 1);
  const one = await api(cloud.compute, `/admin-project/servers/${servers[1]}/migrations/7`, { who: ADMIN_WHO, version: '2.23' });
  assert.deepEqual(one.body, { itemNotFound: { code: 404, message: `In-progress live migration 7 is not found for server ${servers[1]}.` } });
});
