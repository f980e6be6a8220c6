// KeystoneClient.validate against a real Keystone: identity contents, invalid and revoked
// tokens, and the cache. A counting proxy sits between client and Keystone, so "served from
// cache" is proven by Keystone not seeing the request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeystoneClient, KeystoneUnavailableError, MAX_TOKEN_LENGTH, type KeystoneOptions } from '../../src/auth/keystone';
import { startKeystone, uniqueName, type KeystoneHandle } from '../support/keystone';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';

let ks: KeystoneHandle;
let proxy: CountingProxy;
let projectId: string;
const clients: KeystoneClient[] = [];
const alice = { name: uniqueName('alice'), password: 'alice-pw' };
const project = uniqueName('tenant');

/** A client as the gateway's service user, through the counting proxy. */
function client(extra: Partial<KeystoneOptions> = {}): KeystoneClient {
  const c = new KeystoneClient({
    authUrl: `${proxy.url}/v3`,
    username: 'trio2o',
    password: 'trio2o-pw',
    projectName: 'service',
    userDomainName: 'Default',
    projectDomainName: 'Default',
    tokenCacheSeconds: 300,
    ...extra,
  });
  clients.push(c);
  return c;
}
const validations = () => proxy.count('GET', '/v3/auth/tokens');
const aliceToken = () => ks.issueToken(alice.name, alice.password, project);

before(async () => {
  ks = await startKeystone();
  proxy = await startCountingProxy(ks.url);
  const serviceProject = await ks.createProject('service');
  await ks.createUser('trio2o', 'trio2o-pw', serviceProject, ['service']);
  projectId = await ks.createProject(project);
  await ks.createUser(alice.name, alice.password, projectId, ['member']);
  await ks.createRegion('Pod1');
  const nova = await ks.createService('compute', 'nova');
  const cinder = await ks.createService('volumev3', 'cinderv3');
  await ks.createEndpoint('Pod1', nova, 'http://127.0.0.1:18774/v2.1');
  await ks.createEndpoint('Pod1', cinder, 'http://127.0.0.1:18776/v3/%(project_id)s');
  await ks.createEndpoint('RegionOne', nova, 'http://127.0.0.1:19998/v2.1');
});
after(async () => {
  for (const c of clients) await c.close();
  await proxy?.close();
  await ks?.stop();
});

test('a valid token yields the identity with project, roles and catalog', async () => {
  const issued = await aliceToken();
  const who = await client().validate(issued.token);
  assert.ok(who);
  assert.equal(who.userId, issued.userId);
  assert.equal(who.userName, alice.name);
  assert.equal(who.projectId, projectId);
  assert.equal(who.projectName, project);
  assert.equal(who.domainId, 'default');
  assert.ok(who.roles.includes('member'), `roles: ${who.roles.join(',')}`);
  assert.equal(who.isAdmin, false);
  assert.equal(who.expiresAt.getTime(), Date.parse(issued.expiresAt));
  const compute = who.catalog.find((s) => s.type === 'compute');
  assert.deepEqual(compute?.endpoints.map((e) => [e.region, e.interface, e.url]).sort(), [
    ['Pod1', 'public', 'http://127.0.0.1:18774/v2.1'],
    ['RegionOne', 'public', 'http://127.0.0.1:19998/v2.1'],
  ]);
  const volume = who.catalog.find((s) => s.type === 'volumev3');
  // Keystone expands %(project_id)s in the token's catalog.
  assert.equal(volume?.endpoints[0]?.url, `http://127.0.0.1:18776/v3/${projectId}`);
  assert.equal(volume?.name, 'cinderv3');
});

test('the admin role makes isAdmin true', async () => {
  const who = await client().validate((await ks.issueToken('admin', ks.adminPassword, 'admin')).token);
  assert.equal(who?.isAdmin, true);
  assert.ok(who?.roles.includes('admin'));
});

test('a cached validation is served without asking Keystone', async () => {
  const c = client();
  const { token } = await aliceToken();
  const first = await c.validate(token);
  const seen = validations();
  const before = c.stats();
  const again = await c.validate(token);
  assert.deepEqual(again, first);
  assert.equal(validations(), seen, 'Keystone must not be asked again');
  assert.deepEqual(c.stats(), { hits: before.hits + 1, misses: before.misses, size: 1 });
});

test('cached() answers from the cache alone: a valid cached identity, else undefined', async () => {
  const c = client();
  const { token } = await aliceToken();
  const seen = validations();
  assert.equal(c.cached(token), undefined, 'not validated yet');
  assert.deepEqual(c.stats(), { hits: 0, misses: 0, size: 0 }, 'a cache miss of cached() is not counted');
  const first = await c.validate(token);
  assert.deepEqual(c.cached(token), first);
  assert.equal(validations(), seen + 1, 'only validate() asked Keystone');
  assert.deepEqual(c.stats(), { hits: 1, misses: 1, size: 1 });
  assert.equal(await c.validate('gAAAAAB-not-a-real-token'), null);
  assert.equal(c.cached('gAAAAAB-not-a-real-token'), undefined, 'a refusal is not an identity');
  for (const junk of ['', 'a'.repeat(MAX_TOKEN_LENGTH + 1), 'gAAAA bad']) assert.equal(c.cached(junk), undefined);
});

test('a garbage token is null, and the refusal is cached briefly', async () => {
  const c = client();
  assert.equal(await c.validate('gAAAAAB-not-a-real-token'), null);
  const seen = validations();
  assert.equal(await c.validate('gAAAAAB-not-a-real-token'), null);
  assert.equal(validations(), seen);
  assert.deepEqual(c.stats(), { hits: 1, misses: 1, size: 1 });
});

test('empty, oversized or non-printable tokens are null without asking Keystone', async () => {
  const c = client();
  const seen = validations();
  for (const junk of ['', 'a'.repeat(MAX_TOKEN_LENGTH + 1), 'gAAAA bad', 'gAAAA\u00e9', 'tab\there']) {
    assert.equal(await c.validate(junk), null);
  }
  assert.equal(validations(), seen);
});

test('a revoked token is served from cache until its entry ends, then null', async () => {
  const ttlMs = 3_000;
  const c = client({ tokenCacheSeconds: ttlMs / 1000 });
  const { token } = await aliceToken();
  const asked = Date.now(); // the entry ends between asked + ttl and answered + ttl
  assert.ok(await c.validate(token));
  const answered = Date.now();
  await ks.revokeToken(token);
  const seen = validations();
  assert.ok(Date.now() < asked + ttlMs, 'machine too slow: the entry ended before it could be checked');
  assert.ok(await c.validate(token), 'still valid from cache right after revocation');
  assert.equal(validations(), seen);
  await new Promise((r) => setTimeout(r, answered + ttlMs + 50 - Date.now()));
  assert.equal(await c.validate(token), null);
  assert.equal(validations(), seen + 1, 'Keystone was asked once the entry had ended');
});

test('concurrent validations of one token share one Keystone request', async () => {
  const c = client();
  const { token } = await aliceToken();
  const seen = validations();
  const all = await Promise.all(Array.from({ length: 8 }, () => c.validate(token)));
  assert.equal(validations(), seen + 1);
  assert.ok(all.every((who) => who?.userName === alice.name));
});

test('the cache is bounded and evicts the oldest entry', async () => {
  const c = client({ cacheMaxEntries: 2 });
  const tokens = [await aliceToken(), await aliceToken(), await aliceToken()].map((t) => t.token);
  for (const t of tokens) await c.validate(t);
  assert.equal(c.stats().size, 2);
  const seen = validations();
  await c.validate(tokens[2]!); // newest: cached
  assert.equal(validations(), seen);
  await c.validate(tokens[0]!); // oldest: evicted, asked again
  assert.equal(validations(), seen + 1);
});

test('the service token is cached and its catalog covers every region', async () => {
  const c = client();
  const posts = proxy.count('POST', '/v3/auth/tokens');
  const [a, b] = await Promise.all([c.serviceToken(), c.serviceToken()]);
  assert.equal(a, b);
  assert.equal(await c.serviceToken(), a);
  assert.equal(proxy.count('POST', '/v3/auth/tokens'), posts + 1);
  const regions = (await c.serviceCatalog()).flatMap((s) => s.endpoints.map((e) => `${s.type}@${e.region}`));
  for (const want of ['compute@Pod1', 'compute@RegionOne', 'volumev3@Pod1', 'identity@RegionOne']) {
    assert.ok(regions.includes(want), `${want} missing from ${regions.join(' ')}`);
  }
});

test('a revoked service token is renewed once and the validation retried', async () => {
  const c = client();
  const old = await c.serviceToken();
  await ks.revokeToken(old);
  const token = (await aliceToken()).token; // issued directly, not through the proxy
  const posts = proxy.count('POST', '/v3/auth/tokens');
  const seen = validations();
  const who = await c.validate(token);
  assert.equal(who?.userName, alice.name);
  assert.equal(proxy.count('POST', '/v3/auth/tokens'), posts + 1, 'one renewal');
  assert.equal(validations(), seen + 2, 'refused with the old token, accepted with the new one');
  assert.notEqual(await c.serviceToken(), old);
});

test('a service user without permission to validate gets KeystoneUnavailableError (403)', async () => {
  const c = client({ username: alice.name, password: alice.password, projectName: project });
  const err = await c.validate((await ks.issueToken('admin', ks.adminPassword, 'admin')).token).catch((e: unknown) => e);
  assert.ok(err instanceof KeystoneUnavailableError, String(err));
  assert.equal(err.status, 403);
});

test('wrong service credentials give KeystoneUnavailableError without the password in it', async () => {
  const c = client({ password: 'wrong-secret-xyz' });
  const err = await c.validate((await aliceToken()).token).catch((e: unknown) => e);
  assert.ok(err instanceof KeystoneUnavailableError);
  assert.equal(err.code, 'TRIO2O_KEYSTONE_UNAVAILABLE');
  assert.equal(err.status, 401);
  assert.ok(!err.message.includes('wrong-secret-xyz'));
});

test('Keystone down: cached tokens still validate, others throw KeystoneUnavailableError', async () => {
  const own = await startCountingProxy(ks.url);
  const c = new KeystoneClient({
    authUrl: `${own.url}/v3`, username: 'trio2o', password: 'trio2o-pw', projectName: 'service',
    userDomainName: 'Default', projectDomainName: 'Default', tokenCacheSeconds: 300,
  });
  clients.push(c);
  const known = (await aliceToken()).token;
  const unknown = (await aliceToken()).token;
  assert.ok(await c.validate(known));
  await own.close();
  assert.ok(await c.validate(known), 'cached identity survives an outage');
  const err = await c.validate(unknown).catch((e: unknown) => e);
  assert.ok(err instanceof KeystoneUnavailableError, String(err));
  assert.equal(err.code, 'TRIO2O_KEYSTONE_UNAVAILABLE');
  assert.match(err.message, /unreachable/);
  assert.ok(!err.message.includes(unknown));
});
