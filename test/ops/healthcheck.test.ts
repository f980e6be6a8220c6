// /healthcheck on every listener in oslo.middleware's shape: OK, 503 reasons, JSON, HEAD,
// the disable-by-file switch, store down, and no enabled pod reachable.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway } from '../support/gateway';
import { call, identity, ADMIN } from '../support/http';
import { startServerPod, routeServers } from './support';

const dir = mkdtempSync(join(tmpdir(), 'trio2o-health-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every listener answers 200 OK in text, JSON when asked, 204 to HEAD, without a token', async (t) => {
  const gw = await startTestGateway({ auth: { strategy: 'keystone', validator: { validate: async () => null } } });
  t.after(() => gw.close());
  for (const url of Object.values(gw.urls)) {
    const text = await call(`${url}/healthcheck`);
    assert.equal(text.status, 200);
    assert.equal(text.text, 'OK');
    assert.equal(text.headers.get('content-type'), 'text/plain; charset=UTF-8');
    assert.match(text.headers.get('x-openstack-request-id') ?? '', /^req-/);
    const json = await call(`${url}/healthcheck`, { headers: { accept: 'application/json' } });
    assert.equal(json.status, 200);
    assert.equal(json.text, '{\n    "detailed": false,\n    "reasons": [\n        "OK"\n    ]\n}');
    assert.equal(json.headers.get('content-type'), 'application/json; charset=UTF-8');
    const head = await fetch(`${url}/healthcheck`, { method: 'HEAD' });
    assert.equal(head.status, 204);
    assert.equal(await head.text(), '');
  }
});

test('the disable file drains every listener with 503 DISABLED BY FILE, and removing it restores', async (t) => {
  const file = join(dir, 'healthcheck_disable');
  const gw = await startTestGateway({ healthcheckDisableFile: file });
  t.after(() => gw.close());
  writeFileSync(file, '');
  for (const url of Object.values(gw.urls)) {
    const r = await call(`${url}/healthcheck`);
    assert.equal(r.status, 503);
    assert.equal(r.text, 'DISABLED BY FILE');
    const j = await call(`${url}/healthcheck`, { headers: { accept: 'text/html;q=0.5, application/json' } });
    assert.deepEqual(j.body, { detailed: false, reasons: ['DISABLED BY FILE'] });
    assert.equal((await fetch(`${url}/healthcheck`, { method: 'HEAD' })).status, 503);
  }
  rmSync(file);
  assert.equal((await call(`${gw.urls.compute}/healthcheck`)).text, 'OK');
});

test('a closed store answers 503 STATE STORE UNAVAILABLE', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.close());
  gw.store.db.close();
  const r = await call(`${gw.urls.admin}/healthcheck`, { headers: { accept: 'application/json' } });
  assert.equal(r.status, 503);
  assert.deepEqual(r.body, { detailed: false, reasons: ['STATE STORE UNAVAILABLE'] });
});

test('503 NO ENABLED POD REACHABLE once every enabled pod failed; OK again when that pod is disabled', async (t) => {
  const gw = await startTestGateway({ pods: { requestTimeoutMs: 2000 } });
  t.after(() => gw.close());
  const pod = await startServerPod(gw.urls.admin);
  t.after(() => pod.close());
  await routeServers(gw.store.db, 'p1', pod.podId, ['s1']);
  const get = () => call(`${gw.urls.compute}/v2.1/p1/servers/s1`, { headers: identity('p1') });
  assert.equal((await get()).status, 200);
  assert.equal((await call(`${gw.urls.compute}/healthcheck`)).text, 'OK');
  await pod.close();
  assert.equal((await get()).status, 503);
  const down = await call(`${gw.urls.compute}/healthcheck`);
  assert.equal(down.status, 503);
  assert.equal(down.text, 'NO ENABLED POD REACHABLE');
  // No enabled pod at all is a site being set up or drained by the admin, not an outage.
  const put = await call(`${gw.urls.admin}/v1.0/pods/${pod.podId}`, { method: 'PUT', headers: ADMIN, body: { pod: { enabled: false } } });
  assert.equal(put.status, 200);
  assert.equal((await call(`${gw.urls.compute}/healthcheck`)).text, 'OK');
});

test('several failing checks are reported together, one per line', async (t) => {
  const file = join(dir, 'disable-2');
  writeFileSync(file, '');
  const gw = await startTestGateway({ healthcheckDisableFile: file });
  t.after(() => gw.close());
  gw.store.db.close();
  const r = await call(`${gw.urls.volume}/healthcheck`);
  assert.equal(r.status, 503);
  assert.equal(r.text, 'DISABLED BY FILE\nSTATE STORE UNAVAILABLE');
});
