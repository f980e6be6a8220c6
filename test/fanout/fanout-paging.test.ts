// Paging across pods: walking servers_links to the end neither skips nor repeats a server, for
// several orders, with and without the gateway's remembered pod positions; markers are plain ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call, type Reply } from '../support/http';
import { as, createServer, seed, startThreePods, walk, type Seeded } from './helpers';

let cloud: Cloud;
let servers: Seeded[];
const P = 'proj-paging';
const MAX_LIMIT = 7;

before(async () => {
  cloud = await startThreePods({ maxLimit: MAX_LIMIT });
  servers = await seed(cloud, P, 5);
});
after(() => cloud.close());

const base = () => `${cloud.compute}/v2.1/${P}/servers/detail`;

async function full(query: string): Promise<string[]> {
  // The whole list in one answer is the reference order (15 servers, max_limit 7: walk it).
  return (await walk(`${base()}?limit=${MAX_LIMIT}${query}`, as(P))).flat();
}

for (const [label, query] of [
  ['default order', ''],
  ['display_name asc', '&sort_key=display_name&sort_dir=asc'],
  ['created_at asc, display_name desc', '&sort_key=created_at&sort_dir=asc&sort_key=display_name&sort_dir=desc'],
] as const) {
  test(`walk with limit=4, ${label}: every server exactly once, in global order`, async () => {
    const pages = await walk(`${base()}?limit=4${query}`, as(P));
    const ids = pages.flat();
    assert.equal(ids.length, servers.length, 'no server skipped or repeated');
    assert.equal(new Set(ids).size, servers.length);
    assert.deepEqual(ids, await full(query), 'same order as the unpaged list');
    assert.deepEqual(pages.map((p) => p.length), [4, 4, 4, 3]);
  });
}

test('the same walk without remembered positions (another gateway made the pages) is identical', async () => {
  const q = '&sort_key=display_name&sort_dir=asc';
  const cursors = cloud.gw.gateway.parts.fanout.cursors;
  const hits = cursors.hits;
  const expected = await walk(`${base()}?limit=4${q}`, as(P));
  assert.equal(cursors.hits - hits, expected.length - 1, 'each next page started from remembered positions');
  const misses = cursors.misses;
  const pages: string[][] = [];
  let next: string | undefined = `${base()}?limit=4${q}`;
  while (next) {
    cursors.clear(); // as if another gateway process had made the previous page
    const r: Reply = await call(next, { headers: as(P) });
    assert.equal(r.status, 200, r.text);
    pages.push(r.body.servers.map((s: { id: string }) => s.id));
    next = r.body.servers_links?.[0]?.href;
  }
  assert.equal(cursors.misses - misses, expected.length - 1);
  assert.deepEqual(pages, expected);
});

test('next link: gateway URL, the request params sorted, marker = last id; max_limit caps the page', async () => {
  const r = await call(`${base()}?sort_key=display_name&limit=50`, { headers: as(P) });
  assert.equal(r.status, 200);
  assert.equal(r.body.servers.length, MAX_LIMIT, 'limit capped at [api] max_limit');
  const last = r.body.servers.at(-1).id;
  assert.deepEqual(r.body.servers_links, [{ rel: 'next', href: `${base()}?limit=50&marker=${last}&sort_key=display_name` }]);
});

test('a server created between pages in an already-listed position does not shift later pages', async () => {
  const first = await call(`${base()}?limit=5&sort_key=display_name&sort_dir=asc`, { headers: as(P) });
  const rest = await walk(first.body.servers_links[0].href, as(P));
  const id = await createServer(cloud, P, 'az2', 'vm-0'); // sorts before every 'vm-a'..'vm-k'
  const again = await walk(first.body.servers_links[0].href, as(P));
  assert.deepEqual(again, rest);
  assert.ok(!again.flat().includes(id));
  await call(`${cloud.compute}/v2.1/${P}/servers/${id}`, { method: 'DELETE', headers: as(P) });
});

test('an unknown marker is 400 as Nova answers; so is another project\'s server', async () => {
  const r = await call(`${base()}?marker=00000000-0000-0000-0000-000000000000`, { headers: as(P) });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'marker [00000000-0000-0000-0000-000000000000] not found' } });
  const other = await createServer(cloud, 'proj-other', 'az1', 'theirs');
  const r2 = await call(`${base()}?marker=${other}`, { headers: as(P) });
  assert.equal(r2.status, 400);
  assert.deepEqual(r2.body, { badRequest: { code: 400, message: `marker [${other}] not found` } });
});

test('limit=0 is an empty page without links', async () => {
  const r = await call(`${base()}?limit=0`, { headers: as(P) });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { servers: [] });
});
