// os-simple-tenant-usage across pods: index (admin) and show (owner) sum every pod's instances
// the way Nova sums its cells; from 2.40 a walk by tenant_usages_links sees every instance once,
// pod after pod, each pod in (project_id, uuid) order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, keystoneCloud, ADMIN_WHO, ALICE, BOB } from './support';

let cloud: Cloud;
const made: { id: string; project: string; pod: number }[] = [];
const START = '2020-01-01T00:00:00';
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE, BOB], ['az1', 'az2']);
  for (const [who, az, flavor] of [[ALICE, 'az1', '1'], [ALICE, 'az2', '2'], [ALICE, 'az2', '1'], [BOB, 'az2', '3']] as const) {
    const r = await api(cloud.compute, `/${who.project}/servers`, { who, method: 'POST', body: { server: { name: `u-${az}`, flavorRef: flavor, imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    assert.equal(r.status, 202, r.text);
    made.push({ id: r.body.server.id, project: who.project, pod: az === 'az1' ? 0 : 1 });
  }
  // Usage counts launched instances only.
  await eventually(async () => cloud.pods.every((p) => [...p.compute.servers.values()].every((s) => s.launchedAt !== null)));
});
after(() => cloud.close());

function checkTotals(sum: any): void {
  const su = sum.server_usages as any[];
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  close(sum.total_hours, su.reduce((n, u) => n + u.hours, 0));
  close(sum.total_vcpus_usage, su.reduce((n, u) => n + u.vcpus * u.hours, 0));
  close(sum.total_memory_mb_usage, su.reduce((n, u) => n + u.memory_mb * u.hours, 0));
  close(sum.total_local_gb_usage, su.reduce((n, u) => n + u.local_gb * u.hours, 0));
}

test('index: admin only; every pod\'s instances, summed per tenant; detailed=1 lists them', async () => {
  assert.equal((await api(cloud.compute, '/proj-a/os-simple-tenant-usage')).status, 403);
  const r = await api(cloud.compute, `/admin-project/os-simple-tenant-usage?start=${START}&detailed=1`, { who: ADMIN_WHO });
  assert.equal(r.status, 200, r.text);
  const byTenant = Object.fromEntries(r.body.tenant_usages.map((t: any) => [t.tenant_id, t]));
  assert.deepEqual(Object.keys(byTenant).sort(), ['proj-a', 'proj-b']);
  assert.deepEqual(byTenant['proj-a'].server_usages.map((u: any) => u.instance_id).sort(), made.filter((m) => m.project === 'proj-a').map((m) => m.id).sort());
  for (const t of r.body.tenant_usages) checkTotals(t);
  const brief = await api(cloud.compute, `/admin-project/os-simple-tenant-usage?start=${START}`, { who: ADMIN_WHO });
  assert.ok(brief.body.tenant_usages.every((t: any) => !('server_usages' in t)), 'without detailed=1 no server usages');
  assert.equal(brief.body.tenant_usages_links, undefined, 'no links below 2.40');
});

test('2.40: walking the next links with limit=1 sees every instance once, in pod order', async () => {
  let url = `/admin-project/os-simple-tenant-usage?start=${START}&detailed=1&limit=1`;
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await api(cloud.compute, url, { who: ADMIN_WHO, version: '2.40' });
    assert.equal(r.status, 200, r.text);
    for (const t of r.body.tenant_usages) seen.push(...t.server_usages.map((u: any) => u.instance_id));
    const next = r.body.tenant_usages_links?.[0]?.href as string | undefined;
    if (!next) break;
    assert.ok(next.startsWith(`${cloud.compute}/v2.1/admin-project/os-simple-tenant-usage?`), next);
    url = next.slice(`${cloud.compute}/v2.1`.length);
  }
  const order = (pod: number) => made.filter((m) => m.pod === pod).sort((a, b) => (a.project + a.id < b.project + b.id ? -1 : 1)).map((m) => m.id);
  assert.deepEqual(seen, [...order(0), ...order(1)]);
  const bad = await api(cloud.compute, `/admin-project/os-simple-tenant-usage?start=${START}&marker=00000000-0000-4000-8000-000000000000`, { who: ADMIN_WHO, version: '2.40' });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Marker 00000000-0000-4000-8000-000000000000 could not be found.' } });
  const dates = await api(cloud.compute, '/admin-project/os-simple-tenant-usage?start=yesterday', { who: ADMIN_WHO });
  assert.deepEqual(dates.body, { badRequest: { code: 400, message: 'Invalid datetime string: Datetime is in invalid format' } });
  const order2 = await api(cloud.compute, `/admin-project/os-simple-tenant-usage?start=2030-01-01T00:00:00&end=${START}`, { who: ADMIN_WHO });
  assert.equal(order2.status, 400);
});

test('show: the owner sees its instances of both pods summed; another project is refused', async () => {
  const r = await api(cloud.compute, `/proj-a/os-simple-tenant-usage/proj-a?start=${START}`, { version: '2.40' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.tenant_usage.tenant_id, 'proj-a');
  assert.equal(r.body.tenant_usage.server_usages.length, 3);
  checkTotals(r.body.tenant_usage);
  assert.equal((await api(cloud.compute, '/proj-a/os-simple-tenant-usage/proj-b')).status, 403);
  const none = await api(cloud.compute, '/admin-project/os-simple-tenant-usage/nobody', { who: ADMIN_WHO });
  assert.deepEqual(none.body, { tenant_usage: {} });
});
