// Fault injection of the pod simulator: down/up on the same port, delay, canned status
// (with times), hang; and the request log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nova, startPod } from './helpers';

test('down refuses connections, up serves again on the same port', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const url = pod.url;
  assert.equal((await nova(pod, '/servers')).status, 200);
  pod.inject({ kind: 'down' });
  assert.equal(pod.isDown, true);
  await assert.rejects(fetch(`${url}/compute/`), (err: Error & { cause?: { code?: string } }) => {
    assert.equal(err.cause?.code, 'ECONNREFUSED');
    return true;
  });
  await pod.up();
  assert.equal(pod.url, url);
  assert.equal((await nova(pod, '/servers')).status, 200);
});

test('delay slows only matching requests', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'delay', ms: 150, match: { method: 'GET', path: /\/servers$/ } });
  let t0 = Date.now();
  await nova(pod, '/servers');
  assert.ok(Date.now() - t0 >= 140, 'matching request delayed');
  t0 = Date.now();
  await nova(pod, '/servers/detail');
  assert.ok(Date.now() - t0 < 140, 'other path not delayed');
  pod.clearFaults();
  t0 = Date.now();
  await nova(pod, '/servers');
  assert.ok(Date.now() - t0 < 140, 'cleared');
});

test('status fault answers the canned body a given number of times', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'status', status: 503, times: 2, match: { path: /servers/ } });
  const a = await nova(pod, '/servers');
  const b = await nova(pod, '/servers');
  const c = await nova(pod, '/servers');
  assert.equal(a.status, 503);
  assert.deepEqual(a.body, { serviceUnavailable: { code: 503, message: 'Injected fault 503' } });
  assert.equal(b.status, 503);
  assert.equal(c.status, 200);
  pod.inject({ kind: 'status', status: 500, body: { computeFault: { code: 500, message: 'boom' } } });
  const d = await nova(pod, '/flavors');
  assert.equal(d.status, 500);
  assert.deepEqual(d.body, { computeFault: { code: 500, message: 'boom' } });
  assert.equal((await nova(pod, '/flavors')).status, 500, 'no times = persistent');
});

test('hang never answers; close() still returns', async (t) => {
  const pod = await startPod();
  pod.inject({ kind: 'hang', match: { method: 'POST' } });
  const ctl = AbortSignal.timeout(150);
  await assert.rejects(
    fetch(`${pod.url}/compute/v2.1/servers`, { method: 'POST', headers: { 'x-auth-token': 't' }, body: '{}', signal: ctl }),
    /abort|timeout/i,
  );
  assert.equal((await nova(pod, '/servers')).status, 200, 'GET still answered');
  const pending = fetch(`${pod.url}/compute/v2.1/servers`, { method: 'POST', headers: { 'x-auth-token': 't' }, body: '{}' }).catch((e) => e);
  await new Promise((r) => setTimeout(r, 30));
  await pod.close();
  assert.ok((await pending) instanceof Error, 'hung request fails when the pod closes');
  t.diagnostic('closed with a hanging request');
});

test('every request is recorded in order with parsed body', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'status', status: 500, times: 1, match: { path: /flavors/ } });
  await nova(pod, '/flavors?limit=2&sort_key=a&sort_key=b', { project: 'px' });
  await nova(pod, '/servers', { body: { server: { name: 'x' } }, project: 'px' });
  assert.equal(pod.requests.length, 2);
  const [r1, r2] = pod.requests;
  assert.equal(r1.method, 'GET');
  assert.equal(r1.path, '/compute/v2.1/flavors');
  assert.deepEqual(r1.query, { limit: '2', sort_key: ['a', 'b'] });
  assert.equal(r1.headers['x-project-id'], 'px');
  assert.equal(r2.method, 'POST');
  assert.deepEqual(r2.body, { server: { name: 'x' } });
});

test('a status fault with `raw` sends that text as it is, under a JSON content type', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'status', status: 200, raw: '<html>proxy error</html>', match: { path: /\/servers$/ }, times: 1 });
  const r = await fetch(`${pod.url}/compute/v2.1/servers`, { headers: { 'x-auth-token': 'any' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /json/);
  assert.equal(await r.text(), '<html>proxy error</html>');
});
