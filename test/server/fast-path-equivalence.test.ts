// The compute listener's fast route (src/server/fast-path.ts) must answer exactly what the Hono
// app answers. One gateway, two listeners on its compute app: one with the fast route in front
// (counting the requests it hands to the app), one with the app alone. Every request goes to both
// with the same Host header; status, the headers that matter, the body and the access-log line
// must be the same, and the plain cases must really have been served by the fast route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import type { TokenValidator, ValidatedIdentity } from '../../src/auth';

const HOST = 'gw.example:8774';
const P = 'proj-fast';
const who = identity(P);
const other = identity('proj-other');
const admin = identity('admin-project', ['admin'], 'admin-user');

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP/1.1 call (fetch cannot set Host, and would normalise the path). */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: HOST, ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Pair {
  cloud: Cloud;
  fast: Server;
  plain: Server;
  /** Requests the fast route handed to the app. */
  handedOver: number;
  close(): Promise<void>;
}

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
const closeServer = (s: Server) => new Promise<void>((r) => s.close(() => r()));

async function startPair(cloud: Cloud): Promise<Pair & { ports: { fast: number; plain: number } }> {
  const gw = cloud.gw.gateway;
  const fastRoute = gw.fast.compute;
  assert.ok(fastRoute, 'the compute listener has a fast route');
  const toApp = getRequestListener(gw.apps.compute.fetch);
  const pair = {
    cloud,
    handedOver: 0,
    fast: createServer((req, res) =>
      fastRoute(req, res, (rq, rs) => {
        pair.handedOver++;
        void toApp(rq, rs);
      }),
    ),
    plain: createServer(toApp),
    async close() {
      await Promise.all([closeServer(pair.fast), closeServer(pair.plain)]);
    },
  };
  const ports = { fast: await listen(pair.fast), plain: await listen(pair.plain) };
  return { ...pair, ports, close: pair.close, get handedOver() { return pair.handedOver; } };
}

/** Header values that must match (the rest is Date, or the pod's own x-compute-request-id, whose presence is compared). */
const COMPARED = ['content-type', 'content-length', 'transfer-encoding', 'openstack-api-version', 'x-openstack-nova-api-version', 'vary', 'location', 'retry-after', 'www-authenticate', 'etag'];
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The access-log line of request `id`, without what differs between two calls. */
function logLine(logs: string[], id: string): Record<string, unknown> | undefined {
  for (const l of logs) {
    const o = JSON.parse(l) as Record<string, unknown>;
    if (o.msg === 'request' || o.event === 'request') {
      if (o.request_id !== id) continue;
      const { request_id: _r, duration_ms: _d, time: _t, ts: _ts, ...rest } = o;
      return rest;
    }
  }
  return undefined;
}

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whether the fast route serves it (else it must hand it to the app). */
  fast: boolean;
  /** Runs before each of the two calls (a fault to inject). */
  arrange?: () => void | Promise<void>;
}

async function compare(pair: Awaited<ReturnType<typeof startPair>>, c: Case): Promise<Answer> {
  await c.arrange?.();
  const before = pair.handedOver;
  const viaFast = await send(pair.ports.fast, c.method, c.path, c.headers, c.body);
  assert.equal(pair.handedOver - before, c.fast ? 0 : 1, `${c.name}: ${c.fast ? 'served by the fast route' : 'handed to the app'}`);
  await c.arrange?.();
  const viaApp = await send(pair.ports.plain, c.method, c.path, c.headers, c.body);
  assert.equal(viaFast.status, viaApp.status, `${c.name}: status (${viaFast.body} / ${viaApp.body})`);
  for (const h of COMPARED) assert.equal(viaFast.headers[h], viaApp.headers[h], `${c.name}: header ${h}`);
  assert.equal('x-compute-request-id' in viaFast.headers, 'x-compute-request-id' in viaApp.headers, `${c.name}: x-compute-request-id present on both or neither`);
  const ids = [viaFast, viaApp].map((a) => a.headers['x-openstack-request-id'] as string);
  for (const id of ids) assert.match(id, REQUEST_ID, `${c.name}: request id`);
  const given = c.headers?.['x-openstack-request-id'];
  const kept = given !== undefined && REQUEST_ID.test(given);
  if (given !== undefined) for (const id of ids) assert.equal(id === given, kept, `${c.name}: a valid caller id is kept, another replaced`);
  assert.equal(viaFast.body, viaApp.body, `${c.name}: body`);
  const logs = pair.cloud.gw.logs;
  if (!kept) {
    assert.deepEqual(logLine(logs, ids[0]!), logLine(logs, ids[1]!), `${c.name}: access-log line`);
    assert.ok(logLine(logs, ids[0]!), `${c.name}: logged`);
  }
  return viaFast;
}

function cases(id: string, headers: Record<string, string>, otherHeaders: Record<string, string>): Case[] {
  const json = { ...headers, 'content-type': 'application/json' };
  const server = `/v2.1/${P}/servers/${id}`;
  return [
    { name: 'show', method: 'GET', path: server, headers, fast: true },
    { name: 'show at 2.79', method: 'GET', path: server, headers: { ...headers, 'openstack-api-version': 'compute 2.79' }, fast: true },
    { name: 'show at the legacy header 2.5', method: 'GET', path: server, headers: { ...headers, 'x-openstack-nova-api-version': '2.5' }, fast: true },
    { name: 'show at latest', method: 'GET', path: server, headers: { ...headers, 'openstack-api-version': 'compute latest' }, fast: true },
    { name: 'show with a bad microversion', method: 'GET', path: server, headers: { ...headers, 'openstack-api-version': 'compute 2.1000' }, fast: false },
    { name: 'show with a malformed microversion', method: 'GET', path: server, headers: { ...headers, 'openstack-api-version': 'volume 3.0' }, fast: false },
    { name: 'show keeping a valid caller request id', method: 'GET', path: server, headers: { ...headers, 'x-openstack-request-id': 'req-11111111-2222-3333-4444-555555555555' }, fast: true },
    { name: 'show with an invalid caller request id', method: 'GET', path: server, headers: { ...headers, 'x-openstack-request-id': 'mine' }, fast: true },
    { name: 'show with a body', method: 'GET', path: server, headers: json, body: '{"x": 1}', fast: true },
    { name: 'show of an unknown id', method: 'GET', path: `/v2.1/${P}/servers/00000000-0000-0000-0000-000000000000`, headers, fast: false },
    { name: 'show in another project', method: 'GET', path: server, headers: otherHeaders, fast: false },
    { name: 'show through the URL of another project', method: 'GET', path: `/v2.1/proj-other/servers/${id}`, headers, fast: false },
    { name: 'show as admin through the owner URL', method: 'GET', path: server, headers: admin, fast: true },
    { name: 'non-UTF-8 path', method: 'GET', path: `/v2.1/${P}/servers/%ff`, headers, fast: false },
    { name: 'encoded separator', method: 'GET', path: `/v2.1/${P}/servers/a%2Fb`, headers, fast: false },
    { name: 'trailing slash', method: 'GET', path: `${server}/`, headers, fast: false },
    { name: 'query string', method: 'GET', path: `${server}?x=1`, headers, fast: false },
    { name: 'servers/detail is the list', method: 'GET', path: `/v2.1/${P}/servers/detail`, headers, fast: false },
    { name: 'project-less form', method: 'GET', path: `/v2.1/servers/${id}`, headers, fast: false },
    { name: 'HEAD', method: 'HEAD', path: server, headers, fast: false },
    { name: 'rename', method: 'PUT', path: server, headers: json, body: JSON.stringify({ server: { name: 'renamed' } }), fast: true },
    { name: 'rename with malformed JSON', method: 'PUT', path: server, headers: json, body: '{"server": ', fast: true },
    { name: 'rename nested too deep', method: 'PUT', path: server, headers: json, body: '['.repeat(40) + ']'.repeat(40), fast: false },
    { name: 'console output', method: 'POST', path: `${server}/action`, headers: json, body: JSON.stringify({ 'os-getConsoleOutput': { length: 1 } }), fast: true },
    { name: 'an action the pod does not know', method: 'POST', path: `${server}/action`, headers: json, body: JSON.stringify({ 'no-such-action': {} }), fast: true },
    { name: 'malformed action body', method: 'POST', path: `${server}/action`, headers: json, body: '{"os-getConsoleOutput": ', fast: false },
    { name: 'two actions in one body', method: 'POST', path: `${server}/action`, headers: json, body: '{"os-getConsoleOutput": {}, "os-stop": null}', fast: false },
    { name: 'rebuild with an unknown key_name (a hooked action)', method: 'POST', path: `${server}/action`, headers: { ...json, 'openstack-api-version': 'compute 2.54' }, body: JSON.stringify({ rebuild: { imageRef: CIRROS_IMAGE_ID, key_name: 'nope' } }), fast: false },
    { name: 'action of another project', method: 'POST', path: `${server}/action`, headers: { ...otherHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ 'os-getConsoleOutput': {} }), fast: false },
    { name: 'DELETE keeps the app path', method: 'DELETE', path: `/v2.1/${P}/servers/00000000-0000-0000-0000-000000000001`, headers, fast: false },
  ];
}

/** Waits until the pod reports the server ACTIVE: a server still building changes between two calls. */
async function active(compute: string, id: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await call(`${compute}/v2.1/${P}/servers/${id}`, { headers });
    if (r.body?.server?.status === 'ACTIVE') return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`server ${id} did not become ACTIVE`);
}

let cloud: Cloud;
let pair: Awaited<ReturnType<typeof startPair>>;
let serverId: string;

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }], { pods: { requestTimeoutMs: 1_000, breakerThreshold: 3, breakerCooldownMs: 60_000 }, jobs: { enabled: false } });
  pair = await startPair(cloud);
  const created = await call(`${cloud.compute}/v2.1/${P}/servers`, { method: 'POST', headers: who, body: { server: { name: 'fast', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(created.status, 202, created.text);
  serverId = created.body.server.id;
  await active(cloud.compute, serverId, who);
});
after(async () => {
  await pair.close();
  await cloud.close();
});

test('noauth: every request answers the same through the fast route and the app', async () => {
  for (const c of cases(serverId, who, other)) await compare(pair, c);
  const shown = await send(pair.ports.fast, 'GET', `/v2.1/${P}/servers/${serverId}`, who);
  const body = JSON.parse(shown.body) as { server: { 'OS-EXT-AZ:availability_zone': string; links: { href: string }[]; name: string } };
  assert.equal(body.server['OS-EXT-AZ:availability_zone'], 'az1', 'the AZ is the top one');
  assert.ok(body.server.links.every((l) => l.href.startsWith(`http://${HOST}/`)), 'links point at the gateway');
  assert.equal(body.server.name, 'renamed');
});

test('pod failures: the same fault (an error answer that is not JSON, deadline, pod down, breaker open)', async () => {
  const path = `/v2.1/${P}/servers/${serverId}`;
  const pod = cloud.pods[0]!;
  // Each failure counts toward the breaker: every case starts from a closed one.
  const inject = (f: Parameters<typeof pod.inject>[0]) => () => {
    cloud.gw.gateway.parts.pods.forgetPod(cloud.podIds[0]!);
    pod.inject(f);
  };
  await compare(pair, { name: 'pod answers 500 in HTML', method: 'GET', path, headers: who, fast: true, arrange: inject({ kind: 'invalid_body', status: 500, text: '<html>oops</html>', contentType: 'text/html', times: 1 }) });
  await compare(pair, { name: 'pod answers 200 not JSON', method: 'GET', path, headers: who, fast: true, arrange: inject({ kind: 'invalid_body', text: '<html>', contentType: 'text/html', times: 1 }) });
  await compare(pair, { name: 'pod answers 409 JSON', method: 'GET', path, headers: who, fast: true, arrange: inject({ kind: 'status', status: 409, times: 1 }) });
  await compare(pair, { name: 'pod answers 503 with Retry-After too long to wait', method: 'GET', path, headers: who, fast: true, arrange: inject({ kind: 'status', status: 503, times: 1 }) });
  await compare(pair, { name: 'deadline', method: 'GET', path, headers: who, fast: true, arrange: inject({ kind: 'hang', times: 1 }) });
  pod.clearFaults();
  cloud.gw.gateway.parts.pods.forgetPod(cloud.podIds[0]!);
  pod.inject({ kind: 'down' });
  try {
    const down = await compare(pair, { name: 'pod down', method: 'GET', path, headers: who, fast: true });
    assert.equal(down.status, 503, down.body);
    // Two more failures (3 in all, the threshold) open the breaker; then both answer it.
    for (let i = 0; i < 4; i++) await send(pair.ports.plain, 'GET', path, who);
    assert.equal(cloud.gw.gateway.parts.pods.breakerState(cloud.podIds[0]!), 'open');
    const open = await compare(pair, { name: 'breaker open', method: 'GET', path, headers: who, fast: true });
    assert.equal(open.status, 503);
  } finally {
    await pod.up();
    cloud.gw.gateway.parts.pods.forgetPod(cloud.podIds[0]!);
  }
});

test('the fast route is off with fastPath: false', async () => {
  const c = await startCloud([{ topAz: 'az1' }], { fastPath: false, jobs: { enabled: false } });
  try {
    assert.equal(c.gw.gateway.fast.compute, undefined);
  } finally {
    await c.close();
  }
});

/** A validator like the Keystone client: a token is known once validated, then served from its cache. */
function stubKeystone(tokens: Record<string, ValidatedIdentity>): TokenValidator {
  const cache = new Map<string, ValidatedIdentity>();
  return {
    async validate(token) {
      const id = tokens[token] ?? null;
      if (id) cache.set(token, id);
      return id;
    },
    cached: (token) => cache.get(token),
  };
}

test('keystone: cached tokens take the fast route, the rest the app, with the same answers', async () => {
  const member = { userId: 'u1', projectId: P, roles: ['member'], isAdmin: false };
  const stranger = { userId: 'u2', projectId: 'proj-other', roles: ['member'], isAdmin: false };
  // The admin headers startCloud registers the pods with carry this token.
  const adminId = { userId: 'admin-user', projectId: 'admin-project', roles: ['admin'], isAdmin: true };
  const ks = await startCloud([{ topAz: 'az1' }], {
    auth: { strategy: 'keystone', validator: stubKeystone({ 'tok-member': member, 'tok-other': stranger, [admin['x-auth-token']!]: adminId }), authUrl: 'http://keystone.example/v3' },
    jobs: { enabled: false },
  });
  const ksPair = await startPair(ks);
  try {
    // Registration used noauth admin headers; keystone mode needs a token for the create.
    const created = await call(`${ks.compute}/v2.1/${P}/servers`, { method: 'POST', headers: { 'x-auth-token': 'tok-member' }, body: { server: { name: 'ks', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
    assert.equal(created.status, 202, created.text);
    const id = created.body.server.id as string;
    const token = { 'x-auth-token': 'tok-member' };
    await active(ks.compute, id, token);
    await compare(ksPair, { name: 'missing token', method: 'GET', path: `/v2.1/${P}/servers/${id}`, fast: false });
    await compare(ksPair, { name: 'invalid token', method: 'GET', path: `/v2.1/${P}/servers/${id}`, headers: { 'x-auth-token': 'tok-nobody' }, fast: false });
    await compare(ksPair, { name: 'another project token, not yet cached', method: 'GET', path: `/v2.1/${P}/servers/${id}`, headers: { 'x-auth-token': 'tok-other' }, fast: false });
    for (const c of cases(id, token, { 'x-auth-token': 'tok-other' })) await compare(ksPair, c);
  } finally {
    await ksPair.close();
    await ks.close();
  }
});
