// Identity modes of the pod: trust headers, and keystone token validation with a cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { nova, startPod } from './helpers';

/** A fake Keystone that knows one token; counts validations. */
async function fakeKeystone(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const app = new Hono();
  app.get('/v3/auth/tokens', (c) => {
    calls += 1;
    const tok = c.req.header('x-subject-token');
    if (c.req.header('x-auth-token') !== tok || tok !== 'good-token') return c.json({ error: { code: 404 } }, 404);
    return c.json({ token: { project: { id: 'kproj' }, user: { id: 'kuser' }, roles: [{ name: 'member' }, { name: 'admin' }] } });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v3`,
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test('keystone mode validates X-Auth-Token once per minute and takes identity from it', async (t) => {
  const ks = await fakeKeystone();
  t.after(() => ks.close());
  const pod = await startPod({ auth: { mode: 'keystone', keystoneUrl: ks.url } });
  t.after(() => pod.close());
  const bad = await nova(pod, '/servers', { token: 'bad-token' });
  assert.equal(bad.status, 401);
  const ok = await nova(pod, '/servers/detail?all_tenants=1', { token: 'good-token', project: 'ignored' });
  assert.equal(ok.status, 200, 'admin role from the token allows all_tenants');
  await nova(pod, '/servers', { token: 'good-token' });
  assert.equal(ks.calls(), 2, 'second use of good-token served from cache');
  const created = await nova(pod, '/servers', { token: 'good-token', body: { server: { name: 'k', flavorRef: '1', imageRef: [...pod.images.keys()][0] } } });
  assert.equal(created.status, 202);
  const s = pod.servers.get(created.body.server.id);
  assert.equal(s?.projectId, 'kproj');
  assert.equal(s?.userId, 'kuser');
  const mismatch = await nova(pod, '/servers', { token: 'good-token', project: 'other', projectInUrl: true });
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.badRequest.message, "Malformed request URL: URL's project_id 'other' doesn't match Context's project_id 'kproj'");
  assert.equal((await nova(pod, '/servers', { token: null })).status, 401);
});

test('trust mode: project from URL first, then X-Project-Id; roles from X-Roles', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const r = await nova(pod, '/servers', { project: 'urlp', projectInUrl: true, headers: { 'x-project-id': 'hdr' }, body: { server: { name: 'a', flavorRef: '1', imageRef: [...pod.images.keys()][0] } } });
  assert.equal(r.status, 202);
  assert.equal(pod.servers.get(r.body.server.id)?.projectId, 'urlp');
  assert.equal(pod.servers.get(r.body.server.id)?.userId, 'urlp-user');
  assert.equal((await nova(pod, '/os-services', { headers: { 'x-roles': 'reader' } })).status, 403);
  assert.equal((await nova(pod, '/os-services', { headers: { 'x-roles': 'reader,admin' } })).status, 200);
});
