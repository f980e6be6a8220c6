// A client that hangs up aborts the pod call: the caller's abort reason comes back (not a
// PodError, nothing is sent), the upstream request is torn down, and the breaker learns nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPodError } from '../../src/pods';
import { makeClient, podAt, startUpstream } from './upstream';

test('abort before headers rejects with the signal reason and closes the upstream request', async (t) => {
  let upstreamClosed!: () => void;
  const closed = new Promise<void>((r) => (upstreamClosed = r));
  const up = await startUpstream((_req, res) => {
    res.on('close', () => upstreamClosed());
  });
  t.after(() => up.close());
  const codes: string[] = [];
  const pods = makeClient({ breakerThreshold: 1, observer: { onResponse() {}, onError: (_p, _s, c) => codes.push(c) } });
  t.after(() => pods.destroy());

  const ac = new AbortController();
  const pending = pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'GET',
    path: '/v2.1/p1/servers/x',
    projectId: 'p1',
    headers: {},
    signal: ac.signal,
    requestId: 'req-a',
  });
  while (up.hits === 0) await new Promise((r) => setImmediate(r));
  const reason = new Error('client went away');
  ac.abort(reason);
  await assert.rejects(pending, (e: unknown) => e === reason && !isPodError(e));
  await closed;
  assert.deepEqual(codes, ['CLIENT_ABORTED']);
  assert.equal(pods.breakerState('pod-1'), 'closed', 'a hang-up is not a pod failure');
});

test('abort while the body streams destroys the upstream body', async (t) => {
  let upstreamClosed!: () => void;
  const closed = new Promise<void>((r) => (upstreamClosed = r));
  const up = await startUpstream((_req, res) => {
    res.writeHead(200);
    res.write('partial');
    res.on('close', () => upstreamClosed());
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.destroy());

  const ac = new AbortController();
  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'GET',
    path: '/v2.1/p1/servers/x',
    projectId: 'p1',
    headers: {},
    signal: ac.signal,
    requestId: 'req-a2',
  });
  ac.abort(new Error('client went away'));
  await closed;
  assert.ok(res.body.destroyed);
});
