// Every route of the compute and volume tables, with a trailing slash, is 404 as on Nova and
// Cinder (their Routes mappers match exact paths): `GET /v3/{p}/volumes/` must not be the list.
// The version documents keep their slash forms; the admin API (Tricircle's Pecan REST
// controllers answered `/v1.0/pods/` like `/v1.0/pods`) stays lenient.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resources as computeTable } from '../../src/api/compute';
import { resources as volumeTable } from '../../src/api/volume';
import type { ComputeDeps } from '../../src/api/compute/deps';
import type { VolumeDeps } from '../../src/api/volume';
import { startCloud, type Cloud } from '../support/cloud';
import { ADMIN, call, identity } from '../support/http';

let cloud: Cloud;
const P = 'proj-slash';
const who = { ...identity(P, ['admin', 'member'], 'slash-user') };
const ID = '0b5c1c53-4b9e-4f7e-9c43-2f7c0a9a0a11';
const NOT_FOUND = { itemNotFound: { code: 404, message: 'The resource could not be found.' } };

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
});
after(() => cloud?.close());

/** `/servers/:id/action` → `/servers/<ID>/action`. */
const fill = (path: string) => path.replace(/:[A-Za-z_]+/g, ID);

const TABLES = [
  { service: 'compute', base: () => `${cloud.compute}/v2.1`, rows: computeTable({} as ComputeDeps) },
  { service: 'volume', base: () => `${cloud.volume}/v3`, rows: volumeTable({} as VolumeDeps) },
] as const;

for (const t of TABLES) {
  test(`${t.service}: every route with a trailing slash is 404, with and without the project id`, async () => {
    assert.ok(t.rows.length > 10, 'the real route table');
    for (const [method, path] of t.rows) {
      for (const prefix of [`/${P}`, '']) {
        const url = `${t.base()}${prefix}${fill(path)}/`;
        const m = method === 'ALL' ? 'GET' : method;
        const r = await call(url, { method: m, headers: who, body: m === 'POST' || m === 'PUT' ? {} : undefined });
        assert.equal(r.status, 404, `${m} ${url}: ${r.text}`);
        assert.deepEqual(r.body, NOT_FOUND, `${m} ${url}`);
      }
    }
  });
}

test('the collections without the slash are served (what the 404s above are compared with)', async () => {
  for (const url of [
    `${cloud.compute}/v2.1/${P}/servers`, `${cloud.compute}/v2.1/${P}/flavors`, `${cloud.compute}/v2.1/os-keypairs`,
    `${cloud.volume}/v3/${P}/volumes`, `${cloud.volume}/v3/${P}/types`, `${cloud.volume}/v3/${P}/snapshots/detail`,
  ]) {
    const r = await call(url, { headers: who });
    assert.equal(r.status, 200, `${url}: ${r.text}`);
  }
});

test('version documents answer with and without the slash', async () => {
  for (const url of [`${cloud.compute}/v2.1`, `${cloud.compute}/v2.1/`, `${cloud.volume}/v3`, `${cloud.volume}/v3/`]) {
    const r = await call(url);
    assert.equal(r.status, 200, `${url}: ${r.text}`);
    assert.ok(r.body.version ?? r.body.versions, url);
  }
});

test('admin API: collections answer with and without the slash, as Pecan did', async () => {
  for (const path of ['/v1.0/pods', '/v1.0/bindings', '/v1.0/routings', '/v1.0/jobs']) {
    for (const url of [`${cloud.admin}${path}`, `${cloud.admin}${path}/`]) {
      const r = await call(url, { headers: ADMIN });
      assert.equal(r.status, 200, `${url}: ${r.text}`);
    }
  }
});
