// Token lifetimes against a real Keystone whose tokens live 5 s: an expired user token is
// refused and never served from cache past its expiry, and the service token is renewed at
// half-life (short-lived tokens) by a single request however many callers ask.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeystoneClient } from '../../src/auth/keystone';
import { startKeystone, type KeystoneHandle } from '../support/keystone';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';

/** Keystone [token] expiration for this file, seconds. */
const TOKEN_LIFETIME_S = 5;

let ks: KeystoneHandle;
let proxy: CountingProxy;
const clients: KeystoneClient[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function client(): KeystoneClient {
  const c = new KeystoneClient({
    authUrl: `${proxy.url}/v3`, username: 'trio2o', password: 'trio2o-pw', projectName: 'service',
    userDomainName: 'Default', projectDomainName: 'Default',
    tokenCacheSeconds: 300, // far longer than the tokens live: expiry must cut it short
  });
  clients.push(c);
  return c;
}
const posts = () => proxy.count('POST', '/v3/auth/tokens');

before(async () => {
  ks = await startKeystone({ tokenExpiration: TOKEN_LIFETIME_S });
  proxy = await startCountingProxy(ks.url);
  const service = await ks.createProject('service');
  await ks.createUser('trio2o', 'trio2o-pw', service, ['service']);
  const tenant = await ks.createProject('tenant');
  await ks.createUser('bob', 'bob-pw', tenant);
});
after(async () => {
  for (const c of clients) await c.close();
  await proxy?.close();
  await ks?.stop();
});

test('an expired token is null and never served from cache past its expiry', async () => {
  const c = client();
  await c.serviceToken(); // issued first, so it outlives bob's token
  const issued = await ks.issueToken('bob', 'bob-pw', 'tenant');
  const expiresAt = Date.parse(issued.expiresAt);
  assert.ok(expiresAt - Date.now() <= TOKEN_LIFETIME_S * 1000, 'Keystone honours the short expiration');
  const who = await c.validate(issued.token);
  assert.equal(who?.expiresAt.getTime(), expiresAt);
  assert.equal((await c.validate(issued.token))?.userName, 'bob', 'cached before expiry');
  const { hits } = c.stats();
  const seen = proxy.count('GET', '/v3/auth/tokens');
  await sleep(expiresAt - Date.now() + 50);
  assert.equal(await c.validate(issued.token), null);
  assert.equal(c.stats().hits, hits, 'the expired entry was not a hit');
  assert.equal(proxy.count('GET', '/v3/auth/tokens'), seen + 1, 'Keystone was asked and said no');
});

test('the service token is renewed at half-life, by one request for concurrent callers', async () => {
  const c = client();
  const before = posts();
  const issuedAt = Date.now();
  const first = await Promise.all(Array.from({ length: 5 }, () => c.serviceToken()));
  assert.equal(new Set(first).size, 1);
  assert.equal(posts(), before + 1, 'single flight');
  // Keystone truncates expires_at to whole seconds, so the lifetime is in (4, 5] s and renewal
  // falls between issuedAt + 2 s and issuedAt + 2.5 s.
  assert.ok(Date.now() < issuedAt + 2_000, 'machine too slow to check "not renewed early"');
  assert.equal(await c.serviceToken(), first[0], 'not renewed early');
  assert.equal(posts(), before + 1);
  await sleep(issuedAt + (TOKEN_LIFETIME_S * 1000) / 2 + 100 - Date.now());
  const second = await Promise.all(Array.from({ length: 5 }, () => c.serviceToken()));
  assert.equal(new Set(second).size, 1);
  assert.notEqual(second[0], first[0]);
  assert.equal(posts(), before + 2, 'one renewal');
  // The renewed token works: validation of a fresh user token succeeds with it.
  assert.equal((await c.validate((await ks.issueToken('bob', 'bob-pw', 'tenant')).token))?.userName, 'bob');
});
