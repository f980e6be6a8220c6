// A routing given to another project (an accepted volume transfer) must reach every site's
// route cache: the change is logged like a move, and a second route table that cached the old
// owner sees the new one after its refresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store';
import { RouteTable } from '../../src/routing';

test('reassign: the new owner is logged and reaches another cache on refresh; a stale owner changes nothing', async (t) => {
  const store = await openStore({ url: ':memory:' });
  t.after(() => store.close());
  const here = new RouteTable(store);
  const elsewhere = new RouteTable(store);
  await elsewhere.refresh();
  const pod = await store.pods.create({ pod_name: 'Pod1', pod_az_name: 'nova', dc_name: 'dc', az_name: 'az1', enabled: true, endpoints: null });
  const pending = await here.begin('proj-a', pod.pod_id, 'volume');
  const routing = (await here.complete(pending, 'vol-1'))!;
  assert.equal((await elsewhere.lookup('vol-1', 'volume'))?.project_id, 'proj-a', 'cached at the other site');
  const before = await store.routings.lastChange();

  const moved = await here.reassign(routing, 'proj-b');
  assert.equal(moved?.project_id, 'proj-b');
  assert.equal(moved?.pod_id, pod.pod_id);
  assert.ok((await store.routings.lastChange()) > before, 'the change is logged');
  assert.equal((await elsewhere.lookup('vol-1', 'volume'))?.project_id, 'proj-a', 'stale until refresh');
  assert.equal(await elsewhere.refresh(), 1);
  assert.equal((await elsewhere.lookup('vol-1', 'volume'))?.project_id, 'proj-b');

  assert.equal(await here.reassign(routing, 'proj-c'), undefined, 'a reassign from an owner that is no longer it changes nothing');
  assert.equal((await store.routings.lookup('vol-1', 'volume'))?.project_id, 'proj-b');
});
