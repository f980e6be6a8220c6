// Flavors: the catalog the gateway owns — seeded defaults, Nova's shapes per microversion
// (2.1, 2.55, 2.61, 2.75, max), filters, paging, sorting, admin-only mutations, push jobs
// (what the jobs do to the pods: test/jobs/catalog-sync.test.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { api, ADMIN_WHO, ALICE, BOB, keysOf } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const BRIEF_21 = ['id', 'links', 'name'];
const DETAIL_21 = ['OS-FLV-DISABLED:disabled', 'OS-FLV-EXT-DATA:ephemeral', 'disk', 'id', 'links', 'name', 'os-flavor-access:is_public', 'ram', 'rxtx_factor', 'swap', 'vcpus'];

test('a fresh gateway lists the seeded flavors, sorted by flavorid as strings, brief at 2.1', async () => {
  const r = await api(cloud.compute, '/proj-a/flavors');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.flavors.map((f: any) => f.id), ['1', '2', '3', '4', '42', '5', '84']);
  assert.equal('flavors_links' in r.body, false);
  const tiny = r.body.flavors[0];
  assert.deepEqual(keysOf(tiny), BRIEF_21);
  assert.deepEqual(tiny.links, [
    { rel: 'self', href: `${cloud.compute}/v2.1/proj-a/flavors/1` },
    { rel: 'bookmark', href: `${cloud.compute}/proj-a/flavors/1` },
  ]);
  const noProject = await api(cloud.compute, '/flavors/1');
  assert.equal(noProject.body.flavor.links[0].href, `${cloud.compute}/v2.1/flavors/1`, 'no project segment when the URL had none');
});

test('detail and show: exact keys per microversion; swap "" below 2.75, 0 from 2.75', async () => {
  const d21 = await api(cloud.compute, '/proj-a/flavors/detail');
  assert.deepEqual(keysOf(d21.body.flavors[0]), DETAIL_21);
  assert.deepEqual({ ...d21.body.flavors[0], links: undefined }, {
    id: '1', name: 'm1.tiny', ram: 512, disk: 1, swap: '', vcpus: 1, 'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false, 'os-flavor-access:is_public': true, rxtx_factor: 1, links: undefined,
  });
  const s55 = await api(cloud.compute, '/proj-a/flavors/2', { version: '2.55' });
  assert.deepEqual(keysOf(s55.body.flavor), [...DETAIL_21, 'description'].sort());
  assert.equal(s55.body.flavor.description, null);
  const b55 = await api(cloud.compute, '/proj-a/flavors', { version: '2.55' });
  assert.deepEqual(keysOf(b55.body.flavors[0]), [...BRIEF_21, 'description'].sort());
  const s61 = await api(cloud.compute, '/proj-a/flavors/2', { version: '2.61' });
  assert.deepEqual(keysOf(s61.body.flavor), [...DETAIL_21, 'description', 'extra_specs'].sort());
  assert.deepEqual(s61.body.flavor.extra_specs, {});
  assert.equal(s61.body.flavor.swap, '');
  const max = await api(cloud.compute, '/proj-a/flavors/detail', { version: 'latest' });
  assert.equal(max.status, 200);
  assert.equal(max.headers.get('openstack-api-version'), 'compute 2.79', 'the pods cap the maximum');
  assert.equal(max.body.flavors[0].swap, 0);
  assert.deepEqual(keysOf(max.body.flavors[0]), [...DETAIL_21, 'description', 'extra_specs'].sort());
  const brief61 = await api(cloud.compute, '/proj-a/flavors', { version: '2.61' });
  assert.deepEqual(keysOf(brief61.body.flavors[0]), [...BRIEF_21, 'description'].sort(), 'no extra_specs in the brief list');
});

test('minRam/minDisk filter, sort_key/sort_dir, limit/marker with a next link', async () => {
  const big = await api(cloud.compute, '/proj-a/flavors?minRam=4096&minDisk=50');
  assert.deepEqual(big.body.flavors.map((f: any) => f.name), ['m1.large', 'm1.xlarge']);
  const byRam = await api(cloud.compute, '/proj-a/flavors?sort_key=memory_mb&sort_dir=desc');
  assert.deepEqual(byRam.body.flavors.map((f: any) => f.id), ['5', '4', '3', '2', '1', '84', '42']);
  const p1 = await api(cloud.compute, '/proj-a/flavors/detail?limit=3&sort_key=memory_mb');
  assert.deepEqual(p1.body.flavors.map((f: any) => f.id), ['42', '84', '1']);
  assert.deepEqual(p1.body.flavors_links, [{ rel: 'next', href: `${cloud.compute}/v2.1/proj-a/flavors/detail?limit=3&marker=1&sort_key=memory_mb` }]);
  const p2 = await api(cloud.compute, '/proj-a/flavors/detail?limit=3&sort_key=memory_mb&marker=1');
  assert.deepEqual(p2.body.flavors.map((f: any) => f.id), ['2', '3', '4']);
  const bad = await api(cloud.compute, '/proj-a/flavors?marker=nope');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'marker [nope] not found' } });
  assert.equal((await api(cloud.compute, '/proj-a/flavors?minRam=x')).body.badRequest.message, 'Invalid minRam filter [x]');
  assert.equal((await api(cloud.compute, '/proj-a/flavors?sort_key=bogus')).status, 400);
  assert.equal((await api(cloud.compute, '/proj-a/flavors?limit=-1')).status, 400);
  assert.equal((await api(cloud.compute, '/proj-a/flavors?foo=1')).status, 200, 'extra params are ignored below 2.75');
  const strict = await api(cloud.compute, '/proj-a/flavors?foo=1', { version: '2.75' });
  assert.equal(strict.status, 400);
  assert.match(strict.body.badRequest.message, /Additional properties are not allowed \('foo' was unexpected\)/);
});

test('create/delete are admin only: 403 in Nova words for a member', async () => {
  const r = await api(cloud.compute, '/proj-a/flavors', { method: 'POST', body: { flavor: { name: 'x', ram: 1, vcpus: 1, disk: 0 } } });
  assert.equal(r.status, 403);
  assert.deepEqual(r.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed." } });
  const d = await api(cloud.compute, '/proj-a/flavors/1', { method: 'DELETE' });
  assert.equal(d.status, 403);
  assert.equal((await api(cloud.compute, '/proj-a/flavors/1')).status, 200, 'still there');
});

test('admin creates a flavor (200, Nova shape, a flavor_push job per pod), duplicates 409, bad input 400', async () => {
  const body = { flavor: { name: 'gw.custom', id: 'custom-1', ram: '1024', vcpus: 2, disk: 10, swap: 512, 'os-flavor-access:is_public': 'true', description: 'made at the top' } };
  const r = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body, version: '2.61' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.body.flavor, links: undefined }, {
    id: 'custom-1', name: 'gw.custom', ram: 1024, disk: 10, swap: 512, vcpus: 2, 'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false, 'os-flavor-access:is_public': true, rxtx_factor: 1, description: 'made at the top', extra_specs: {}, links: undefined,
  });
  const jobs = (await cloud.gw.store.jobs.list({ type: 'flavor_push' })).filter((j) => j.resource_id === 'custom-1');
  assert.deepEqual(jobs.map((j) => (j.payload as any).pod_id).sort(), [...cloud.podIds].sort(), 'one job per bottom pod');
  assert.deepEqual(jobs.map((j) => (j.payload as any).flavor_id), ['custom-1', 'custom-1'], 'the job reads the flavor when it runs');
  const dupId = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: { flavor: { ...body.flavor, name: 'other' } }, version: '2.61' });
  assert.deepEqual(dupId.body, { conflictingRequest: { code: 409, message: 'Flavor with ID custom-1 already exists.' } });
  const dupName = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: { flavor: { ...body.flavor, id: 'custom-2' } }, version: '2.61' });
  assert.deepEqual(dupName.body, { conflictingRequest: { code: 409, message: 'Flavor with name gw.custom already exists.' } });
  for (const bad of [{}, { flavor: { name: 'n', ram: 0, vcpus: 1, disk: 0 } }, { flavor: { name: ' lead', ram: 1, vcpus: 1, disk: 0 } }, { flavor: { name: 'n', ram: 1, vcpus: 1, disk: 0, extra: 1 } }]) {
    const b = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: bad });
    assert.equal(b.status, 400, JSON.stringify(bad));
  }
  const descAt21 = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: { flavor: { name: 'n21', ram: 1, vcpus: 1, disk: 0, description: 'x' } } });
  assert.equal(descAt21.status, 400, 'description is not accepted before 2.55');
  const auto = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: { flavor: { name: 'auto-id', ram: 64, vcpus: 1, disk: 0 } } });
  assert.match(auto.body.flavor.id, /^[0-9a-f-]{36}$/, 'a missing id becomes a uuid');

  const upd = await api(cloud.compute, '/admin-project/flavors/custom-1', { who: ADMIN_WHO, method: 'PUT', body: { flavor: { description: 'new words' } }, version: '2.55' });
  assert.equal(upd.status, 200);
  assert.equal(upd.body.flavor.description, 'new words');
  assert.equal((await api(cloud.compute, '/admin-project/flavors/custom-1', { who: ADMIN_WHO, method: 'PUT', body: { flavor: { description: 'x' } } })).status, 404, 'no update before 2.55');

  const del = await api(cloud.compute, '/admin-project/flavors/custom-1', { who: ADMIN_WHO, method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal(del.text, '');
  assert.equal((await api(cloud.compute, '/proj-a/flavors/custom-1')).status, 404);
  const pushed = (await cloud.gw.store.jobs.list({ type: 'flavor_push' })).filter((j) => j.resource_id === 'custom-1');
  assert.deepEqual([...new Set(pushed.map((j) => (j.payload as any).pod_id))].sort(), [...cloud.podIds].sort(), 'the deletion is pushed to every pod');
  assert.deepEqual((await api(cloud.compute, '/proj-a/flavors/custom-1')).body, { itemNotFound: { code: 404, message: 'Flavor custom-1 could not be found.' } });
});

test('private flavors: hidden from other projects, listed for granted ones; access list and actions', async () => {
  const mk = await api(cloud.compute, '/admin-project/flavors', { who: ADMIN_WHO, method: 'POST', body: { flavor: { name: 'private.one', id: 'priv-1', ram: 256, vcpus: 1, disk: 1, 'os-flavor-access:is_public': false } } });
  assert.equal(mk.status, 200);
  assert.equal((await api(cloud.compute, '/proj-a/flavors/priv-1')).status, 404);
  const grant = await api(cloud.compute, '/admin-project/flavors/priv-1/action', { who: ADMIN_WHO, method: 'POST', body: { addTenantAccess: { tenant: 'proj-a' } } });
  assert.equal(grant.status, 200);
  assert.deepEqual(grant.body, { flavor_access: [{ flavor_id: 'priv-1', tenant_id: 'proj-a' }] });
  assert.equal((await api(cloud.compute, '/admin-project/flavors/priv-1/action', { who: ADMIN_WHO, method: 'POST', body: { addTenantAccess: { tenant: 'proj-a' } } })).status, 409);
  assert.equal((await api(cloud.compute, '/proj-a/flavors/priv-1')).status, 200, 'granted project sees it');
  assert.ok((await api(cloud.compute, '/proj-a/flavors')).body.flavors.some((f: any) => f.id === 'priv-1'));
  assert.ok(!(await api(cloud.compute, '/proj-b/flavors', { who: BOB })).body.flavors.some((f: any) => f.id === 'priv-1'));
  const adminAll = await api(cloud.compute, '/admin-project/flavors?is_public=None', { who: ADMIN_WHO });
  assert.ok(adminAll.body.flavors.some((f: any) => f.id === 'priv-1'));
  const adminPrivate = await api(cloud.compute, '/admin-project/flavors?is_public=false', { who: ADMIN_WHO });
  assert.deepEqual(adminPrivate.body.flavors.map((f: any) => f.id), ['priv-1']);
  assert.equal((await api(cloud.compute, '/admin-project/flavors?is_public=maybe', { who: ADMIN_WHO })).body.badRequest.message, 'Invalid is_public filter [maybe]');
  const list = await api(cloud.compute, '/admin-project/flavors/priv-1/os-flavor-access', { who: ADMIN_WHO });
  assert.deepEqual(list.body, { flavor_access: [{ flavor_id: 'priv-1', tenant_id: 'proj-a' }] });
  assert.equal((await api(cloud.compute, '/proj-a/flavors/priv-1/os-flavor-access', { who: ALICE })).status, 403);
  assert.deepEqual((await api(cloud.compute, '/admin-project/flavors/1/os-flavor-access', { who: ADMIN_WHO })).body, { itemNotFound: { code: 404, message: 'Access list not available for public flavors.' } });
  assert.equal((await api(cloud.compute, '/admin-project/flavors/1/action', { who: ADMIN_WHO, method: 'POST', body: { addTenantAccess: { tenant: 'x' } }, version: '2.7' })).status, 409);
  const revoke = await api(cloud.compute, '/admin-project/flavors/priv-1/action', { who: ADMIN_WHO, method: 'POST', body: { removeTenantAccess: { tenant: 'proj-a' } } });
  assert.deepEqual(revoke.body, { flavor_access: [] });
  assert.equal((await api(cloud.compute, '/admin-project/flavors/priv-1/action', { who: ADMIN_WHO, method: 'POST', body: { removeTenantAccess: { tenant: 'proj-a' } } })).status, 404);
  const push = (await cloud.gw.store.jobs.list({ type: 'flavor_push' })).filter((j) => j.resource_id === 'priv-1');
  assert.ok(push.length >= cloud.podIds.length, 'every access change is pushed');
});

test('os-extra_specs: {} for a flavor without specs (openstack flavor list needs it), CRUD admin only', async () => {
  const empty = await api(cloud.compute, '/proj-a/flavors/3/os-extra_specs', { version: '2.61' });
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.body, { extra_specs: {} });
  const denied = await api(cloud.compute, '/proj-a/flavors/3/os-extra_specs', { method: 'POST', body: { extra_specs: { 'hw:cpu_policy': 'dedicated' } } });
  assert.equal(denied.status, 403);
  const set = await api(cloud.compute, '/admin-project/flavors/3/os-extra_specs', { who: ADMIN_WHO, method: 'POST', body: { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 1024 } } });
  assert.equal(set.status, 200);
  assert.deepEqual(set.body, { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 1024 } }, 'the request is echoed');
  const all = await api(cloud.compute, '/proj-a/flavors/3/os-extra_specs');
  assert.deepEqual(all.body, { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '1024' } }, 'stored as strings');
  assert.deepEqual((await api(cloud.compute, '/proj-a/flavors/3/os-extra_specs/hw:cpu_policy')).body, { 'hw:cpu_policy': 'dedicated' });
  const put = await api(cloud.compute, '/admin-project/flavors/3/os-extra_specs/hw:cpu_policy', { who: ADMIN_WHO, method: 'PUT', body: { 'hw:cpu_policy': 'shared' } });
  assert.deepEqual(put.body, { 'hw:cpu_policy': 'shared' });
  const mismatch = await api(cloud.compute, '/admin-project/flavors/3/os-extra_specs/hw:cpu_policy', { who: ADMIN_WHO, method: 'PUT', body: { other: 'x' } });
  assert.deepEqual(mismatch.body, { badRequest: { code: 400, message: 'Request body and URI mismatch' } });
  const inBody = await api(cloud.compute, '/proj-a/flavors/3', { version: '2.61' });
  assert.deepEqual(inBody.body.flavor.extra_specs, { 'hw:cpu_policy': 'shared', 'quota:cpu_shares': '1024' });
  const del = await api(cloud.compute, '/admin-project/flavors/3/os-extra_specs/quota:cpu_shares', { who: ADMIN_WHO, method: 'DELETE' });
  assert.equal(del.status, 200);
  const gone = await api(cloud.compute, '/proj-a/flavors/3/os-extra_specs/quota:cpu_shares');
  assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: 'Flavor 3 has no extra specs with key quota:cpu_shares.' } });
  assert.equal((await api(cloud.compute, '/proj-a/flavors/nope/os-extra_specs')).status, 404);
  const badKey = await api(cloud.compute, '/admin-project/flavors/3/os-extra_specs', { who: ADMIN_WHO, method: 'POST', body: { extra_specs: { 'bad/key': 'x' } } });
  assert.equal(badKey.status, 400);
});
