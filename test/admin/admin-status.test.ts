// GET /v1.0/status: per pod what the gateway already knows (enabled, reachable, breaker, the
// microversion ranges discovery found, routings, the last failure) and the store's mode; admin
// only; and a pod that stops answering shows up as unreachable with its error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { ADMIN, MEMBER, call, identity } from '../support/http';

let cloud: Cloud;
const owner = identity('proj-status');

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2', computeMaxVersion: '2.60' }], { pods: { breakerThreshold: 2 } });
});
after(() => cloud.close());

const status = async () => {
  const r = await call(`${cloud.admin}/v1.0/status`, { headers: ADMIN });
  assert.equal(r.status, 200, r.text);
  return r.body.status as { store: Record<string, unknown>; pods: Record<string, any>[] };
};

test('status lists every pod with its discovered microversions and routings; the store is standalone', async () => {
  const server = await call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: owner, body: { server: { name: 's', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } });
  assert.equal(server.status, 202, server.text);
  const s = await status();
  assert.deepEqual(s.store, { mode: 'standalone', primary: null, last_sync_at: null, sync_age_seconds: null, last_sync_error: null });
  const byName = Object.fromEntries(s.pods.map((p) => [p.pod_name, p]));
  assert.deepEqual(Object.keys(byName).sort(), ['Pod1', 'Pod2', 'RegionOne']);
  assert.equal(byName.RegionOne.reachable, null, 'the top region is not called through the pod client');
  assert.equal(byName.RegionOne.breaker, null);
  assert.deepEqual(
    { ...byName.Pod2, pod_id: undefined },
    { pod_id: undefined, pod_name: 'Pod2', az_name: 'az2', enabled: true, reachable: true, breaker: 'closed', compute_microversions: { min: '2.1', max: '2.60' }, volume_microversions: byName.Pod2.volume_microversions, routings: 1, last_error: null },
  );
  assert.equal(byName.Pod1.compute_microversions.max, '2.79');
  assert.equal(byName.Pod1.routings, 0);
  await eventually(async () => (await status()).pods.find((p) => p.pod_name === 'Pod2')!.volume_microversions?.max === '3.70', 5000);
});

test('status is admin only', async () => {
  const r = await call(`${cloud.admin}/v1.0/status`, { headers: MEMBER });
  assert.equal(r.status, 403, r.text);
});

test('a pod that stops answering is shown unreachable, its breaker open and its last error kept', async () => {
  const created = await call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: owner, body: { server: { name: 'gone', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } } });
  assert.equal(created.status, 202, created.text);
  await cloud.pods[0]!.close();
  for (let i = 0; i < 2; i++) await call(`${cloud.compute}/v2.1/servers/${created.body.server.id}`, { headers: owner });
  const pod1 = (await status()).pods.find((p) => p.pod_name === 'Pod1')!;
  assert.equal(pod1.reachable, false);
  assert.equal(pod1.breaker, 'open');
  assert.equal(pod1.last_error.error, 'TRIO2O_POD_UNREACHABLE');
  assert.equal(pod1.last_error.service, 'compute');
  assert.match(pod1.last_error.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(pod1.routings, 1);
});
