// Fault injection of the pod simulator: down/up on the same port, delay, canned status
// (with times), hang, reset, invalid body, close mid-body, slow body; and the request log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
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

/** A raw HTTP/1.1 exchange, so a test sees exactly what the pod put on the wire before it closed. */
function rawGet(pod: { url: string }, path: string): Promise<{ bytes: string; error?: string }> {
  const { port } = new URL(pod.url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(Number(port), '127.0.0.1', () => {
      s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nX-Project-Id: p1\r\nConnection: close\r\n\r\n`);
    });
    let error: string | undefined;
    s.on('data', (c) => chunks.push(c));
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    s.on('close', () => resolve({ bytes: Buffer.concat(chunks).toString('latin1'), error }));
  });
}

test('reset destroys the connection before answering; after: handled lets the services act first', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'reset', match: { method: 'GET', path: /\/servers$/ }, times: 1 });
  const r = await rawGet(pod, '/compute/v2.1/servers');
  assert.equal(r.bytes, '', 'nothing was sent');
  assert.equal((await nova(pod, '/servers')).status, 200, 'times: 1 is used up');

  pod.inject({ kind: 'reset', after: 'handled', match: { method: 'POST' }, times: 1 });
  await assert.rejects(nova(pod, '/servers', { body: { server: { name: 'lost', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } }));
  assert.deepEqual([...pod.servers.values()].map((s) => s.name), ['lost'], 'the create happened, its answer was lost');
});

test('invalid_body answers the given status and text under the given content type', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'invalid_body', text: '{"server": ', match: { path: /\/servers$/ }, times: 1 });
  pod.inject({ kind: 'invalid_body', status: 202, text: '<html>ok</html>', contentType: 'text/html', match: { path: /\/flavors$/ }, times: 1 });
  const a = await fetch(`${pod.url}/compute/v2.1/servers`, { headers: { 'x-auth-token': 't' } });
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('content-type'), 'application/json');
  assert.equal(await a.text(), '{"server": ');
  const b = await fetch(`${pod.url}/compute/v2.1/flavors`, { headers: { 'x-auth-token': 't' } });
  assert.equal(b.status, 202);
  assert.equal(b.headers.get('content-type'), 'text/html');
  assert.equal(await b.text(), '<html>ok</html>');
});

test('close_mid_body sends the headers and part of the body, then closes', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'close_mid_body', bytes: 5, match: { path: /\/flavors$/ }, times: 1 });
  const r = await rawGet(pod, '/compute/v2.1/flavors');
  const [head = '', body = ''] = r.bytes.split('\r\n\r\n');
  assert.match(head, /^HTTP\/1\.1 200 /);
  const declared = Number(/content-length: (\d+)/i.exec(head)?.[1]);
  assert.ok(declared > 5, `declared ${declared} bytes`);
  assert.equal(body, '{"fla');
  pod.inject({ kind: 'close_mid_body', times: 1 });
  const res = await fetch(`${pod.url}/compute/v2.1/servers`, { headers: { 'x-auth-token': 't' } });
  assert.equal(res.status, 200);
  await assert.rejects(res.text(), /terminated/, 'a client reading the body fails');
});

test('slow_body sends the answer in small chunks, delayMs apart', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  pod.inject({ kind: 'slow_body', delayMs: 40, chunkBytes: 8, match: { path: /\/servers$/ }, times: 1 });
  const t0 = Date.now();
  const res = await fetch(`${pod.url}/compute/v2.1/servers`, { headers: { 'x-auth-token': 't' } });
  const headersAt = Date.now() - t0;
  assert.deepEqual(JSON.parse(await res.text()), { servers: [] });
  const total = Date.now() - t0;
  // '{"servers": []}' is 15 bytes: 2 chunks, then the end, each 40 ms apart. Measured from the
  // request (timers never fire early), not from the headers: on a busy machine the client may
  // see the headers late, together with a chunk.
  assert.ok(total >= 78, `answer took ${total} ms`);
  assert.ok(headersAt < total, 'headers came first');
});
