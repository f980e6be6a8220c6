// Failures real Keystone cannot easily produce on demand (nothing listening, 5xx, a hung
// server, a garbled answer) must all become KeystoneUnavailableError (the caller answers 503),
// never a null that would turn an outage into "your token is invalid". Small stub servers here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeystoneClient, KeystoneUnavailableError, type KeystoneOptions } from '../../src/auth/keystone';
import { freePort } from '../support/keystone-server';

const USER_TOKEN = 'gAAAAAB-user-token-under-test';
const SECRET = 'service-secret-pw';

function options(authUrl: string, extra: Partial<KeystoneOptions> = {}): KeystoneOptions {
  return {
    authUrl, username: 'trio2o', password: SECRET, projectName: 'service', userDomainName: 'Default',
    projectDomainName: 'Default', tokenCacheSeconds: 60, ...extra,
  };
}

/** A stub Keystone on port 0; returns its /v3 URL and a closer. */
async function stub(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    authUrl: `http://127.0.0.1:${port}/v3`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** A token document as Keystone would send it, valid for an hour. */
function tokenDoc() {
  return JSON.stringify({
    token: {
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      user: { id: 'u1', name: 'trio2o', domain: { id: 'default' } },
      project: { id: 'p1', name: 'service', domain: { id: 'default' } },
      roles: [{ id: 'r1', name: 'service' }],
      catalog: [],
    },
  });
}

/** Answers password auth properly, and validation with `status` and `body`. */
function validationAnswers(status: number, body: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (req.method === 'POST') res.writeHead(201, { 'x-subject-token': 'svc-token', 'content-type': 'application/json' }).end(tokenDoc());
    else res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };
}

async function assertUnavailable(p: Promise<unknown>, status?: number, match?: RegExp): Promise<KeystoneUnavailableError> {
  const err = await p.then(() => assert.fail('expected KeystoneUnavailableError'), (e: unknown) => e);
  assert.ok(err instanceof KeystoneUnavailableError, String(err));
  assert.equal(err.code, 'TRIO2O_KEYSTONE_UNAVAILABLE');
  assert.equal(err.status, status);
  if (match) assert.match(err.message, match);
  assert.ok(!err.message.includes(SECRET) && !err.message.includes(USER_TOKEN), 'no secrets in the message');
  return err;
}

test('nothing listening: unavailable, and nothing is cached', async () => {
  const c = new KeystoneClient(options(`http://127.0.0.1:${await freePort()}/v3`));
  await assertUnavailable(c.validate(USER_TOKEN), undefined, /unreachable.*ECONNREFUSED/);
  await assertUnavailable(c.serviceToken(), undefined, /unreachable/);
  assert.deepEqual(c.stats(), { hits: 0, misses: 1, size: 0 });
  await c.close();
});

test('5xx on password auth or on validation: unavailable with the status', async () => {
  const down = await stub((req, res) => (req.resume(), res.writeHead(503).end('busy')));
  const c1 = new KeystoneClient(options(down.authUrl));
  await assertUnavailable(c1.validate(USER_TOKEN), 503, /password auth/);
  await c1.close();
  await down.close();

  const broken = await stub(validationAnswers(500, '{"error":{"code":500}}'));
  const c2 = new KeystoneClient(options(broken.authUrl));
  await assertUnavailable(c2.validate(USER_TOKEN), 500, /validation/);
  assert.equal(c2.stats().size, 0, 'an outage is not remembered as an invalid token');
  await c2.close();
  await broken.close();
});

test('a hung Keystone: unavailable after requestTimeoutMs', async () => {
  const hung = await stub((req) => req.resume()); // never answers
  const c = new KeystoneClient(options(hung.authUrl, { requestTimeoutMs: 300 }));
  const started = Date.now();
  await assertUnavailable(c.serviceToken(), undefined, /unreachable/);
  const took = Date.now() - started;
  assert.ok(took >= 250 && took < 5_000, `took ${took} ms`);
  await c.close();
  await hung.close();
});

test('a garbled or incomplete token document: unavailable, not a guess', async () => {
  const garbled = await stub(validationAnswers(200, '<html>proxy error</html>'));
  const c1 = new KeystoneClient(options(garbled.authUrl));
  await assertUnavailable(c1.validate(USER_TOKEN), 200, /not JSON/);
  await c1.close();
  await garbled.close();

  const partial = await stub(validationAnswers(200, JSON.stringify({ token: { user: { id: 'u' } } })));
  const c2 = new KeystoneClient(options(partial.authUrl));
  await assertUnavailable(c2.validate(USER_TOKEN), 200, /expires_at/);
  await c2.close();
  await partial.close();
});

test('a closed client refuses work', async () => {
  const c = new KeystoneClient(options('http://127.0.0.1:9/v3'));
  await c.close();
  await assertUnavailable(c.validate(USER_TOKEN), undefined, /closed/);
});

test('bad settings are rejected up front, naming the setting', () => {
  assert.throws(() => new KeystoneClient(options('keystone:5000')), /authUrl must be an http\(s\) URL/);
  assert.throws(() => new KeystoneClient(options('http://k/v3', { tokenCacheSeconds: -1 })), /tokenCacheSeconds/);
  assert.throws(() => new KeystoneClient(options('http://k/v3', { requestTimeoutMs: 0 })), /requestTimeoutMs/);
  assert.throws(() => new KeystoneClient(options('http://k/v3', { username: '' })), /username/);
});
