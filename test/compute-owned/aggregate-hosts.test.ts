// Compute hosts in the gateway's aggregates: add_host and remove_host as Nova answers them (404 for
// a host no pod computes on, 409 twice, 400 deleting a non-empty aggregate, 403 for a member), and
// the membership mirrored into the host's pod (an aggregate `trio2o-<uuid>` with the top metadata,
// deleted with the pod's last member), so the pod's scheduler sees it. An AZ and hosts exclude
// each other: a host's zone is its pod's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { call } from '../support/http';
import { api, as, keystoneCloud, ADMIN_WHO, ALICE } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']);
});
after(() => cloud.close());

const admin = (path: string, opts: { version?: string; method?: string; body?: unknown } = {}) => api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO, ...opts });
const action = (id: number, body: unknown) => admin(`/os-aggregates/${id}/action`, { method: 'POST', body });
/** A pod's own aggregates, asked of the pod directly. */
const podAggregates = async (i: number) => (await call(`${cloud.pods[i]!.endpoints.compute}/os-aggregates`, { headers: as(ADMIN_WHO) })).body.aggregates as any[];

test('a host joins an aggregate at the top and in its own pod only; metadata follows; it leaves both', async () => {
  const made = await admin('/os-aggregates', { version: '2.41', method: 'POST', body: { aggregate: { name: 'fast' } } });
  assert.equal(made.status, 200, made.text);
  const { id, uuid } = made.body.aggregate;
  await action(id, { set_metadata: { metadata: { ssd: 'true' } } });
  const pod1Before = (await podAggregates(0)).length;

  const added = await action(id, { add_host: { host: 'pod2-compute-1' } });
  assert.equal(added.status, 200, added.text);
  assert.deepEqual([added.body.aggregate.hosts, added.body.aggregate.metadata, added.body.aggregate.availability_zone], [['pod2-compute-1'], { ssd: 'true' }, null]);
  const mirror = (await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`);
  assert.ok(mirror, 'Pod2 holds the mirror');
  assert.deepEqual([mirror.hosts, mirror.metadata], [['pod2-compute-1'], { ssd: 'true' }]);
  assert.equal((await podAggregates(0)).length, pod1Before, 'Pod1 was not touched');

  assert.deepEqual((await action(id, { add_host: { host: 'pod2-compute-1' } })).body, { conflictingRequest: { code: 409, message: `Aggregate ${id} already has host pod2-compute-1.` } });
  assert.deepEqual((await action(id, { add_host: { host: 'nowhere' } })).body, { itemNotFound: { code: 404, message: 'Compute host nowhere could not be found.' } });
  assert.deepEqual((await admin(`/os-aggregates/${id}`)).body.aggregate.hosts, ['pod2-compute-1']);
  assert.deepEqual((await admin('/os-aggregates')).body.aggregates.find((a: any) => a.id === id).hosts, ['pod2-compute-1']);

  await action(id, { set_metadata: { metadata: { ssd: null, gpu: '1' } } });
  assert.deepEqual((await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`).metadata, { gpu: '1' }, 'metadata changes reach the mirror');
  assert.equal((await action(id, { set_metadata: { metadata: { availability_zone: 'elsewhere' } } })).status, 400, 'hosts keep their pod\'s zone');
  assert.equal((await admin(`/os-aggregates/${id}`, { method: 'PUT', body: { aggregate: { availability_zone: 'elsewhere' } } })).status, 400);
  assert.deepEqual((await admin(`/os-aggregates/${id}`, { method: 'DELETE' })).body, { badRequest: { code: 400, message: `Cannot remove host from aggregate ${id}. Reason: Host aggregate is not empty.` } });
  assert.equal((await api(cloud.compute, `/proj-a/os-aggregates/${id}/action`, { method: 'POST', body: { remove_host: { host: 'pod2-compute-1' } } })).status, 403);

  const removed = await action(id, { remove_host: { host: 'pod2-compute-1' } });
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.body.aggregate.hosts, []);
  assert.equal((await podAggregates(1)).find((a) => a.name === `trio2o-${uuid}`), undefined, 'the mirror went with the pod\'s last member');
  assert.deepEqual((await action(id, { remove_host: { host: 'pod2-compute-1' } })).body, { itemNotFound: { code: 404, message: `Cannot remove host pod2-compute-1 in aggregate ${id}` } });
  assert.equal((await admin(`/os-aggregates/${id}`, { method: 'DELETE' })).status, 200);
});

test('an aggregate with an availability zone takes no host; a pod\'s own aggregate neither', async () => {
  const made = await admin('/os-aggregates', { method: 'POST', body: { aggregate: { name: 'zoned', availability_zone: 'az9' } } });
  const r = await action(made.body.aggregate.id, { add_host: { host: 'pod1-compute-1' } });
  assert.equal(r.status, 400, r.text);
  assert.match(r.body.badRequest.message, /availability zone az9/);
  const podAgg = (await admin('/os-aggregates')).body.aggregates.find((a: any) => a.name === `ag_${cloud.pods[0]!.name}`);
  assert.equal((await action(podAgg.id, { add_host: { host: 'pod1-compute-1' } })).status, 400);
});
