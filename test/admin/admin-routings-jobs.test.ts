// Admin API routings (filters, limit/marker pages, repair delete) and jobs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { call, ADMIN } from '../support/http';

let gw: TestGateway;
let podId: string;
before(async () => {
  gw = await startTestGateway();
  podId = (await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'Pod1', az_name: 'az1' } } })).body.pod.pod_id;
  for (let i = 0; i < 5; i++) {
    const p = await gw.store.routings.createPending(i < 3 ? 'pa' : 'pb', podId, i % 2 ? 'volume' : 'server');
    await gw.store.routings.complete(p.id, `id-${i}`);
  }
  await gw.store.routings.createPending('pa', podId, 'server');
});
after(() => gw.close());

const url = (q = '') => `${gw.urls.admin}/v1.0/routings${q}`;

test('list filters by project, type, pod, top id and status', async () => {
  const byProject = await call(url('?project_id=pa&status=active'), { headers: ADMIN });
  assert.deepEqual(byProject.body.routings.map((r: { top_id: string }) => r.top_id), ['id-0', 'id-1', 'id-2']);
  const volumes = await call(url('?resource_type=volume'), { headers: ADMIN });
  assert.deepEqual(volumes.body.routings.map((r: { top_id: string }) => r.top_id), ['id-1', 'id-3']);
  const pending = await call(url('?status=pending'), { headers: ADMIN });
  assert.equal(pending.body.routings.length, 1);
  assert.equal(pending.body.routings[0].bottom_id, null);
  assert.equal((await call(url(`?pod_id=${podId}&top_id=id-4`), { headers: ADMIN })).body.routings.length, 1);
  assert.equal((await call(url('?status=odd'), { headers: ADMIN })).status, 400);
});

test('walking routings_links pages visits every row once', async () => {
  const seen: string[] = [];
  let next: string | undefined = url('?limit=2');
  let pages = 0;
  while (next && pages < 10) {
    const r: { status: number; body: any } = await call(next, { headers: ADMIN });
    assert.equal(r.status, 200);
    seen.push(...r.body.routings.map((x: { top_id: string }) => x.top_id));
    next = r.body.routings_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
    pages++;
  }
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen).size, 6);
  assert.ok(seen.every((s, i) => i === 5 || s.startsWith('id-')));
});

test('bad limit or marker is 400; unknown marker is 400', async () => {
  assert.equal((await call(url('?limit=-1'), { headers: ADMIN })).status, 400);
  assert.equal((await call(url('?marker=abc'), { headers: ADMIN })).status, 400);
  const r = await call(url('?marker=9999'), { headers: ADMIN });
  assert.equal(r.status, 400);
  assert.equal(r.body.badRequest.message, 'marker [9999] not found');
});

test('show and delete one routing; unknown ids are 404', async () => {
  const first = (await call(url('?top_id=id-4'), { headers: ADMIN })).body.routings[0];
  assert.deepEqual((await call(url(`/${first.id}`), { headers: ADMIN })).body, { routing: first });
  assert.equal((await call(url(`/${first.id}`), { method: 'DELETE', headers: ADMIN })).status, 200);
  assert.equal((await call(url(`/${first.id}`), { headers: ADMIN })).status, 404);
});

test('an unknown routing, pod, binding or job is 404 whatever the form of its id', async () => {
  const notFound = (what: string) => ({ itemNotFound: { code: 404, message: `${what} not found` } });
  const ids = ['0', '-1', 'abc', '1.5', '1e3', '99999999999999999999', '%20', 'x'.repeat(300)];
  for (const id of ids) {
    for (const [method, body] of [['GET'], ['PUT', { routing: { pod_id: podId } }], ['PUT', { nonsense: 1 }], ['DELETE']] as const) {
      const r = await call(url(`/${id}`), { method, headers: ADMIN, body });
      assert.equal(r.status, 404, `${method} routings/${id}: ${r.text}`);
      assert.deepEqual(r.body, notFound('Routing'), `${method} routings/${id}`);
    }
    for (const [path, method, body] of [
      ['pods', 'GET'], ['pods', 'PUT', { pod: { dc_name: 'x' } }], ['pods', 'PUT', {}], ['pods', 'DELETE'],
      ['bindings', 'GET'], ['bindings', 'DELETE'], ['jobs', 'GET'], ['jobs', 'DELETE'],
    ] as const) {
      const r = await call(`${gw.urls.admin}/v1.0/${path}/${id}`, { method, headers: ADMIN, body });
      assert.equal(r.status, 404, `${method} ${path}/${id}: ${r.text}`);
    }
    const retry = await call(`${gw.urls.admin}/v1.0/jobs/${id}/retry`, { method: 'POST', headers: ADMIN });
    assert.equal(retry.status, 404, `retry ${id}: ${retry.text}`);
  }
});

test('jobs: list (filter by status) and show; unknown id is 404', async () => {
  const job = await gw.store.jobs.enqueue('test_only', 'm1.tiny', { pods: [podId] });
  const list = await call(`${gw.urls.admin}/v1.0/jobs?type=test_only`, { headers: ADMIN });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.jobs.map((j: { id: string }) => j.id), [job.id]);
  assert.equal((await call(`${gw.urls.admin}/v1.0/jobs?status=new&type=test_only`, { headers: ADMIN })).body.jobs.length, 1);
  assert.equal((await call(`${gw.urls.admin}/v1.0/jobs?status=success&type=test_only`, { headers: ADMIN })).body.jobs.length, 0);
  assert.equal((await call(`${gw.urls.admin}/v1.0/jobs?status=bogus`, { headers: ADMIN })).status, 400);
  const one = await call(`${gw.urls.admin}/v1.0/jobs/${job.id}`, { headers: ADMIN });
  assert.deepEqual(one.body.job.payload, { pods: [podId] });
  assert.equal((await call(`${gw.urls.admin}/v1.0/jobs/nope`, { headers: ADMIN })).status, 404);
});
