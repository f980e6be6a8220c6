// Admin API bindings: create/list/show/delete with the original's codes; rebinding keeps history.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { call, ADMIN } from '../support/http';

let gw: TestGateway;
let base: string;
let pods: Record<string, string>;
before(async () => {
  gw = await startTestGateway();
  base = `${gw.urls.admin}/v1.0/bindings`;
});
after(() => gw.close());
beforeEach(async () => {
  await gw.store.db.batch(['DELETE FROM routings', 'DELETE FROM pod_bindings', 'DELETE FROM pods'], 'write');
  pods = {};
  for (const [name, az, enabled] of [['Top', '', true], ['Pod1', 'az1', true], ['Pod2', 'az1', true], ['Pod3', 'az2', false]] as const) {
    const r = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: name, az_name: az, enabled } } });
    pods[name] = r.body.pod.pod_id;
  }
});

const bind = (tenant_id: unknown, pod_id: unknown) => call(base, { method: 'POST', headers: ADMIN, body: { pod_binding: { tenant_id, pod_id } } });

test('no pod_binding key is 400', async () => {
  const r = await call(base, { method: 'POST', headers: ADMIN, body: { binding: {} } });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Request body pod_binding not found' } });
});

test('empty or missing tenant_id or pod_id is 422 (four cases)', async () => {
  for (const [t, p] of [['', 'x'], ['x', ''], [undefined, 'x'], ['x', undefined]]) {
    const r = await bind(t, p);
    assert.equal(r.status, 422);
    assert.equal(r.body.unprocessableEntity.message, 'Tenant_id and pod_id can not be empty');
  }
});

test('unknown pod, the top region and a disabled pod cannot be bound (422)', async () => {
  assert.equal((await bind('t', 'nope')).body.unprocessableEntity.message, 'pod_id not found in pod');
  assert.equal((await bind('t', pods.Top)).body.unprocessableEntity.message, 'Top region can not be bound');
  assert.equal((await bind('t', pods.Pod3)).status, 422);
});

test('bind two tenants, a duplicate is 409, list/show/delete', async () => {
  const a = await bind('dddddd', pods.Pod1);
  assert.equal(a.status, 200);
  assert.equal(a.body.pod_binding.is_binding, true);
  assert.equal(a.body.pod_binding.az_name, 'az1');
  const b = await bind('aaaaa', pods.Pod1);
  assert.equal(b.status, 200);
  const dup = await bind('dddddd', pods.Pod1);
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.body, { conflictingRequest: { code: 409, message: 'Pod binding already exists' } });
  const list = await call(base, { headers: ADMIN });
  assert.deepEqual(list.body.pod_bindings.map((x: { tenant_id: string }) => x.tenant_id), ['dddddd', 'aaaaa']);
  const filtered = await call(`${base}?tenant_id=aaaaa`, { headers: ADMIN });
  assert.deepEqual(filtered.body.pod_bindings, [b.body.pod_binding]);
  assert.deepEqual((await call(`${base}/${a.body.pod_binding.id}`, { headers: ADMIN })).body, { pod_binding: a.body.pod_binding });
  assert.equal((await call(`${base}/${a.body.pod_binding.id}`, { method: 'DELETE', headers: ADMIN })).status, 200);
  const gone = await call(`${base}/${a.body.pod_binding.id}`, { headers: ADMIN });
  assert.equal(gone.status, 404);
  assert.equal(gone.body.itemNotFound.message, 'Tenant pod binding not found');
  assert.equal((await call(`${base}/${a.body.pod_binding.id}`, { method: 'DELETE', headers: ADMIN })).body.itemNotFound.message, 'Pod binding not found');
  assert.equal((await call(`${base}?is_binding=maybe`, { headers: ADMIN })).status, 400);
});

test('binding to another pod of the same AZ moves the tenant and keeps history, and back again', async () => {
  const first = (await bind('t1', pods.Pod1)).body.pod_binding;
  const second = (await bind('t1', pods.Pod2)).body.pod_binding;
  const back = await bind('t1', pods.Pod1);
  assert.equal(back.status, 200, 'rebinding to a previously used pod must not collide');
  const all = (await call(`${base}?tenant_id=t1`, { headers: ADMIN })).body.pod_bindings;
  assert.deepEqual(
    all.map((b: { id: string; is_binding: boolean }) => [b.id, b.is_binding]),
    [[first.id, false], [second.id, false], [back.body.pod_binding.id, true]],
  );
  const active = (await call(`${base}?tenant_id=t1&is_binding=true`, { headers: ADMIN })).body.pod_bindings;
  assert.equal(active.length, 1);
});
