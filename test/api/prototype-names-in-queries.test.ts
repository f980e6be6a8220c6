// `GET /v2.1/flavors?sort_key=constructor` answered 500 with a SQL error: the sort-key table was read
// through the prototype chain and a function's text reached the SQL. Every lookup table fed by user
// input (sort keys, extra spec keys) must answer prototype member names as the unknown names they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import { FLAVOR_SORT_COLUMNS } from '../../src/store';
import { novaSort } from '../../src/api/compute/server-sort';
import { cinderSort } from '../../src/api/volume/list-sort';

const NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];
const ADMIN_P = identity('proj-proto', ['admin', 'member']);
let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  const s = await call(`${cloud.compute}/v2.1/proj-proto/servers`, { method: 'POST', headers: ADMIN_P, body: { server: { name: 'p', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202, s.text);
  const v = await call(`${cloud.volume}/v3/proj-proto/volumes`, { method: 'POST', headers: ADMIN_P, body: { volume: { size: 1 } } });
  assert.equal(v.status, 202, v.text);
});
after(() => cloud.close());

const compute = (path: string, init: { method?: string; body?: unknown } = {}) => call(`${cloud.compute}/v2.1/proj-proto${path}`, { ...init, headers: ADMIN_P });
const volume = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(`${cloud.volume}/v3/proj-proto${path}`, { ...init, headers: { ...ADMIN_P, 'openstack-api-version': 'volume 3.60' } });

test('flavor lists: a prototype name is an unknown sort_key, 400 in Nova words', async () => {
  const known = Object.keys(FLAVOR_SORT_COLUMNS).map((k) => `'${k}'`).join(', ');
  for (const n of NAMES) {
    for (const path of ['/flavors', '/flavors/detail']) {
      const r = await compute(`${path}?sort_key=${n}`);
      assert.equal(r.status, 400, `${path} ${n}: ${r.text}`);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(r.body, { badRequest: { code: 400, message: `Invalid input for query parameters sort_key. Value: ${n}. '${n}' is not one of [${known}]` } });
    }
  }
});

test('server lists: the pods judge a prototype name as the unknown sort_key it is (400), never a 5xx', async () => {
  for (const n of NAMES) {
    for (const path of ['/servers', '/servers/detail']) {
      const r = await compute(`${path}?sort_key=${n}`);
      assert.equal(r.status, 400, `${path} ${n}: ${r.text}`);
      assert.match(r.body.badRequest.message, new RegExp(`^Invalid input for query parameters sort_key\\. Value: ${n}\\.`));
    }
  }
});

test('volume, snapshot, backup and attachment lists: a prototype name in sort or sort_key is never a 5xx', async () => {
  for (const n of NAMES) {
    for (const path of ['/volumes', '/volumes/detail', '/snapshots', '/snapshots/detail', '/backups', '/backups/detail', '/attachments', '/types']) {
      for (const q of [`sort=${n}:asc`, `sort_key=${n}`]) {
        const r = await volume(`${path}?${q}`);
        assert.ok(r.status < 500, `${path}?${q}: ${r.status} ${r.text}`);
        if (r.status !== 200) assert.equal(r.status, 400, `${path}?${q}: ${r.text}`);
      }
    }
  }
  // The attachments list sorts at the gateway: a prototype name reads no inherited member.
  const r = await volume('/attachments?sort=constructor:asc');
  assert.deepEqual(r.body, { attachments: [] });
});

test('lists that take no sort keys ignore them: keypairs, aggregates, services, hypervisors, admin routings', async () => {
  for (const n of NAMES) {
    for (const path of ['/os-keypairs', '/os-aggregates', '/os-services', '/os-hypervisors', '/os-availability-zone/detail']) {
      const r = await compute(`${path}?sort_key=${n}&sort_dir=asc`);
      assert.equal(r.status, 200, `${path} ${n}: ${r.text}`);
    }
    const admin = await call(`${cloud.admin}/v1.0/routings?sort_key=${n}&project_id=${n}`, { headers: ADMIN_P });
    assert.deepEqual({ status: admin.status, body: admin.body }, { status: 200, body: { routings: [] } });
  }
});

test('extra spec keys: a prototype name is a key that does not exist (404) and a URI/body mismatch (400)', async () => {
  for (const n of NAMES) {
    const show = await compute(`/flavors/1/os-extra_specs/${n}`);
    assert.deepEqual({ status: show.status, body: show.body }, { status: 404, body: { itemNotFound: { code: 404, message: `Flavor 1 has no extra specs with key ${n}.` } } });
    const put = await compute(`/flavors/1/os-extra_specs/${n}`, { method: 'PUT', body: { 'hw:cpu_policy': 'dedicated' } });
    assert.deepEqual({ status: put.status, body: put.body }, { status: 400, body: { badRequest: { code: 400, message: 'Request body and URI mismatch' } } });
  }
  const type = await volume('/types', { method: 'POST', body: { volume_type: { name: 'proto-type' } } });
  assert.equal(type.status, 200, type.text);
  const typeId = type.body.volume_type.id;
  for (const n of NAMES) {
    const show = await volume(`/types/${typeId}/extra_specs/${n}`);
    assert.deepEqual({ status: show.status, body: show.body }, { status: 404, body: { itemNotFound: { code: 404, message: `Volume Type ${typeId} has no extra specs with key ${n}.` } } });
    const put = await volume(`/types/${typeId}/extra_specs/${n}`, { method: 'PUT', body: { other: 'x' } });
    assert.equal(put.status, 400, put.text);
    assert.match(put.text, /Request body and URI mismatch/);
  }
});

test('the sort dialects read no inherited member of an item for a prototype name', () => {
  const item = { id: 'x', name: 'n', created: '2026-01-01T00:00:00Z' };
  for (const n of NAMES) {
    assert.equal(novaSort().value(item, n), undefined, n);
    assert.equal(cinderSort().value(item, n), undefined, n);
  }
});
