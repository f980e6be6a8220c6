// Cinder version documents, microversion negotiation and the 401 answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, harness, P1, v3 } from './helpers';

const EXPECTED_VERSION = {
  id: 'v3.0',
  status: 'CURRENT',
  version: '3.70',
  min_version: '3.0',
  updated: '2023-08-31T00:00:00Z',
  links: [
    { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
    { rel: 'self', href: 'http://127.0.0.1:8776/volume/v3/' },
  ],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
};

test('GET /volume/ answers 300 with the v3.0 entry, no token needed', async (t) => {
  const h = harness();
  t.after(() => h.close());
  for (const path of ['/volume/', '/volume']) {
    const r = await call(h, 'GET', path, { token: null });
    assert.equal(r.status, 300, path);
    assert.deepEqual(r.body, { versions: [EXPECTED_VERSION] });
  }
  for (const path of ['/volume/v3', '/volume/v3/']) {
    const r = await call(h, 'GET', path, { token: null });
    assert.equal(r.status, 200, path);
    assert.deepEqual(r.body, { versions: [EXPECTED_VERSION] });
  }
});

test('microversion: none is 3.0, latest is max, both echoed with Vary', async (t) => {
  const h = harness();
  t.after(() => h.close());
  let r = await call(h, 'GET', v3(P1, 'volumes'));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('openstack-api-version'), 'volume 3.0');
  assert.equal(r.headers.get('vary'), 'OpenStack-API-Version');
  assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
  r = await call(h, 'GET', v3(P1, 'volumes'), { version: 'latest' });
  assert.equal(r.headers.get('openstack-api-version'), 'volume 3.70');
  r = await call(h, 'GET', v3(P1, 'volumes'), { version: '3.27' });
  assert.equal(r.headers.get('openstack-api-version'), 'volume 3.27');
});

test('microversion: malformed is 400, out of range is 406 computeFault', async (t) => {
  const h = harness();
  t.after(() => h.close());
  let r = await call(h, 'GET', v3(P1, 'volumes'), { version: '3.x' });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, {
    badRequest: {
      code: 400,
      message: 'API Version String 3.x is of invalid format. Must be of format MajorNum.MinorNum.',
    },
  });
  r = await call(h, 'GET', v3(P1, 'volumes'), { version: '3.71' });
  assert.equal(r.status, 406);
  assert.deepEqual(r.body, {
    computeFault: { code: 406, message: 'Version 3.71 is not supported by the API. Minimum is 3.0 and maximum is 3.70.' },
  });
  assert.equal(r.headers.get('openstack-api-version'), 'volume 3.71');
  r = await call(h, 'GET', v3(P1, 'volumes'), { version: '2.5' });
  assert.equal(r.status, 406);
});

test('no X-Auth-Token is 401 in keystonemiddleware shape; wrong URL project is 400', async (t) => {
  const h = harness();
  t.after(() => h.close());
  let r = await call(h, 'GET', v3(P1, 'volumes'), { token: null });
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, {
    error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
  });
  // Identity that ignores the URL: the token's project differs from the URL's.
  const h2 = harness({ identify: async () => ({ projectId: 'other', userId: 'u', roles: [], isAdmin: false }) });
  t.after(() => h2.close());
  r = await call(h2, 'GET', v3(P1, 'volumes'));
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Malformed request url' } });
});

test('3.67 URLs without project id take the project from the token', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const created = await call(h, 'POST', '/volume/v3/volumes', { project: P1, body: { volume: { size: 1 } } });
  assert.equal(created.status, 202);
  const id = created.body.volume.id;
  assert.equal(created.body.volume.links[0].href, `http://127.0.0.1:8776/volume/v3/volumes/${id}`);
  const shown = await call(h, 'GET', v3(P1, `volumes/${id}`));
  assert.equal(shown.status, 200);
  assert.equal(shown.body.volume['os-vol-tenant-attr:tenant_id'], P1);
  const unknown = await call(h, 'GET', v3(P1, 'no-such-thing'));
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
});
