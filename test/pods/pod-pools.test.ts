// Pools: one keep-alive pool per endpoint origin, reused across calls, pods and services;
// `connections` bounds sockets per origin; a pool whose sockets are all gone is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodError, type PodRef, type ServiceType } from '../../src/pods';
import { makeClient, podAt, startUpstream } from './upstream';

function get(pods: ReturnType<typeof makeClient>, pod: PodRef, service: ServiceType = 'compute') {
  const path = service === 'compute' ? '/v2.1/p1/servers' : '/v3/p1/volumes';
  return pods.request({ pod, service, method: 'GET', path, projectId: 'p1', headers: {}, requestId: 'r' });
}

test('sequential calls to one origin reuse one connection, across pods and services', async (t) => {
  const up = await startUpstream((_req, res) => res.end('{}'));
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());
  const a = podAt(up.origin, 'pod-a', 'RegionA');
  const b = podAt(up.origin, 'pod-b', 'RegionB');
  for (let i = 0; i < 10; i++) {
    await (await get(pods, i % 2 ? a : b, i % 3 ? 'compute' : 'volumev3')).dump();
    // undici marks a socket free again on its 'drain' event, a tick after the body ends; a
    // call issued in that same tick would (correctly) open a second socket.
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(up.hits, 10);
  assert.equal(up.connections, 1);
  assert.deepEqual(pods.stats(), { pools: 1 });
});

test('connections bounds sockets per origin; separate origins get separate pools', async (t) => {
  const waiting: (() => void)[] = [];
  const handler = (_req: unknown, res: { end: (s: string) => void }) => waiting.push(() => res.end('{}'));
  const up1 = await startUpstream(handler);
  t.after(() => up1.close());
  const up2 = await startUpstream(handler);
  t.after(() => up2.close());
  const pods = makeClient({ connections: 2 });
  t.after(() => pods.close());

  const calls = [...Array(6)].map(() => get(pods, podAt(up1.origin)));
  calls.push(get(pods, podAt(up2.origin, 'pod-2', 'RegionTwo')));
  while (waiting.length < 3) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 30)); // give any extra socket time to show up
  assert.equal(up1.connections, 2);
  assert.equal(up1.hits, 2, 'the other 4 calls queue in the pool');
  assert.equal(pods.stats().pools, 2);
  while (waiting.length) {
    waiting.shift()!();
    while (waiting.length === 0 && up1.hits + up2.hits < 7) await new Promise((r) => setTimeout(r, 5));
  }
  for (const res of await Promise.all(calls)) await res.dump();
  assert.equal(up1.hits, 6);
  assert.equal(up1.connections, 2);
});

test('an idle pool whose sockets closed is dropped, and recreated on the next call', async (t) => {
  const up = await startUpstream((_req, res) => res.end('{}'));
  up.server.keepAliveTimeout = 50; // the pod closes idle sockets quickly
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());
  await (await get(pods, podAt(up.origin))).dump();
  assert.equal(pods.stats().pools, 1);
  const deadline = Date.now() + 2_000;
  while (pods.stats().pools !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(pods.stats().pools, 0);
  await (await get(pods, podAt(up.origin))).dump();
  assert.equal(pods.stats().pools, 1);
  assert.equal(up.connections, 2);
});

test('after close(), calls fail as unreachable instead of opening new pools', async (t) => {
  const up = await startUpstream((_req, res) => res.end('{}'));
  t.after(() => up.close());
  const pods = makeClient();
  await (await get(pods, podAt(up.origin))).dump();
  await pods.close();
  assert.equal(pods.stats().pools, 0);
  await assert.rejects(get(pods, podAt(up.origin)), (e: unknown) => e instanceof PodError && e.code === 'TRIO2O_POD_UNREACHABLE');
});
