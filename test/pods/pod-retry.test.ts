// Retries: only idempotent calls, only on connect-level failures (and a short 503
// Retry-After); a POST is sent exactly once whatever happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodError, httpStatusFor, type PodRef } from '../../src/pods';
import { deadPort, makeClient, podAt, startUpstream } from './upstream';

function call(pods: ReturnType<typeof makeClient>, pod: PodRef, method: string, extra: { idempotent?: boolean; body?: string } = {}) {
  return pods.request({
    pod,
    service: 'compute',
    method,
    path: '/v2.1/p1/servers',
    projectId: 'p1',
    headers: {},
    requestId: 'req-r',
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<PodError> {
  const e = await p.then(
    () => assert.fail('expected a PodError'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof PodError, String(e));
  return e;
}

test('connection refused → TRIO2O_POD_UNREACHABLE (503): GET tried 3 times, POST once', async (t) => {
  const pod = podAt(`http://127.0.0.1:${await deadPort()}`);
  const pods = makeClient();
  t.after(() => pods.close());

  const get = await failure(call(pods, pod, 'GET'));
  assert.equal(get.code, 'TRIO2O_POD_UNREACHABLE');
  assert.equal(get.phase, 'connect');
  assert.equal(get.attempts, 3);
  assert.equal(get.message, 'Cannot reach pod RegionOne (connection refused)');
  assert.equal((get.cause as { code?: string }).code, 'ECONNREFUSED');
  assert.equal(httpStatusFor(get), 503);

  const post = await failure(call(pods, pod, 'POST', { body: '{}' }));
  assert.equal(post.code, 'TRIO2O_POD_UNREACHABLE');
  assert.equal(post.attempts, 1);
});

test('connection reset before any response: upstream hits 3 for GET, exactly 1 for POST (even if marked idempotent)', async (t) => {
  const up = await startUpstream((req) => req.socket.destroy());
  t.after(() => up.close());
  const pods = makeClient({ breakerThreshold: 100 });
  t.after(() => pods.close());

  const get = await failure(call(pods, podAt(up.origin), 'GET'));
  assert.equal(get.code, 'TRIO2O_POD_UNREACHABLE');
  assert.equal(up.hits, 3);

  up.hits = 0;
  const post = await failure(call(pods, podAt(up.origin), 'POST', { body: '{"server":{}}', idempotent: true }));
  assert.equal(post.code, 'TRIO2O_POD_UNREACHABLE');
  assert.equal(up.hits, 1, 'a POST is never retried');

  up.hits = 0;
  await failure(call(pods, podAt(up.origin), 'DELETE'));
  assert.equal(up.hits, 1, 'DELETE is not idempotent by default here');

  up.hits = 0;
  await failure(call(pods, podAt(up.origin), 'DELETE', { idempotent: true }));
  assert.equal(up.hits, 3, 'the caller may mark a DELETE idempotent');
});

test('a GET that fails once then succeeds returns the success', async (t) => {
  const up = await startUpstream((req, res) => {
    if (up.hits === 1) return req.socket.destroy();
    res.end('ok');
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());
  const res = await call(pods, podAt(up.origin), 'GET');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok');
  assert.equal(up.hits, 2);
});

test('503 with a short Retry-After is retried for GET, returned as-is for POST and for long waits', async (t) => {
  let retryAfter = '0';
  const up = await startUpstream((_req, res) => {
    if (up.hits % 2 === 1) {
      res.writeHead(503, { 'retry-after': retryAfter });
      return res.end('busy');
    }
    res.end('ok');
  });
  t.after(() => up.close());
  const pods = makeClient({ breakerThreshold: 100 });
  t.after(() => pods.close());

  const get = await call(pods, podAt(up.origin), 'GET');
  assert.equal(get.status, 200);
  assert.equal(await get.text(), 'ok');
  assert.equal(up.hits, 2);

  up.hits = 0;
  const post = await call(pods, podAt(up.origin), 'POST', { body: '{}' });
  assert.equal(post.status, 503);
  await post.dump();
  assert.equal(up.hits, 1);

  up.hits = 0;
  retryAfter = '120';
  const long = await call(pods, podAt(up.origin), 'GET');
  assert.equal(long.status, 503);
  assert.equal(long.headers['retry-after'], '120');
  await long.dump();
  assert.equal(up.hits, 1);
});
