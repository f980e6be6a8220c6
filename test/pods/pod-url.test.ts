// podUrl: the original's get_bottom_url rule (endpoint prefix up to its version segment,
// then the top path after its own version segment, then the query string).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podRootTarget, podTarget, podUrl } from '../../src/pods';

const TOP = '/v3/my_tenant_id/volumes';

test('the original get_bottom_url table', () => {
  const cases: [string, string][] = [
    ['http://127.0.0.1:8774/v2.1/$(tenant_id)s', 'http://127.0.0.1:8774/v2.1/my_tenant_id/volumes'],
    ['http://127.0.0.1:8774/', 'http://127.0.0.1:8774/my_tenant_id/volumes'],
    ['http://127.0.0.1:8774/v2.1', 'http://127.0.0.1:8774/v2.1/my_tenant_id/volumes'],
    ['http://127.0.0.1:8774/v2.1/', 'http://127.0.0.1:8774/v2.1/my_tenant_id/volumes'],
  ];
  for (const [endpoint, expected] of cases) {
    assert.equal(podUrl(endpoint, TOP, undefined, 'my_tenant_id'), expected, endpoint);
  }
});

test('the original get_version_from_url shapes keep the endpoint path prefix', () => {
  assert.equal(podUrl('http://h/volume/v3/$(tenant_id)s', TOP, '', 'x'), 'http://h/volume/v3/my_tenant_id/volumes');
  assert.equal(podUrl('https://h/', TOP, '', 'x'), 'https://h/my_tenant_id/volumes');
  assert.equal(podUrl('https://h/sss/', TOP, '', 'x'), 'https://h/sss/my_tenant_id/volumes');
});

test('every template spelling is ignored after a version segment (the top path carries the project)', () => {
  for (const tpl of ['$(tenant_id)s', '$(project_id)s', '%(tenant_id)s', '%(project_id)s']) {
    assert.equal(
      podUrl(`http://h:8774/compute/v2.1/${tpl}`, '/v2.1/p1/servers/abc/action', undefined, 'OTHER'),
      'http://h:8774/compute/v2.1/p1/servers/abc/action',
      tpl,
    );
  }
});

test('an endpoint without version segment keeps its whole path, templates filled (and encoded)', () => {
  for (const tpl of ['$(tenant_id)s', '$(project_id)s', '%(tenant_id)s', '%(project_id)s']) {
    assert.equal(podUrl(`http://h/custom/${tpl}`, '/v3/p1/volumes', undefined, 'p 1'), 'http://h/custom/p%201/p1/volumes', tpl);
  }
});

test('query strings pass through verbatim, with or without "?"', () => {
  const ep = 'http://h/compute/v2.1/$(tenant_id)s';
  assert.equal(podUrl(ep, '/v2.1/p/servers/detail', '?limit=2&marker=a', 'p'), 'http://h/compute/v2.1/p/servers/detail?limit=2&marker=a');
  assert.equal(podUrl(ep, '/v2.1/p/servers/detail', 'limit=2', 'p'), 'http://h/compute/v2.1/p/servers/detail?limit=2');
  assert.equal(podUrl(ep, '/v2.1/p/servers', '?', 'p'), 'http://h/compute/v2.1/p/servers');
  assert.equal(podUrl(ep, '/v2.1/p/servers', '', 'p'), 'http://h/compute/v2.1/p/servers');
});

test('version-only and minor-version top paths', () => {
  assert.equal(podUrl('http://h/compute/v2.1/$(tenant_id)s', '/v2.1', undefined, 'p'), 'http://h/compute/v2.1');
  assert.equal(podUrl('http://h/compute/v2.1/$(tenant_id)s', '/v2.1/', undefined, 'p'), 'http://h/compute/v2.1/');
  assert.equal(podUrl('http://h:8776/v3/$(tenant_id)s', '/v3/p/volumes/detail', undefined, 'p'), 'http://h:8776/v3/p/volumes/detail');
  // A segment that only looks like a version (v2beta) is not one.
  assert.equal(podUrl('http://h/v2beta/v2.1', '/v2.1/p/x', undefined, 'p'), 'http://h/v2beta/v2.1/p/x');
});

test('podTarget splits into the pool origin (default port dropped) and the request path', () => {
  assert.deepEqual(podTarget('https://h:443/compute/v2.1/%(tenant_id)s', '/v2.1/p1/servers/x', '?a=1', 'p1'), {
    origin: 'https://h',
    path: '/compute/v2.1/p1/servers/x?a=1',
  });
  assert.deepEqual(podTarget('http://10.0.0.1:8774', '/v2.1/p1/flavors', undefined, 'p1'), {
    origin: 'http://10.0.0.1:8774',
    path: '/p1/flavors',
  });
});

test('a non-http endpoint or a relative one is rejected', () => {
  assert.throws(() => podUrl('ftp://h/v2.1', '/v2.1/p/x', undefined, 'p'), TypeError);
  assert.throws(() => podUrl('/v2.1/$(tenant_id)s', '/v2.1/p/x', undefined, 'p'), TypeError);
});

test('podRootTarget: the unversioned root of an endpoint, where a version list lives', () => {
  assert.deepEqual(podRootTarget('http://127.0.0.1:8776/v3/%(project_id)s'), { origin: 'http://127.0.0.1:8776', path: '/' });
  assert.deepEqual(podRootTarget('http://h/volume/v3/$(tenant_id)s'), { origin: 'http://h', path: '/volume/' });
  assert.deepEqual(podRootTarget('http://h:8774/compute/v2.1'), { origin: 'http://h:8774', path: '/compute/' });
  assert.deepEqual(podRootTarget('http://h:9292'), { origin: 'http://h:9292', path: '/' });
});
