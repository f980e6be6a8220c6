// Deadlines: a pod that never answers fails with TRIO2O_POD_TIMEOUT (504) within the call's
// deadline, and is not retried; a pod that stalls mid-body fails the body read the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodError, httpStatusFor } from '../../src/pods';
import { makeClient, podAt, startUpstream } from './upstream';

const DEADLINE_MS = 200;

test('no response headers within timeoutMs → TRIO2O_POD_TIMEOUT (headers), 504, one attempt', async (t) => {
  const up = await startUpstream(() => {
    /* never answers */
  });
  t.after(() => up.close());
  const seen: string[] = [];
  const pods = makeClient({ observer: { onResponse: () => seen.push('response'), onError: (_p, _s, code) => seen.push(code) } });
  t.after(() => pods.destroy());

  const started = Date.now();
  const err = await pods
    .request({
      pod: podAt(up.origin),
      service: 'compute',
      method: 'GET',
      path: '/v2.1/p1/servers/x',
      projectId: 'p1',
      headers: { 'x-auth-token': 'secret-token' },
      timeoutMs: DEADLINE_MS,
      requestId: 'req-t',
    })
    .then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
  const elapsed = Date.now() - started;
  assert.ok(err instanceof PodError);
  assert.equal(err.code, 'TRIO2O_POD_TIMEOUT');
  assert.equal(err.phase, 'headers');
  assert.equal(err.podId, 'pod-1');
  assert.equal(err.message, 'Timed out waiting for pod RegionOne to answer');
  assert.ok(!err.message.includes('secret-token'));
  assert.equal(httpStatusFor(err), 504);
  assert.ok(elapsed >= DEADLINE_MS - 5 && elapsed < DEADLINE_MS + 800, `elapsed ${elapsed} ms`);
  assert.equal(up.hits, 1, 'a timeout is not retried');
  assert.deepEqual(seen, ['TRIO2O_POD_TIMEOUT']);
});

test('a body that stalls longer than timeoutMs → json() rejects with TRIO2O_POD_TIMEOUT (body)', async (t) => {
  const up = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"servers": ['); // then nothing
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.destroy());

  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'GET',
    path: '/v2.1/p1/servers',
    projectId: 'p1',
    headers: {},
    timeoutMs: DEADLINE_MS,
    requestId: 'req-b',
  });
  assert.equal(res.status, 200);
  const started = Date.now();
  await assert.rejects(res.json(), (e: unknown) => {
    assert.ok(e instanceof PodError);
    assert.equal(e.code, 'TRIO2O_POD_TIMEOUT');
    assert.equal(e.phase, 'body');
    assert.equal(httpStatusFor(e), 504);
    return true;
  });
  assert.ok(Date.now() - started < DEADLINE_MS + 2000); // undici checks body timers coarsely
});

test('a body that trickles past timeoutMs, each gap shorter → text() rejects with TRIO2O_POD_TIMEOUT (body)', async (t) => {
  const up = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const tick = setInterval(() => res.write(' '), DEADLINE_MS / 5);
    res.on('close', () => clearInterval(tick));
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.destroy());
  const started = Date.now();
  const res = await pods.request({ pod: podAt(up.origin), service: 'compute', method: 'GET', path: '/v2.1/p1/servers', projectId: 'p1', headers: {}, timeoutMs: DEADLINE_MS, requestId: 'req-t' });
  await assert.rejects(res.text(), (e: unknown) => {
    assert.ok(e instanceof PodError);
    assert.equal(e.code, 'TRIO2O_POD_TIMEOUT');
    assert.equal(e.phase, 'body');
    assert.equal(e.message, 'Timed out reading the reply of pod RegionOne');
    return true;
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= DEADLINE_MS - 5 && elapsed < DEADLINE_MS + 800, `elapsed ${elapsed} ms`);
});

test('a malformed JSON body → TRIO2O_POD_BAD_RESPONSE (502)', async (t) => {
  const up = await startUpstream((_req, res) => res.end('<html>proxy error</html>'));
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());
  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'GET',
    path: '/v2.1/p1/servers',
    projectId: 'p1',
    headers: {},
    requestId: 'req-j',
  });
  await assert.rejects(res.json(), (e: unknown) => {
    assert.ok(e instanceof PodError);
    assert.equal(e.code, 'TRIO2O_POD_BAD_RESPONSE');
    assert.equal(httpStatusFor(e), 502);
    assert.equal(e.message, 'Malformed reply from pod RegionOne');
    return true;
  });
});
