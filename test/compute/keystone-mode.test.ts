// The gateway in keystone mode end to end (in process): real Keystone validates tokens, pod
// endpoints come from the Keystone catalog (no overrides), pods validate the forwarded token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKeystone, type KeystoneHandle } from '../support/keystone';
import { CIRROS_IMAGE_ID, startSimPod, type SimPod } from '@trio2o/podsim';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { KeystoneClient } from '../../src/auth/keystone';
import { call } from '../support/http';
import { eventually } from '../support/cloud';

let ks: KeystoneHandle;
let pods: SimPod[];
let gw: TestGateway;
let client: KeystoneClient;
let admin: string;
let demo: { token: string; projectId: string };
let other: { token: string; projectId: string };

before(async () => {
  ks = await startKeystone();
  const keystoneUrl = `${ks.url}/v3`;
  pods = [await startSimPod({ name: 'Pod1', az: 'nova', auth: { mode: 'keystone', keystoneUrl } }), await startSimPod({ name: 'Pod2', az: 'nova', auth: { mode: 'keystone', keystoneUrl } })];
  const compute = await ks.createService('compute', 'nova');
  const volume = await ks.createService('volumev3', 'cinderv3');
  for (const p of pods) {
    await ks.createRegion(p.name);
    await ks.createEndpoint(p.name, compute, p.endpoints.compute);
    await ks.createEndpoint(p.name, volume, p.endpoints.volumev3);
  }
  const demoProject = await ks.createProject('demo');
  await ks.createUser('demo', 'demo-pass', demoProject, ['member']);
  const otherProject = await ks.createProject('other');
  await ks.createUser('other', 'other-pass', otherProject, ['member']);
  demo = await ks.issueToken('demo', 'demo-pass', 'demo');
  other = await ks.issueToken('other', 'other-pass', 'other');
  admin = await ks.adminToken();
  client = new KeystoneClient({
    authUrl: keystoneUrl,
    username: 'admin',
    password: ks.adminPassword,
    projectName: 'admin',
    userDomainName: 'Default',
    projectDomainName: 'Default',
    tokenCacheSeconds: 300,
  });
  gw = await startTestGateway({
    auth: { strategy: 'keystone', validator: client, authUrl: keystoneUrl },
    catalog: { catalog: () => client.serviceCatalog() },
  });
  const A = { 'x-auth-token': admin };
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: A, body: { pod: { pod_name: 'RegionOne' } } })).status, 200);
  for (const [i, p] of pods.entries()) {
    const r = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: A, body: { pod: { pod_name: p.name, az_name: `az${i + 1}`, pod_az_name: 'nova' } } });
    assert.equal(r.status, 200, r.text);
  }
});
after(async () => {
  await gw?.close();
  await client?.close();
  await Promise.all((pods ?? []).map((p) => p.close()));
  await ks?.stop();
});

test('no token and a bogus token are 401 with WWW-Authenticate; version documents need none', async () => {
  const none = await call(`${gw.urls.compute}/v2.1/servers`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), `Keystone uri="${ks.url}/v3"`);
  assert.equal((await call(`${gw.urls.compute}/v2.1/servers`, { headers: { 'x-auth-token': 'bogus' } })).status, 401);
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`)).status, 401);
  assert.equal((await call(`${gw.urls.compute}/v2.1`)).status, 200);
});

test('a member is 403 on the admin API; the admin is 200', async () => {
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { headers: { 'x-auth-token': demo.token } })).status, 403);
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { headers: { 'x-auth-token': admin } })).status, 200);
});

test('create in az2 with a real token: endpoint from the catalog, the pod sees the token, not identity headers', async () => {
  const r = await call(`${gw.urls.compute}/v2.1/${demo.projectId}/servers`, {
    method: 'POST',
    headers: { 'x-auth-token': demo.token, 'x-roles': 'admin', 'x-project-id': 'evil' },
    body: { server: { name: 'ks-vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } },
  });
  assert.equal(r.status, 202, r.text);
  const id = r.body.server.id;
  const sent = pods[1]!.requests.find((q) => q.method === 'POST' && q.path.endsWith('/servers'))!;
  assert.equal(sent.headers['x-auth-token'], demo.token);
  assert.equal(sent.headers['x-roles'], undefined);
  assert.equal(sent.headers['x-project-id'], undefined);
  assert.equal(pods[0]!.requests.filter((q) => q.method === 'POST').length, 0);
  await eventually(async () => (await call(`${gw.urls.compute}/v2.1/servers/${id}`, { headers: { 'x-auth-token': demo.token } })).body?.server?.status === 'ACTIVE');
  const show = await call(`${gw.urls.compute}/v2.1/servers/${id}`, { headers: { 'x-auth-token': demo.token } });
  assert.equal(show.body.server['OS-EXT-AZ:availability_zone'], 'az2');
  assert.equal(show.body.server.tenant_id, demo.projectId);
});

test("another project's token cannot use this project's URL (403), nor see its server through the pod", async () => {
  const r = await call(`${gw.urls.compute}/v2.1/${demo.projectId}/servers`, { headers: { 'x-auth-token': other.token } });
  assert.equal(r.status, 403);
  const mine = await call(`${gw.urls.compute}/v2.1/${demo.projectId}/servers`, { headers: { 'x-auth-token': demo.token } });
  assert.equal(mine.status, 200);
  const id = mine.body.servers[0]?.id;
  assert.ok(id, 'the demo server is listed for its project');
  const theirs = await call(`${gw.urls.compute}/v2.1/servers/${id}`, { headers: { 'x-auth-token': other.token } });
  assert.equal(theirs.status, 404, 'the owning pod enforces ownership with the caller token');
});

test('validations are cached: repeated calls do not ask Keystone again', async () => {
  const before = client.stats();
  for (let i = 0; i < 5; i++) await call(`${gw.urls.compute}/v2.1/servers`, { headers: { 'x-auth-token': demo.token } });
  const after = client.stats();
  assert.equal(after.misses, before.misses);
  assert.ok(after.hits >= before.hits + 5);
});
