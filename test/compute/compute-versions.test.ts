// Compute version documents need no token, and advertise the lowest maximum among the enabled pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud } from '../support/cloud';
import { call } from '../support/http';

test('GET / and /v2.1 answer without a token; max = lowest pod maximum, capped by config', async (t) => {
  const cloud = await startCloud([{ topAz: 'az1', computeMaxVersion: '2.79' }, { topAz: 'az2', computeMaxVersion: '2.60' }], {
    auth: {
      strategy: 'keystone',
      authUrl: 'http://keystone.invalid/v3',
      // Only the admin used to register pods is known; the test is about what needs no token.
      validator: { validate: async (t) => (t === 'tok-admin-user' ? { userId: 'admin-user', projectId: 'admin-project', roles: ['admin'], isAdmin: true } : null) },
    },
  });
  t.after(() => cloud.close());
  const root = await call(`${cloud.compute}/`);
  assert.equal(root.status, 200);
  assert.deepEqual(root.body.versions.map((v: { id: string }) => v.id), ['v2.0', 'v2.1']);
  const v21 = root.body.versions[1];
  assert.equal(v21.min_version, '2.1');
  assert.equal(v21.version, '2.60');
  assert.equal(v21.links[0].href, `${cloud.compute}/v2.1/`);
  for (const path of ['/v2.1', '/v2.1/']) {
    const r = await call(`${cloud.compute}${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(r.body.version.id, 'v2.1');
    assert.equal(r.body.version.version, '2.60');
    assert.equal(r.body.version.min_version, '2.1');
  }
  // Anything else needs a token under keystone auth.
  const servers = await call(`${cloud.compute}/v2.1/p1/servers`);
  assert.equal(servers.status, 401);
  assert.match(servers.headers.get('www-authenticate') ?? '', /^Keystone uri=/);
});

test('[compute_api] max_microversion caps the advertised maximum', async (t) => {
  const cloud = await startCloud([{ topAz: 'az1' }], { computeMaxVersion: '2.50' });
  t.after(() => cloud.close());
  const r = await call(`${cloud.compute}/v2.1`);
  assert.equal(r.body.version.version, '2.50');
});

test('the legacy v2.0 document the version list links to answers without a token', async (t) => {
  const cloud = await startCloud([{ topAz: 'az1' }]);
  t.after(() => cloud.close());
  const root = await call(`${cloud.compute}/`);
  const href = root.body.versions[0].links[0].href;
  const r = await call(href);
  assert.equal(r.status, 200);
  assert.equal(r.body.version.id, 'v2.0');
  assert.equal(r.body.version.status, 'SUPPORTED');
});
