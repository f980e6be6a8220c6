// The admin commands of the built dist/trio2o with a real Keystone, as an operator runs them:
// OS_* variables (password), clouds.yaml found on openstacksdk's search path with secure.yaml's
// password merged in, an existing token (catalog read from the token), a token with --endpoint,
// and the failures (bad password, a member without the admin role, no endpoint in the region).
// The admin API's URL comes from the catalog (service type trio2o-admin, registered by the bed).
// No password or token is ever printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloud, type Cloud } from '../../scripts/tempest/cloud';
import { startGatewayProcess, type GatewayProcess } from '../../scripts/tempest/gateway';
import { ensureBuilt } from '../ops/binary';
import { trio2o, type Run } from './run-binary';

let dir: string;
let cloud: Cloud;
let gw: GatewayProcess;
let adminEnv: Record<string, string>;
const secrets: string[] = [];

before(async () => {
  const exe = ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'trio2o-cli-ks-'));
  cloud = await startCloud({ pods: 1 });
  gw = await startGatewayProcess({ dir: join(dir, 'gateway'), cloud, command: exe });
  adminEnv = {
    HOME: dir,
    OS_AUTH_URL: `${cloud.keystone.url}/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: cloud.keystone.adminPassword,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
  };
  secrets.push(cloud.keystone.adminPassword);
});
after(async () => {
  await gw?.stop();
  await cloud?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Asserts exit 0 and that no secret reached either stream; returns stdout. */
function ok(r: Run): string {
  assert.equal(r.code, 0, `exit ${r.code}\n${r.stderr}`);
  noSecrets(r);
  return r.stdout;
}
function noSecrets(r: Run): void {
  for (const s of secrets) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a password or token was printed');
}
const podNames = (out: string) => out.trim().split('\n').sort();

test('OS_* variables: password authentication, the admin endpoint from the catalog', async () => {
  assert.deepEqual(podNames(ok(await trio2o(['pod', 'list', '-f', 'value', '-c', 'pod_name'], { env: adminEnv }))), ['Pod1', 'RegionOne']);
  const status = JSON.parse(ok(await trio2o(['status', '-f', 'json'], { env: adminEnv })));
  assert.equal(status.store.mode, 'standalone');
  assert.deepEqual(status.pods.map((p: { pod_name: string }) => p.pod_name).sort(), ['Pod1', 'RegionOne']);
  // The same through flags only, ids instead of names for the domains.
  const flags = ['--os-auth-url', adminEnv.OS_AUTH_URL!, '--os-username', 'admin', '--os-password', adminEnv.OS_PASSWORD!, '--os-project-name', 'admin', '--os-user-domain-id', 'default', '--os-project-domain-id', 'default', '--os-region-name', 'RegionOne'];
  assert.deepEqual(podNames(ok(await trio2o(['pod', 'list', '-f', 'value', '-c', 'pod_name', ...flags], { env: { HOME: dir } }))), ['Pod1', 'RegionOne']);
});

test('OS_CLOUD: clouds.yaml in ~/.config/openstack with the password in secure.yaml; ./clouds.yaml first', async () => {
  const home = join(dir, 'home');
  const conf = join(home, '.config', 'openstack');
  mkdirSync(conf, { recursive: true });
  const auth = `      auth_url: ${cloud.keystone.url}/v3\n      username: admin\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n`;
  writeFileSync(join(conf, 'clouds.yaml'), `clouds:\n  trio:\n    region_name: RegionOne\n    auth:\n${auth}`);
  writeFileSync(join(conf, 'secure.yaml'), `clouds:\n  trio:\n    auth:\n      password: ${cloud.keystone.adminPassword}\n`);
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const out = ok(await trio2o(['pod', 'show', 'Pod1', '-f', 'value', '-c', 'az_name'], { env: { HOME: home, OS_CLOUD: 'trio' }, cwd: work }));
  assert.equal(out, 'az1\n');
  // ./clouds.yaml comes first on the search path: a broken entry there shadows the good one.
  writeFileSync(join(work, 'clouds.yaml'), `clouds:\n  trio:\n    auth:\n${auth.replace(`${cloud.keystone.url}/v3`, 'http://127.0.0.1:9/v3')}`);
  const shadowed = await trio2o(['pod', 'list', '--os-cloud', 'trio'], { env: { HOME: home }, cwd: work });
  assert.equal(shadowed.code, 1);
  assert.match(shadowed.stderr, /^trio2o: cannot reach Keystone at http:\/\/127\.0\.0\.1:9\/v3\/auth\/tokens/);
  const missing = await trio2o(['pod', 'list', '--os-cloud', 'nope'], { env: { HOME: home }, cwd: work });
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `trio2o: cloud "nope" is not in ${join(work, 'clouds.yaml')} (it has: trio)\n`);
  noSecrets(shadowed);
});

test('OS_TOKEN: the catalog is read from the token itself; with --endpoint Keystone is not asked', async () => {
  const t = await cloud.keystone.issueToken('admin', cloud.keystone.adminPassword, 'admin');
  secrets.push(t.token);
  const env = { HOME: dir, OS_AUTH_URL: `${cloud.keystone.url}/v3`, OS_TOKEN: t.token };
  assert.deepEqual(podNames(ok(await trio2o(['pod', 'list', '-f', 'value', '-c', 'pod_name'], { env }))), ['Pod1', 'RegionOne']);
  const direct = await trio2o(['pod', 'list', '-f', 'value', '-c', 'pod_name', '--endpoint', gw.urls.admin], { env: { HOME: dir, OS_TOKEN: t.token } });
  assert.deepEqual(podNames(ok(direct)), ['Pod1', 'RegionOne']);
  await cloud.keystone.revokeToken(t.token);
  const revoked = await trio2o(['pod', 'list'], { env });
  assert.equal(revoked.code, 1);
  assert.match(revoked.stderr, /^trio2o: the token was not accepted: Keystone answered 401/);
  noSecrets(revoked);
});

test('failures: a wrong password, a member without the admin role, a region without the endpoint', async () => {
  const wrong = await trio2o(['pod', 'list'], { env: { ...adminEnv, OS_PASSWORD: 'not-the-password-xyz' } });
  secrets.push('not-the-password-xyz');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^trio2o: authentication of admin failed: Keystone answered 401/);
  noSecrets(wrong);

  const projectId = await cloud.keystone.createProject('cli-member');
  await cloud.keystone.createUser('cli-member', 'member-secret-123', projectId, ['member']);
  secrets.push('member-secret-123');
  const member = await trio2o(['pod', 'list'], { env: { ...adminEnv, OS_USERNAME: 'cli-member', OS_PASSWORD: 'member-secret-123', OS_PROJECT_NAME: 'cli-member' } });
  assert.equal(member.code, 1);
  assert.equal(member.stderr, "trio2o: Policy doesn't allow admin_api:pods:list to be performed.\n");
  noSecrets(member);

  const region = await trio2o(['status', '--os-region-name', 'Pod1'], { env: adminEnv });
  assert.equal(region.code, 1);
  assert.equal(region.stderr, 'trio2o: no public endpoint for service type trio2o-admin in region Pod1 in the catalog; register one or use --endpoint URL\n');
});
