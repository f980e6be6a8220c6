// Header allow-list: only X-Auth-Token, Content-Type, Accept, the microversion headers and
// User-Agent reach the pod, plus our request id; hop-by-hop headers are dropped both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeClient, podAt, startUpstream } from './upstream';

test('request headers: allow-list forwarded, identity/hop-by-hop/Host/Content-Length not, request id sent', async (t) => {
  const up = await startUpstream((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ headers: req.headers, url: req.url }));
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());

  const incoming = new Headers({
    'X-Auth-Token': 'gAAAA-user-token',
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'OpenStack-API-Version': 'compute 2.60',
    'X-OpenStack-Nova-API-Version': '2.60',
    'User-Agent': 'python-novaclient',
    'X-Roles': 'admin',
    'X-User-Id': 'u1',
    'X-Project-Id': 'p1',
    'X-Service-Catalog': '[{"huge": true}]',
    'X-Identity-Status': 'Confirmed',
    Host: 'gateway.example:19998',
    'Content-Length': '999',
    Connection: 'keep-alive, x-foo',
    'Keep-Alive': 'timeout=5',
    'X-Foo': 'hop',
    'X-OpenStack-Request-ID': 'req-from-client',
    Cookie: 'session=1',
  });
  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'POST',
    path: '/v2.1/p1/servers/abc/action',
    projectId: 'p1',
    headers: incoming,
    body: '{"reboot":{"type":"SOFT"}}',
    requestId: 'req-0123',
  });
  assert.equal(res.status, 200);
  const seen = await res.json<{ headers: Record<string, string>; url: string }>();
  assert.equal(seen.url, '/compute/v2.1/p1/servers/abc/action');
  const h = seen.headers;
  assert.equal(h['x-auth-token'], 'gAAAA-user-token');
  assert.equal(h['content-type'], 'application/json');
  assert.equal(h['accept'], 'application/json');
  assert.equal(h['openstack-api-version'], 'compute 2.60');
  assert.equal(h['x-openstack-nova-api-version'], '2.60');
  assert.equal(h['user-agent'], 'python-novaclient');
  assert.equal(h['x-openstack-request-id'], 'req-0123');
  for (const name of ['x-roles', 'x-user-id', 'x-project-id', 'x-service-catalog', 'x-identity-status', 'x-foo', 'keep-alive', 'cookie']) {
    assert.equal(h[name], undefined, name);
  }
  assert.equal(h['host'], `127.0.0.1:${up.port}`, 'Host is the pod, set by undici');
  assert.equal(h['content-length'], String('{"reboot":{"type":"SOFT"}}'.length), 'Content-Length computed by undici');
});

test('a header the client names in Connection is not forwarded, even if allow-listed (plain record input)', async (t) => {
  const up = await startUpstream((req, res) => res.end(JSON.stringify(req.headers)));
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());
  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'GET',
    path: '/v2.1/p1/servers',
    projectId: 'p1',
    headers: { connection: 'User-Agent', 'user-agent': 'sneaky', 'X-Auth-Token': 'tok', 'x-roles': 'admin' },
    requestId: 'req-1',
  });
  const h = await res.json<Record<string, string>>();
  assert.notEqual(h['user-agent'], 'sneaky');
  assert.equal(h['x-auth-token'], 'tok');
  assert.equal(h['x-roles'], undefined);
});

test('response: hop-by-hop headers and those named in Connection are dropped, the rest kept', async (t) => {
  const up = await startUpstream((_req, res) => {
    res.setHeader('Connection', 'keep-alive, X-Pod-Secret');
    res.setHeader('Keep-Alive', 'timeout=5');
    res.setHeader('X-Pod-Secret', 'internal');
    res.setHeader('X-OpenStack-Request-ID', 'req-pod-side');
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.setHeader('Content-Type', 'application/json');
    res.write('{"ok":');
    res.end('true}'); // chunked: Transfer-Encoding must not reach the caller
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());
  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'compute',
    method: 'GET',
    path: '/v2.1/p1/servers',
    projectId: 'p1',
    headers: {},
    requestId: 'req-2',
  });
  assert.deepEqual(await res.json(), { ok: true });
  for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'x-pod-secret']) {
    assert.equal(res.headers[name], undefined, name);
  }
  assert.equal(res.headers['x-openstack-request-id'], 'req-pod-side');
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
});
