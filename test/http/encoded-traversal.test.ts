// Encoded traversal (`%2f`, `%2e`, `%5c`, any case, also double-encoded `%252f`) under a routed id was
// forwarded verbatim to the pod, where a front end that decodes `%2F` would route it elsewhere. A path
// segment that decodes to a separator, a backslash, a control character or a dot segment is refused
// with 400 before any pod is contacted. (Single-encoded dot segments, `%2e%2e` alone, are resolved by
// URL parsing before routing, as RFC 3986 §5.2.4 removes dot segments: the gateway routes what it
// forwards.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity, ADMIN } from '../support/http';

const who = identity('proj-trav');
const REFUSED = { badRequest: { code: 400, message: 'The path has a segment that decodes to a path separator, a backslash, a control character or a dot segment; it is not accepted.' } };
let cloud: Cloud;
let server: string;
let volume: string;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  const s = await call(`${cloud.compute}/v2.1/proj-trav/servers`, { method: 'POST', headers: who, body: { server: { name: 't', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202, s.text);
  server = s.body.server.id;
  const v = await call(`${cloud.volume}/v3/proj-trav/volumes`, { method: 'POST', headers: who, body: { volume: { size: 1 } } });
  assert.equal(v.status, 202, v.text);
  volume = v.body.volume.id;
});
after(() => cloud.close());

/** Requests the pod saw for the test's resources (background jobs may ask the pod other things). */
const askedAbout = () => cloud.pods[0]!.requests.filter((q) => q.path.includes(server) || q.path.includes(volume)).length;

const TAILS = [
  '%2e%2e%2f%2e%2e%2fos-hypervisors',
  '..%2F..%2Fos-services',
  'metadata%2f..%2f..%2f..',
  '..%5c..%5cos-services',
  '..%5C..%5Cos-services',
  '..%252f..%252fos-services',
  '%252e%252e/%252e%252e/os-services',
  '%25252f',
  'action%00',
];

test('encoded traversal under a server or volume id: 400 in the fault shape, no pod asked', async () => {
  const seen = askedAbout();
  for (const tail of TAILS) {
    for (const [base, method] of [[`${cloud.compute}/v2.1/proj-trav/servers/${server}`, 'GET'], [`${cloud.compute}/v2.1/proj-trav/servers/${server}`, 'DELETE'], [`${cloud.volume}/v3/proj-trav/volumes/${volume}`, 'POST']] as const) {
      const r = await call(`${base}/${tail}`, { method, headers: who, ...(method === 'POST' ? { body: {} } : {}) });
      assert.equal(r.status, 400, `${method} ${tail}: ${r.text}`);
      assert.deepEqual(r.body, REFUSED, tail);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-/);
    }
  }
  assert.equal(askedAbout(), seen, 'no pod was contacted');
});

// Found by the hostile-input suite: `/v3/%/...` reached the pod, which failed to decode it (500).
test('malformed percent-encoding anywhere in the path: 400, no pod asked', async () => {
  const seen = askedAbout();
  for (const path of [`/v3/%/volumes/${volume}`, `/v3/proj-trav/volumes/${volume}/%zz`, `/v3/proj-trav/volumes/${volume}/metadata/a%`]) {
    const r = await call(`${cloud.volume}${path}`, { headers: { ...who, 'x-roles': 'admin' } });
    assert.deepEqual({ status: r.status, body: r.body }, { status: 400, body: { badRequest: { code: 400, message: 'The path has malformed percent-encoding (RFC 3986 §2.1); it is not accepted.' } } }, path);
  }
  assert.equal(askedAbout(), seen);
});

// Found by the hostile-input suite: `OPTIONS /v3/%E2%82/backups/{id}` answered 500.
test('percent-encoded octets that are not UTF-8: 400 on every method, no pod asked', async () => {
  const seen = askedAbout();
  for (const method of ['GET', 'OPTIONS', 'DELETE']) {
    for (const path of [`/v3/%E2%82/backups/${volume}`, `/v3/proj-trav/volumes/${volume}/metadata/%FF`]) {
      const r = await call(`${cloud.volume}${path}`, { method, headers: { ...who, 'x-roles': 'admin' } });
      assert.deepEqual({ status: r.status, body: r.body }, { status: 400, body: { badRequest: { code: 400, message: 'The path has percent-encoded octets that are not UTF-8 (RFC 3986 §2.5); it is not accepted.' } } }, `${method} ${path}`);
    }
  }
  assert.equal(askedAbout(), seen);
});

test('every listener refuses them, the admin API too', async () => {
  const r = await call(`${cloud.admin}/v1.0/pods/x%2f..%2fy`, { headers: ADMIN });
  assert.deepEqual({ status: r.status, body: r.body }, { status: 400, body: REFUSED });
});

test('encoded characters that are not traversal pass: a tag with a space or a percent sign', async () => {
  for (const tag of ['a b', '50%', 'x.y', '..x']) {
    const r = await call(`${cloud.compute}/v2.1/proj-trav/servers/${server}/tags/${encodeURIComponent(tag)}`, { method: 'PUT', headers: { ...who, 'openstack-api-version': 'compute 2.26' } });
    assert.ok(r.status === 201 || r.status === 204, `${tag}: ${r.status} ${r.text}`);
  }
  const tags = await call(`${cloud.compute}/v2.1/proj-trav/servers/${server}/tags`, { headers: { ...who, 'openstack-api-version': 'compute 2.26' } });
  assert.deepEqual(tags.body.tags.sort(), ['..x', '50%', 'a b', 'x.y']);
});
