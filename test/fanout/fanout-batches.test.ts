// First batches: a small page (limit × pods within the budget) is asked of every pod whole, so a
// page that comes entirely from one pod costs no second round trip; a larger one asks each pod
// for a fair share (not the whole limit), a pod that runs short is asked once more, and the
// answer is the same global order either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call } from '../support/http';
import { firstBatch, WHOLE_PAGE_BUDGET } from '../../src/fanout/fanout';
import { as, at, seed, simServer, startThreePods, type Seeded } from './helpers';

let cloud: Cloud;
let servers: Seeded[];
const P = 'proj-batch';

before(async () => {
  cloud = await startThreePods();
  servers = await seed(cloud, P, 12);
  // Skew: every server of az1 is newer than every other server.
  for (const s of servers.filter((x) => x.az === 'az1')) {
    s.created = at(100_000 + servers.indexOf(s));
    const sim = simServer(cloud, s.id);
    sim.createdAt = s.created;
    sim.updatedAt = s.created;
  }
});
after(() => cloud.close());

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

test('firstBatch: the whole limit for one pod or a small page; a fair share with a margin and a floor otherwise', () => {
  assert.equal(firstBatch(50, 1), 50);
  assert.equal(firstBatch(1000, 1), 1000);
  assert.equal(firstBatch(50, 16), 50, '800 items in all: within the budget');
  assert.equal(firstBatch(50, 3), 50);
  assert.equal(firstBatch(WHOLE_PAGE_BUDGET / 4, 4), WHOLE_PAGE_BUDGET / 4, 'exactly the budget');
  assert.equal(firstBatch(100, 16), 10, '1600 items: a fair share, floored');
  assert.equal(firstBatch(1000, 4), 375);
  assert.equal(firstBatch(400, 3), 200);
});

test('a small page that comes entirely from one pod: every pod asked for the whole page once, the exact global order', async () => {
  for (const p of cloud.pods) p.requests.length = 0;
  const r = await call(`${cloud.compute}/v2.1/${P}/servers/detail?limit=12`, { headers: as(P) });
  assert.equal(r.status, 200, r.text);
  const expected = [...servers].sort((a, b) => cmp(b.created, a.created) || cmp(a.id, b.id)).slice(0, 12).map((s) => s.id);
  assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), expected);
  assert.ok(r.body.servers.every((s: { 'OS-EXT-AZ:availability_zone': string }) => s['OS-EXT-AZ:availability_zone'] === 'az1'));
  const limits = cloud.pods.map((p) => p.requests.filter((q) => q.path.endsWith('/servers/detail')).map((q) => q.query.limit));
  assert.deepEqual(limits, [['12'], ['12'], ['12']], 'one round trip per pod, no refill');
});
