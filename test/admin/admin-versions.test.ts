// Admin API version documents, method handling and request ids (405 for unserved methods on known paths).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { call, ADMIN } from '../support/http';

let gw: TestGateway;
before(async () => {
  gw = await startTestGateway();
});
after(() => gw.close());

test('GET / lists exactly one version, v1.0, linking to the gateway', async () => {
  const r = await call(`${gw.urls.admin}/`, { headers: ADMIN });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, {
    versions: [{ status: 'CURRENT', links: [{ rel: 'self', href: `${gw.urls.admin}/v1.0/` }], id: 'v1.0', updated: '2015-09-09' }],
  });
});

test('GET /v1.0 gives version 1.0 and sorted resource links', async () => {
  const r = await call(`${gw.urls.admin}/v1.0`, { headers: ADMIN });
  assert.equal(r.status, 200);
  assert.equal(r.body.version, '1.0');
  assert.deepEqual(
    r.body.links.map((l: { rel: string }) => l.rel),
    ['self', 'bindings', 'jobs', 'pods', 'routings', 'status'],
  );
});

for (const path of ['/', '/v1.0']) {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    test(`${method} ${path} answers 405 badMethod`, async () => {
      const r = await call(`${gw.urls.admin}${path}`, { method, headers: ADMIN });
      assert.equal(r.status, 405);
      assert.equal(r.body.badMethod.code, 405);
    });
  }
}

test('unknown paths answer 404 in the fault shape', async () => {
  for (const [method, path] of [['GET', '/fake_path'], ['PATCH', '/v1.0/123']]) {
    const r = await call(`${gw.urls.admin}${path}`, { method, headers: ADMIN });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
  }
});

test('every response carries x-openstack-request-id req-<uuid>; a valid caller id is kept', async () => {
  const r = await call(`${gw.urls.admin}/v1.0`, { headers: ADMIN });
  assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
  const mine = 'req-12345678-1234-4234-8234-123456789abc';
  const kept = await call(`${gw.urls.admin}/v1.0/nope`, { headers: { ...ADMIN, 'x-openstack-request-id': mine } });
  assert.equal(kept.headers.get('x-openstack-request-id'), mine);
  const bogus = await call(`${gw.urls.admin}/v1.0`, { headers: { ...ADMIN, 'x-openstack-request-id': 'req-not-a-uuid' } });
  assert.notEqual(bogus.headers.get('x-openstack-request-id'), 'req-not-a-uuid');
  assert.match(bogus.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
});
