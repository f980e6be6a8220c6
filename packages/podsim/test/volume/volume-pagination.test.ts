// Volume list paging, sorting and filters: a walk along volumes_links next
// visits every volume once in created_at desc order; sort=key:dir and the
// legacy sort_key/sort_dir; unknown marker 404; name/status/metadata filters;
// all_tenants for admins only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableVolume, call, harness, ORIGIN, P1, P2, v3 } from './helpers';

test('walk next links with limit=3: no skip, no repeat, created_at desc then id desc', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const created: string[] = [];
  for (let i = 0; i < 7; i++) {
    const r = await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { size: 1, name: `vol-${i}` } } });
    created.push(r.body.volume.id);
  }
  const seen: string[] = [];
  let url: string | undefined = `${ORIGIN}${v3(P1, 'volumes/detail')}?limit=3`;
  let pages = 0;
  while (url) {
    const r = await call(h, 'GET', url);
    assert.equal(r.status, 200);
    seen.push(...r.body.volumes.map((v: { id: string }) => v.id));
    const next = r.body.volumes_links?.find((l: { rel: string }) => l.rel === 'next');
    if (next) {
      assert.ok(next.href.startsWith(`${ORIGIN}/volume/v3/${P1}/volumes/detail?limit=3&marker=`), next.href);
    }
    url = next?.href;
    pages++;
  }
  // created_at has whole seconds (as read back from Cinder's DB): volumes made in one second
  // tie, and Cinder's default sort keys (created_at, id) order them by id, both descending.
  const at = (id: string) => h.vol.get(id)!.createdAt;
  const expected = [...created].sort((a, b) => (at(a) !== at(b) ? (at(a) < at(b) ? 1 : -1) : a < b ? 1 : -1));
  assert.deepEqual(seen, expected);
  // 7 items / 3 per page: pages of 3, 3, 1 (a full page always carries a next link).
  assert.equal(pages, 3);
});

test('sort=name:asc and legacy sort_key/sort_dir; bad sort dir is 400', async (t) => {
  const h = harness();
  t.after(() => h.close());
  for (const name of ['b', 'c', 'a']) await call(h, 'POST', v3(P1, 'volumes'), { body: { volume: { size: 1, name } } });
  let r = await call(h, 'GET', v3(P1, 'volumes?sort=name:asc'));
  assert.deepEqual(r.body.volumes.map((v: { name: string }) => v.name), ['a', 'b', 'c']);
  r = await call(h, 'GET', v3(P1, 'volumes?sort_key=name&sort_dir=desc'));
  assert.deepEqual(r.body.volumes.map((v: { name: string }) => v.name), ['c', 'b', 'a']);
  assert.equal(r.body.volumes_links, undefined);
  r = await call(h, 'GET', v3(P1, 'volumes?sort_dir=up'));
  assert.deepEqual(r.body, {
    badRequest: { code: 400, message: "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'." },
  });
  r = await call(h, 'GET', v3(P1, 'volumes?sort=name&sort_key=size'));
  assert.equal(r.status, 400);
  r = await call(h, 'GET', v3(P1, 'volumes?limit=x'));
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'limit param must be an integer' } });
});

test('unknown marker is 404 as Cinder raises VolumeNotFound for it', async (t) => {
  const h = harness();
  t.after(() => h.close());
  await availableVolume(h, P1);
  const marker = '00000000-0000-0000-0000-000000000000';
  const r = await call(h, 'GET', v3(P1, `volumes?marker=${marker}`));
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: `Volume ${marker} could not be found.` } });
});

test('filters: name, status, metadata (python dict literal), unknown keys dropped for users', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const a = await availableVolume(h, P1, { name: 'alpha', metadata: { tier: 'gold' } });
  const b = await availableVolume(h, P1, { name: 'beta', metadata: { tier: 'silver' } });
  const ids = (r: { body: { volumes: { id: string }[] } }) => r.body.volumes.map((v) => v.id);
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes?name=alpha'))), [a]);
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes?status=available&sort=name:asc'))), [a, b]);
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes?status=error'))), []);
  const meta = encodeURIComponent("{'tier': 'silver'}");
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, `volumes/detail?metadata=${meta}`))), [b]);
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes?sort=name:asc&bogus=1'))), [a, b]);
});

test('all_tenants lists every project for admins only', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const a = await availableVolume(h, P1);
  const b = await availableVolume(h, P2);
  const ids = (r: { body: { volumes: { id: string }[] } }) => r.body.volumes.map((v) => v.id).sort();
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes?all_tenants=1'))), [a]);
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes?all_tenants=1'), { roles: 'admin' })), [a, b].sort());
  assert.deepEqual(ids(await call(h, 'GET', v3(P1, 'volumes'), { roles: 'admin' })), [a]);
  const withProject = await call(h, 'GET', v3(P1, `volumes/detail?all_tenants=1&project_id=${P2}`), { roles: 'admin' });
  assert.deepEqual(ids(withProject), [b]);
  const counted = await call(h, 'GET', v3(P1, 'volumes?with_count=true'), { version: '3.45' });
  assert.equal(counted.body.count, 1);
});
