// os-services, os-hypervisors and os-availability-zone/detail dropped a pod answering a non-200
// status (403 from its own policy, 404, a 5xx) without a word: the answer looked complete. A pod
// whose answer is not used is named in X-Trio2o-Missing-Pods with reason status_<n>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { api, startFakeKeystone, ADMIN_WHO } from './support';

let cloud: Cloud;
let keystone: Awaited<ReturnType<typeof startFakeKeystone>>;
before(async () => {
  keystone = await startFakeKeystone([ADMIN_WHO]);
  const auth = { mode: 'keystone' as const, keystoneUrl: keystone.url };
  cloud = await startCloud([{ topAz: 'az1', auth }, { topAz: 'az2', auth }]);
});
after(async () => {
  await cloud.close();
  await keystone.close();
});

const LISTINGS = [
  { path: '/os-services', key: 'services', pod: /\/os-services$/ },
  { path: '/os-hypervisors', key: 'hypervisors', pod: /\/os-hypervisors$/ },
  { path: '/os-hypervisors/detail', key: 'hypervisors', pod: /\/os-hypervisors\/detail$/ },
];

test('a pod answering 403, 404 or 500 to an admin listing is named; the other pod\'s items are listed', async () => {
  for (const l of LISTINGS) {
    for (const status of [403, 404, 500]) {
      cloud.pods[1]!.inject({ kind: 'status', status, match: { path: l.pod }, times: 1 });
      const r = await api(cloud.compute, `/admin-project${l.path}`, { who: ADMIN_WHO, version: '2.53' });
      assert.equal(r.status, 200, `${l.path} ${status}: ${r.text}`);
      assert.equal(r.headers.get('x-trio2o-missing-pods'), `Pod2;reason=status_${status};shown=skipped`, `${l.path} ${status}`);
      assert.ok(r.body[l.key].length > 0, 'Pod1 is listed');
      assert.ok(r.body[l.key].every((x: any) => JSON.stringify(x).includes('pod1')), 'only Pod1 is listed');
    }
  }
});

test('os-availability-zone/detail names a pod answering 403; its zone is still listed, without hosts', async () => {
  cloud.pods[1]!.inject({ kind: 'status', status: 403, match: { path: /os-availability-zone\/detail$/ }, times: 1 });
  const r = await api(cloud.compute, '/admin-project/os-availability-zone/detail', { who: ADMIN_WHO });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-trio2o-missing-pods'), 'Pod2;reason=status_403;shown=skipped');
  const az2 = r.body.availabilityZoneInfo.find((z: any) => z.zoneName === 'az2');
  assert.deepEqual(az2, { zoneName: 'az2', zoneState: { available: true }, hosts: {} });
});

test('every pod answering: no header', async () => {
  const r = await api(cloud.compute, '/admin-project/os-services', { who: ADMIN_WHO });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-trio2o-missing-pods'), null);
});

test('a pod listing null or numbers among its items: the others are shown, never a 500', async () => {
  const items = [null, 1, 'x'];
  const junk = JSON.stringify({ migrations: items, services: items, hypervisors: items, extensions: items, tenant_usages: [{ server_usages: [null, 2] }] });
  for (const path of ['/os-migrations', '/os-simple-tenant-usage?start=2020-01-01T00:00:00&detailed=1', '/os-services', '/os-hypervisors/detail', '/extensions']) {
    cloud.pods[1]!.inject({ kind: 'invalid_body', status: 200, text: junk, match: { path: /\/(os-migrations|os-simple-tenant-usage|os-services|os-hypervisors\/detail|extensions)$/ }, times: 1 });
    const r = await api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO });
    assert.equal(r.status, 200, `${path}: ${r.text}`);
  }
});
