// Admin API pods: create/list/show/update/delete with the original's codes, minus its bugs.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { call, ADMIN } from '../support/http';

let gw: TestGateway;
let base: string;
before(async () => {
  gw = await startTestGateway();
  base = `${gw.urls.admin}/v1.0/pods`;
});
after(() => gw.close());
beforeEach(async () => {
  await gw.store.db.batch(['DELETE FROM routings', 'DELETE FROM pod_bindings', 'DELETE FROM endpoint_cache', 'DELETE FROM pods'], 'write');
});

const post = (body: unknown) => call(base, { method: 'POST', headers: ADMIN, body });

test('create a top region and a bottom pod: 200 with the full object', async () => {
  const top = await post({ pod: { pod_name: 'RegionOne' } });
  assert.equal(top.status, 200);
  assert.equal(top.body.pod.az_name, '');
  assert.equal(top.body.pod.pod_az_name, '');
  const pod = await post({ pod: { pod_name: ' Pod1 ', az_name: 'az1', pod_az_name: 'nova', dc_name: 'dc1' } });
  assert.equal(pod.status, 200);
  const p = pod.body.pod;
  assert.match(p.pod_id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    { ...p, pod_id: undefined, created_at: undefined, updated_at: undefined },
    { pod_id: undefined, pod_name: 'Pod1', az_name: 'az1', pod_az_name: 'nova', dc_name: 'dc1', enabled: true, endpoints: null, created_at: undefined, updated_at: undefined },
  );
  assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('a top region never gets a pod_az_name', async () => {
  const r = await post({ pod: { pod_name: 'Top', az_name: '', pod_az_name: 'x' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.pod.pod_az_name, '');
});

test('a body without pod is 400; malformed JSON is 400; wrong types are 400 naming the field', async () => {
  assert.deepEqual((await post({ foo: 1 })).body, { badRequest: { code: 400, message: 'Request body pod not found' } });
  const bad = await call(base, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, raw: '{"pod": ' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.badRequest.message, 'Malformed request body: not valid JSON.');
  const typed = await post({ pod: { pod_name: 42, az_name: 'az1' } });
  assert.equal(typed.status, 400);
  assert.match(typed.body.badRequest.message, /pod\.pod_name/);
  const ep = await post({ pod: { pod_name: 'P', az_name: 'az1', endpoints: { compute: 'ftp://x' } } });
  assert.equal(ep.status, 400);
  assert.match(ep.body.badRequest.message, /endpoints\.compute/);
});

test('six missing/empty pod_name combinations answer 422', async () => {
  const cases = [{}, { az_name: '' }, { pod_name: '' }, { pod_name: '', az_name: '' }, { az_name: 'az1' }, { pod_name: '  ', az_name: 'az1', pod_az_name: 'x' }];
  for (const c of cases) {
    const r = await post({ pod: c });
    assert.equal(r.status, 422, JSON.stringify(c));
    assert.ok(r.body.unprocessableEntity.message.startsWith('Valid pod_name is required'));
  }
});

test('at most one top region, whether az_name is omitted or sent empty', async () => {
  assert.equal((await post({ pod: { pod_name: 'TopRegion' } })).status, 200);
  const again = await post({ pod: { pod_name: 'TopRegion2' } });
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, { conflictingRequest: { code: 409, message: 'Top region already exists' } });
  assert.equal((await post({ pod: { pod_name: 'TopRegion3', az_name: '' } })).status, 409);
});

test('a duplicate pod name and a pod named like the top region answer 409', async () => {
  assert.equal((await post({ pod: { pod_name: 'Pod1', az_name: 'AZ1' } })).status, 200);
  const dup = await post({ pod: { pod_name: 'Pod1', az_name: 'AZ2' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.conflictingRequest.message, 'Pod Pod1 already exists');
  assert.equal((await post({ pod: { pod_name: 'TopRegion' } })).status, 200);
  const clash = await post({ pod: { pod_name: 'TopRegion', az_name: 'AZ1' } });
  assert.equal(clash.status, 409);
  assert.equal(clash.body.conflictingRequest.message, 'Pod region name duplicated with the top region name');
});

test('list in creation order; show one; unknown id is 404', async () => {
  const names = ['TopRegion', 'Pod1', 'Pod2'];
  await post({ pod: { pod_name: 'TopRegion' } });
  await post({ pod: { pod_name: 'Pod1', az_name: 'az1' } });
  const p2 = await post({ pod: { pod_name: 'Pod2', az_name: 'az2' } });
  const list = await call(base, { headers: ADMIN });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.pods.map((p: { pod_name: string }) => p.pod_name), names);
  const one = await call(`${base}/${p2.body.pod.pod_id}`, { headers: ADMIN });
  assert.deepEqual(one.body, { pod: p2.body.pod });
  const missing = await call(`${base}/nope`, { headers: ADMIN });
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { itemNotFound: { code: 404, message: 'Pod nope could not be found.' } });
});

test('PUT updates dc_name, enabled and endpoints; pod_name is immutable; az_name only without bindings', async () => {
  const p = (await post({ pod: { pod_name: 'Pod1', az_name: 'az1' } })).body.pod;
  const url = `${base}/${p.pod_id}`;
  const up = await call(url, { method: 'PUT', headers: ADMIN, body: { pod: { dc_name: 'dc9', enabled: false, endpoints: { compute: 'http://127.0.0.1:1/compute/v2.1' } } } });
  assert.equal(up.status, 200);
  assert.equal(up.body.pod.dc_name, 'dc9');
  assert.equal(up.body.pod.enabled, false);
  assert.deepEqual(up.body.pod.endpoints, { compute: 'http://127.0.0.1:1/compute/v2.1' });
  const rename = await call(url, { method: 'PUT', headers: ADMIN, body: { pod: { pod_name: 'Other' } } });
  assert.equal(rename.status, 400);
  const unknown = await call(url, { method: 'PUT', headers: ADMIN, body: { pod: { colour: 'red' } } });
  assert.equal(unknown.status, 400);
  assert.equal((await call(url, { method: 'PUT', headers: ADMIN, body: { pod: { az_name: 'az9' } } })).status, 200);
  await call(url, { method: 'PUT', headers: ADMIN, body: { pod: { enabled: true } } });
  await call(`${gw.urls.admin}/v1.0/bindings`, { method: 'POST', headers: ADMIN, body: { pod_binding: { tenant_id: 't1', pod_id: p.pod_id } } });
  const moved = await call(url, { method: 'PUT', headers: ADMIN, body: { pod: { az_name: 'az1' } } });
  assert.equal(moved.status, 409);
  assert.equal((await call(`${base}/nope`, { method: 'PUT', headers: ADMIN, body: { pod: { dc_name: 'x' } } })).status, 404);
});

test('an az_name that is a host aggregate\'s zone is 409 naming the aggregate, on create and on change', async (t) => {
  // A pod registered in an aggregate's zone made one name both a zone inside a pod and a top AZ.
  const zoned = await gw.store.aggregates.create('fast-hosts', { availability_zone: 'zone-x' });
  t.after(() => gw.store.aggregates.delete(zoned.id));
  const refusal = { conflictingRequest: { code: 409, message: `az_name zone-x is the availability zone of host aggregate fast-hosts (id ${zoned.id}); a pod's az_name needs a name of its own` } };
  const made = await post({ pod: { pod_name: 'Pod1', az_name: ' zone-x ' } });
  assert.equal(made.status, 409);
  assert.deepEqual(made.body, refusal);
  assert.deepEqual((await call(base, { headers: ADMIN })).body.pods, [], 'nothing registered');

  const p = (await post({ pod: { pod_name: 'Pod1', az_name: 'az1' } })).body.pod;
  const moved = await call(`${base}/${p.pod_id}`, { method: 'PUT', headers: ADMIN, body: { pod: { az_name: 'zone-x' } } });
  assert.equal(moved.status, 409);
  assert.deepEqual(moved.body, refusal);
  assert.equal((await call(`${base}/${p.pod_id}`, { headers: ADMIN })).body.pod.az_name, 'az1', 'az_name unchanged');

  // A pod's own aggregate carries its top AZ: another pod may share that AZ.
  const own = await gw.store.aggregates.create('ag_Pod1', { availability_zone: 'az1' }, p.pod_id);
  t.after(() => gw.store.aggregates.delete(own.id));
  assert.equal((await post({ pod: { pod_name: 'Pod2', az_name: 'az1' } })).status, 200);
  assert.equal((await call(`${base}/${p.pod_id}`, { method: 'PUT', headers: ADMIN, body: { pod: { az_name: 'zone-y', dc_name: 'dc2' } } })).status, 200, 'any other name');
});

test('DELETE: 200, then 404; 409 while a binding or a routing references the pod', async () => {
  const p = (await post({ pod: { pod_name: 'Pod1', az_name: 'az1' } })).body.pod;
  const url = `${base}/${p.pod_id}`;
  const b = await call(`${gw.urls.admin}/v1.0/bindings`, { method: 'POST', headers: ADMIN, body: { pod_binding: { tenant_id: 't1', pod_id: p.pod_id } } });
  const refused = await call(url, { method: 'DELETE', headers: ADMIN });
  assert.equal(refused.status, 409);
  assert.match(refused.body.conflictingRequest.message, /1 binding\(s\) and 0 routing\(s\)/);
  await call(`${gw.urls.admin}/v1.0/bindings/${b.body.pod_binding.id}`, { method: 'DELETE', headers: ADMIN });
  const r = await gw.store.routings.createPending('t1', p.pod_id, 'server');
  assert.equal((await call(url, { method: 'DELETE', headers: ADMIN })).status, 409);
  await gw.store.routings.delete(r.id);
  const ok = await call(url, { method: 'DELETE', headers: ADMIN });
  assert.equal(ok.status, 200);
  assert.equal((await call(url, { method: 'DELETE', headers: ADMIN })).status, 404);
});

test('a body over the limit is 413 overLimit', async () => {
  const r = await call(base, { method: 'POST', headers: ADMIN, raw: JSON.stringify({ pod: { pod_name: 'x'.repeat(1_100_000) } }) });
  assert.equal(r.status, 413);
  assert.equal(r.body.overLimit.code, 413);
});
