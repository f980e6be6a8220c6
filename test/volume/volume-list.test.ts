// Volume lists: the pods holding the project's volumes, routed ids only, the AZ filter picks pods
// (and is not sent on), paging and sorting applied once at the gateway with links at the gateway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, identity } from '../support/http';
import { startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-vl');
const ids: string[] = []; // creation order: az1, az2, az1, az2, az1
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  for (const [i, az] of ['az1', 'az2', 'az1', 'az2', 'az1'].entries()) {
    const r = await v()('/volumes', { method: 'POST', body: { volume: { size: i + 1, name: `v${i}`, availability_zone: az } } });
    assert.equal(r.status, 202, r.text);
    ids.push(r.body.volume.id);
  }
  // A volume the gateway never made (created in the pod directly): not the project's through us.
  const direct = await call(`${cloud.pods[0]!.url}/volume/v3/proj-vl/volumes`, { method: 'POST', headers: who, body: { volume: { size: 1 } } });
  assert.equal(direct.status, 202);
});
after(() => cloud.close());

const v = () => volumeClient(cloud, 'proj-vl', who);
const idsOf = (r: { body: { volumes: { id: string }[] } }) => r.body.volumes.map((x) => x.id);
/**
 * Cinder's default order, created_at desc then id desc. created_at has whole seconds (as a real
 * Cinder reads it back from MySQL), so volumes made in one second tie and the id decides; the
 * gateway's merge must tie-break exactly as the pods do.
 */
const createdAt = (id: string) => cloud.pods.map((p) => p.volumes.get(id)).find(Boolean)!.createdAt;
const newestFirst = (list: string[]) =>
  [...list].sort((a, b) => (createdAt(a) !== createdAt(b) ? (createdAt(a) < createdAt(b) ? 1 : -1) : a < b ? 1 : -1));

test('detail: both pods, routed volumes only, newest first, top AZs', async () => {
  const r = await v()('/volumes/detail');
  assert.equal(r.status, 200);
  assert.deepEqual(idsOf(r), newestFirst(ids));
  const az = (id: string) => (ids.indexOf(id) % 2 === 0 ? 'az1' : 'az2');
  assert.deepEqual(r.body.volumes.map((x: { availability_zone: string }) => x.availability_zone), newestFirst(ids).map(az));
  assert.equal(r.body.volumes_links, undefined);
});

test('summary list has the same ids; another project sees none of them', async () => {
  assert.deepEqual(idsOf(await v()('/volumes')), newestFirst(ids));
  const other = await volumeClient(cloud, 'proj-other', identity('proj-other'))('/volumes/detail');
  assert.deepEqual(other.body, { volumes: [] });
});

test('availability_zone selects pods and is sent as the pod\'s own AZ name', async () => {
  const before = cloud.pods[1]!.requests.length;
  const r = await v()('/volumes/detail?availability_zone=az1');
  assert.deepEqual(idsOf(r), newestFirst([ids[4]!, ids[2]!, ids[0]!]));
  assert.equal(cloud.pods[1]!.requests.length, before, 'the az2 pod is not asked');
  const sent = cloud.pods[0]!.requests.at(-1)!;
  assert.equal(sent.path, '/volume/v3/proj-vl/volumes/detail');
  assert.equal(sent.query.availability_zone, 'az1-internal');
});

test('limit and marker page across pods; volumes_links next points at the gateway', async () => {
  const order = newestFirst(ids);
  const first = await v()('/volumes/detail?limit=2');
  assert.deepEqual(idsOf(first), order.slice(0, 2));
  const next = first.body.volumes_links[0];
  assert.equal(next.rel, 'next');
  assert.ok(next.href.startsWith(`${cloud.volume}/v3/proj-vl/volumes/detail?`), next.href);
  const second = await call(next.href, { headers: who });
  assert.deepEqual(idsOf(second), order.slice(2, 4));
  const last = await call(second.body.volumes_links[0].href, { headers: who });
  assert.deepEqual(idsOf(last), order.slice(4));
  assert.equal(last.body.volumes_links, undefined);
  // Each pod is asked for at most `limit` items, and a gateway marker only reaches its own pod.
  // (A pod may be given its own last-read volume, routed or not: with whole-second created_at
  // the unrouted one made directly in Pod1 can be the last Pod1 item the gateway consumed.)
  for (const p of cloud.pods) {
    for (const q of p.requests.filter((r) => 'marker' in r.query)) assert.ok(p.volumes.has(String(q.query.marker)), 'pods see only their own resource ids as markers');
  }
});

test('sorting: sort=size:asc and sort_key/sort_dir; bad input is 400, an unknown marker 404', async () => {
  assert.deepEqual(idsOf(await v()('/volumes/detail?sort=size:asc')), ids);
  assert.deepEqual(idsOf(await v()('/volumes/detail?sort_key=name&sort_dir=desc')), [...ids].reverse());
  assert.equal((await v()('/volumes/detail?limit=x')).status, 400);
  assert.equal((await v()('/volumes/detail?sort=size:sideways')).status, 400);
  const marker = await v()('/volumes/detail?marker=nope');
  assert.deepEqual(marker.body, { itemNotFound: { code: 404, message: 'Volume nope could not be found.' } });
});

test('an unknown sort key is the pods\' 400, also for a project with nothing in any pod (one pod judges it)', async () => {
  assert.equal((await v()('/snapshots?sort_key=invalid')).status, 400);
  const fresh = volumeClient(cloud, 'proj-fresh', identity('proj-fresh'));
  const bad = await fresh('/snapshots?sort_key=invalid');
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual((await fresh('/snapshots?sort_key=size')).body, { snapshots: [] }, 'another tenant\'s items stay hidden');
  assert.deepEqual((await fresh('/volumes/detail?sort=name:asc')).body, { volumes: [] });
  assert.deepEqual((await fresh('/volumes/detail')).body, { volumes: [] });
});

test('a pod that is down is skipped', async () => {
  cloud.pods[1]!.inject({ kind: 'status', status: 500, match: { method: 'GET' }, times: 1 });
  const r = await v()('/volumes/detail');
  assert.equal(r.status, 200);
  assert.deepEqual(idsOf(r), newestFirst([ids[4]!, ids[2]!, ids[0]!]));
});
