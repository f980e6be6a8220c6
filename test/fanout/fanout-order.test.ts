// Global order across three pods: the gateway merges the pods' sorted pages on the full sort
// plan (created_at desc by default, uuid asc as Nova's cross-cell tie-breaker).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call } from '../support/http';
import { as, seed, startThreePods, type Seeded } from './helpers';

let cloud: Cloud;
let servers: Seeded[];
const P = 'proj-order';

before(async () => {
  cloud = await startThreePods();
  servers = await seed(cloud, P, 6);
});
after(() => cloud.close());

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const list = (query: string, version = '2.1') => call(`${cloud.compute}/v2.1/${P}/servers/detail${query}`, { headers: as(P, version) });

test('default order is created_at desc then id asc across all pods', async () => {
  const r = await list('');
  assert.equal(r.status, 200, r.text);
  const expected = [...servers].sort((a, b) => cmp(b.created, a.created) || cmp(a.id, b.id)).map((s) => s.id);
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected);
  assert.equal(r.body.servers_links, undefined, 'no next link when the page is not full');
  assert.equal(r.headers.get('x-trio2o-missing-pods'), null);
  for (const s of r.body.servers) {
    const mine = servers.find((x) => x.id === s.id)!;
    assert.equal(s['OS-EXT-AZ:availability_zone'], mine.az, 'the top AZ is shown');
    for (const l of s.links) assert.ok(l.href.startsWith(cloud.compute), `${l.href} points at the gateway`);
  }
});

test('every pod was asked once, in parallel, for the whole plan and the limit', async () => {
  for (const p of cloud.pods) p.requests.length = 0;
  const r = await list('?sort_key=display_name&sort_dir=asc&limit=5');
  assert.equal(r.status, 200);
  for (const p of cloud.pods) {
    const asked = p.requests.filter((q) => q.path.endsWith('/servers/detail'));
    assert.equal(asked.length, 1, `${p.name} asked once`);
    assert.deepEqual(asked[0]!.query, { sort_key: ['display_name', 'uuid'], sort_dir: ['asc', 'asc'], limit: '5' });
    assert.ok(asked[0]!.headers['x-openstack-request-id'], 'request id forwarded');
  }
});

test('sort_key=display_name asc', async () => {
  const r = await list('?sort_key=display_name&sort_dir=asc');
  const expected = [...servers].sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id)).map((s) => s.id);
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected);
});

test('two keys: display_name desc, created_at asc (the second direction given)', async () => {
  const r = await list('?sort_key=display_name&sort_dir=desc&sort_key=created_at&sort_dir=asc');
  const expected = [...servers].sort((a, b) => cmp(b.name, a.name) || cmp(a.created, b.created) || cmp(a.id, b.id)).map((s) => s.id);
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected);
});

test('sort by availability_zone asc groups the pods by top AZ', async () => {
  const r = await list('?sort_key=availability_zone&sort_dir=asc&sort_key=created_at');
  const expected = [...servers].sort((a, b) => cmp(a.az, b.az) || cmp(a.created, b.created) || cmp(a.id, b.id)).map((s) => s.id);
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected);
});

test('index view (GET /servers) has the same order and only id, name, links', async () => {
  const detail = await list('');
  const index = await call(`${cloud.compute}/v2.1/${P}/servers`, { headers: as(P) });
  assert.equal(index.status, 200);
  assert.deepEqual(index.body.servers.map((s: { id: string }) => s.id), detail.body.servers.map((s: { id: string }) => s.id));
  assert.deepEqual(Object.keys(index.body.servers[0]).sort(), ['id', 'links', 'name']);
});

test('a malformed sort_dir or limit is 400 before any pod is asked', async () => {
  for (const p of cloud.pods) p.requests.length = 0;
  const bad = await list('?sort_dir=sideways');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body, {
    badRequest: { code: 400, message: "Invalid input for query parameters sort_dir. Value: sideways. 'sideways' is not one of ['asc', 'desc']" },
  });
  const badLimit = await list('?limit=-1');
  assert.equal(badLimit.status, 400);
  assert.deepEqual(badLimit.body, { badRequest: { code: 400, message: "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'" } });
  assert.equal(cloud.pods.reduce((n, p) => n + p.requests.length, 0), 0);
});
