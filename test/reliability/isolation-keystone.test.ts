// Isolation with a real Keystone: two projects bound to the same pod. Every by-id route of each
// service (servers, volumes, snapshots, backups, attachments and their sub-resources) tried by one
// project on the other's ids (GET, PUT, POST action, DELETE) is refused and leaves the other
// project's resources and routings intact; every admin route is 403 for members; identity headers a
// client sends are never believed nor forwarded to a pod.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID, startSimPod, type SimPod } from '@trio2o/podsim';
import { startKeystone, type KeystoneHandle } from '../support/keystone';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { eventually } from '../support/cloud';
import { call, type Reply } from '../support/http';
import { KeystoneClient } from '../../src/auth/keystone';

let ks: KeystoneHandle;
let pod: SimPod;
let gw: TestGateway;
let client: KeystoneClient;
let adminToken: string;
let a: { token: string; projectId: string };
let b: { token: string; projectId: string };
/** B's resources, by kind. */
const B: { server: string; volume: string; snapshot: string; backup: string; attachment: string } = { server: '', volume: '', snapshot: '', backup: '', attachment: '' };

const V = 'volume 3.60';
function compute(who: { token: string }, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
  return call(`${gw.urls.compute}/v2.1${path}`, { method, headers: { 'x-auth-token': who.token, 'openstack-api-version': 'compute 2.26', ...extra }, body });
}
function volume(who: { token: string }, method: string, path: string, body?: unknown): Promise<Reply> {
  return call(`${gw.urls.volume}/v3${path}`, { method, headers: { 'x-auth-token': who.token, 'openstack-api-version': V }, body });
}

before(async () => {
  ks = await startKeystone();
  const keystoneUrl = `${ks.url}/v3`;
  pod = await startSimPod({ name: 'Pod1', az: 'nova', transitionMs: 5, auth: { mode: 'keystone', keystoneUrl } });
  const computeSvc = await ks.createService('compute', 'nova');
  const volumeSvc = await ks.createService('volumev3', 'cinderv3');
  await ks.createRegion(pod.name);
  await ks.createEndpoint(pod.name, computeSvc, pod.endpoints.compute);
  await ks.createEndpoint(pod.name, volumeSvc, pod.endpoints.volumev3);
  for (const name of ['iso-a', 'iso-b']) {
    const project = await ks.createProject(name);
    await ks.createUser(name, `${name}-pass`, project, ['member']);
  }
  a = await ks.issueToken('iso-a', 'iso-a-pass', 'iso-a');
  b = await ks.issueToken('iso-b', 'iso-b-pass', 'iso-b');
  adminToken = await ks.adminToken();
  client = new KeystoneClient({ authUrl: keystoneUrl, username: 'admin', password: ks.adminPassword, projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default', tokenCacheSeconds: 300 });
  gw = await startTestGateway({ auth: { strategy: 'keystone', validator: client, authUrl: keystoneUrl }, catalog: { catalog: () => client.serviceCatalog() } });
  const admin = { 'x-auth-token': adminToken };
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: admin, body: { pod: { pod_name: 'RegionOne' } } })).status, 200);
  const p = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: admin, body: { pod: { pod_name: 'Pod1', az_name: 'az1', pod_az_name: 'nova' } } });
  assert.equal(p.status, 200, p.text);
  await gw.gateway.parts.volumeVersions.refresh();
  await gw.gateway.parts.computeVersions.refresh();

  // B's resources, all in the one pod A is bound to as well.
  const s = await compute(b, 'POST', `/${b.projectId}/servers`, { server: { name: 'b-vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, metadata: { owner: 'b' } } });
  assert.equal(s.status, 202, s.text);
  B.server = s.body.server.id;
  const v = await volume(b, 'POST', `/${b.projectId}/volumes`, { volume: { size: 1, metadata: { owner: 'b' } } });
  assert.equal(v.status, 202, v.text);
  B.volume = v.body.volume.id;
  await eventually(async () => (await volume(b, 'GET', `/${b.projectId}/volumes/${B.volume}`)).body?.volume?.status === 'available');
  await eventually(async () => (await compute(b, 'GET', `/${b.projectId}/servers/${B.server}`)).body?.server?.status === 'ACTIVE');
  const made = (r: Reply, key: string): string => {
    assert.ok(r.status < 300, `${key}: ${r.status} ${r.text}`);
    return r.body[key].id;
  };
  const settled = (kind: string, id: string, status: string) =>
    eventually(async () => (await volume(b, 'GET', `/${b.projectId}/${kind}s/${id}`)).body?.[kind]?.status === status);
  B.snapshot = made(await volume(b, 'POST', `/${b.projectId}/snapshots`, { snapshot: { volume_id: B.volume, name: 'b-snap' } }), 'snapshot');
  await settled('snapshot', B.snapshot, 'available');
  B.backup = made(await volume(b, 'POST', `/${b.projectId}/backups`, { backup: { volume_id: B.volume, name: 'b-backup' } }), 'backup');
  await settled('backup', B.backup, 'available');
  await settled('volume', B.volume, 'available'); // backing-up until the backup is made
  B.attachment = made(await volume(b, 'POST', `/${b.projectId}/attachments`, { attachment: { volume_uuid: B.volume } }), 'attachment');
  assert.ok(B.snapshot && B.backup && B.attachment);
  // A has resources of its own in the same pod.
  assert.equal((await compute(a, 'POST', `/${a.projectId}/servers`, { server: { name: 'a-vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } })).status, 202);
});
after(async () => {
  await gw?.close();
  await client?.close();
  await pod?.close();
  await ks?.stop();
});

/** Every by-id request A tries on B's ids, except GET (and volume PUT): see the last test. */
function writes(): [string, 'compute' | 'volume', string, string, unknown?][] {
  const pa = a.projectId;
  return [
    ['server update', 'compute', 'PUT', `/${pa}/servers/${B.server}`, { server: { name: 'taken' } }],
    ['server stop', 'compute', 'POST', `/${pa}/servers/${B.server}/action`, { 'os-stop': null }],
    ['server reboot', 'compute', 'POST', `/${pa}/servers/${B.server}/action`, { reboot: { type: 'HARD' } }],
    ['server metadata set', 'compute', 'PUT', `/${pa}/servers/${B.server}/metadata`, { metadata: { owner: 'a' } }],
    ['server metadata item', 'compute', 'PUT', `/${pa}/servers/${B.server}/metadata/owner`, { meta: { owner: 'a' } }],
    ['server metadata delete', 'compute', 'DELETE', `/${pa}/servers/${B.server}/metadata/owner`],
    ['server tag', 'compute', 'PUT', `/${pa}/servers/${B.server}/tags/a-was-here`],
    ['server volume attach', 'compute', 'POST', `/${pa}/servers/${B.server}/os-volume_attachments`, { volumeAttachment: { volumeId: B.volume } }],
    ['server delete', 'compute', 'DELETE', `/${pa}/servers/${B.server}`],
    ['volume extend', 'volume', 'POST', `/${pa}/volumes/${B.volume}/action`, { 'os-extend': { new_size: 5 } }],
    ['volume metadata', 'volume', 'POST', `/${pa}/volumes/${B.volume}/metadata`, { metadata: { owner: 'a' } }],
    ['volume metadata delete', 'volume', 'DELETE', `/${pa}/volumes/${B.volume}/metadata/owner`],
    ['volume delete', 'volume', 'DELETE', `/${pa}/volumes/${B.volume}`],
    ['snapshot update', 'volume', 'PUT', `/${pa}/snapshots/${B.snapshot}`, { snapshot: { name: 'taken' } }],
    ['snapshot action', 'volume', 'POST', `/${pa}/snapshots/${B.snapshot}/action`, { 'os-force_delete': {} }],
    ['snapshot delete', 'volume', 'DELETE', `/${pa}/snapshots/${B.snapshot}`],
    ['backup restore', 'volume', 'POST', `/${pa}/backups/${B.backup}/restore`, { restore: { name: 'taken' } }],
    ['backup delete', 'volume', 'DELETE', `/${pa}/backups/${B.backup}`],
    ['attachment update', 'volume', 'PUT', `/${pa}/attachments/${B.attachment}`, { attachment: { connector: { host: 'a' } } }],
    ['attachment complete', 'volume', 'POST', `/${pa}/attachments/${B.attachment}/action`, { 'os-complete': {} }],
    ['attachment delete', 'volume', 'DELETE', `/${pa}/attachments/${B.attachment}`],
  ];
}

async function assertBIntact(): Promise<void> {
  const server = pod.servers.get(B.server);
  assert.ok(server, "B's server is still in the pod");
  assert.equal(server.name, 'b-vm');
  assert.equal(server.vmState, 'active', 'not stopped nor rebooted by A');
  assert.deepEqual(server.metadata, { owner: 'b' });
  assert.deepEqual(server.tags, []);
  const vol = pod.volumes.get(B.volume);
  assert.ok(vol, "B's volume is still in the pod");
  assert.equal(vol.size, 1);
  assert.deepEqual(vol.metadata, { owner: 'b' });
  const rows = await gw.store.routings.list({ project_id: b.projectId });
  assert.deepEqual(rows.map((r) => [r.resource_type, r.top_id, r.status]).sort(), [
    ['attachment', B.attachment, 'active'], ['backup', B.backup, 'active'], ['server', B.server, 'active'], ['snapshot', B.snapshot, 'active'], ['volume', B.volume, 'active'],
  ].sort());
  const pb = b.projectId;
  assert.equal((await compute(b, 'GET', `/${pb}/servers/${B.server}`)).status, 200);
  for (const [kind, id] of [['volumes', B.volume], ['snapshots', B.snapshot], ['backups', B.backup], ['attachments', B.attachment]] as const) {
    const r = await volume(b, 'GET', `/${pb}/${kind}/${id}`);
    assert.equal(r.status, 200, `B's ${kind} ${id}: ${r.text}`);
  }
}

test("writes by id on another project's resources (PUT, POST action, DELETE) are refused and change nothing", async () => {
  for (const [name, svc, method, path, body] of writes()) {
    const r = svc === 'compute' ? await compute(a, method, path, body) : await volume(a, method, path, body);
    assert.ok(r.status >= 400 && r.status < 500, `${name}: ${r.status} ${r.text}`);
  }
  await assertBIntact();
});

test("another project's URL is 403 for a member, whatever the route", async () => {
  const r = await compute(a, 'GET', `/${b.projectId}/servers/${B.server}`);
  assert.deepEqual({ status: r.status, body: r.body }, { status: 403, body: r.body });
  assert.equal(r.body.forbidden.code, 403);
  const v = await volume(a, 'DELETE', `/${b.projectId}/volumes/${B.volume}`);
  assert.equal(v.status, 403, v.text);
  await assertBIntact();
});

test('every admin route is 403 for a member, in the fault shape', async () => {
  const member = { 'x-auth-token': a.token };
  const routes: [string, string, unknown?][] = [
    ['GET', '/v1.0/pods'], ['POST', '/v1.0/pods', { pod: { pod_name: 'evil', az_name: 'az9' } }], ['GET', '/v1.0/pods/x'],
    ['PUT', '/v1.0/pods/x', { pod: { enabled: false } }], ['DELETE', '/v1.0/pods/x'],
    ['GET', '/v1.0/bindings'], ['POST', '/v1.0/bindings', { pod_binding: { tenant_id: a.projectId, pod_id: 'x' } }], ['GET', '/v1.0/bindings/1'], ['DELETE', '/v1.0/bindings/1'],
    ['GET', '/v1.0/routings'], ['GET', '/v1.0/routings/1'], ['DELETE', '/v1.0/routings/1'], ['GET', '/v1.0/jobs'], ['GET', '/v1.0/jobs/1'],
  ];
  for (const [method, path, body] of routes) {
    const r = await call(`${gw.urls.admin}${path}`, { method, headers: member, body });
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
    assert.match(r.body.forbidden.message, /^Policy doesn't allow admin_api:[a-z_]+:[a-z_]+ to be performed\.$/, `${method} ${path}`);
  }
  const pa = a.projectId;
  const adminOnly: ['compute' | 'volume', string, string, unknown?][] = [
    ['compute', 'GET', `/${pa}/os-services`], ['compute', 'GET', `/${pa}/os-hypervisors`], ['compute', 'GET', `/${pa}/os-hypervisors/detail`],
    ['compute', 'GET', `/${pa}/os-availability-zone/detail`], ['compute', 'POST', `/${pa}/flavors`, { flavor: { name: 'evil', ram: 1, vcpus: 1, disk: 1 } }],
    ['compute', 'DELETE', `/${pa}/flavors/1`], ['compute', 'POST', `/${pa}/flavors/1/os-extra_specs`, { extra_specs: { a: 'b' } }],
    ['compute', 'GET', `/${pa}/os-aggregates`], ['compute', 'POST', `/${pa}/os-aggregates`, { aggregate: { name: 'evil' } }],
    ['compute', 'PUT', `/${pa}/os-quota-sets/${pa}`, { quota_set: { instances: 1000 } }], ['compute', 'DELETE', `/${pa}/os-quota-sets/${pa}`],
    ['compute', 'POST', `/${pa}/os-server-external-events`, { events: [{ name: 'network-changed', server_uuid: B.server }] }],
    ['volume', 'POST', `/${pa}/types`, { volume_type: { name: 'evil' } }], ['volume', 'PUT', `/${pa}/os-quota-sets/${pa}`, { quota_set: { volumes: 1000 } }],
    ['volume', 'DELETE', `/${pa}/os-quota-sets/${pa}`],
  ];
  for (const [svc, method, path, body] of adminOnly) {
    const r = svc === 'compute' ? await compute(a, method, path, body) : await volume(a, method, path, body);
    assert.equal(r.status, 403, `${svc} ${method} ${path}: ${r.text}`);
    assert.equal(Object.values(r.body as object)[0].code, 403);
  }
});

test('identity headers a client sends are neither believed nor forwarded', async () => {
  const spoofed = {
    'x-roles': 'admin', 'x-project-id': b.projectId, 'x-tenant-id': b.projectId, 'x-user-id': 'b', 'x-identity-status': 'Confirmed',
    'x-service-catalog': '[]', 'x-domain-id': 'default', 'x-user-domain-id': 'default', 'x-service-roles': 'service',
  };
  const before = pod.requests.length;
  const admin = await call(`${gw.urls.admin}/v1.0/pods`, { headers: { 'x-auth-token': a.token, ...spoofed } });
  assert.equal(admin.status, 403, 'X-Roles: admin is not believed');
  const list = await compute(a, 'GET', `/${a.projectId}/servers/detail`, undefined, spoofed);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.servers.map((s: { name: string }) => s.name), ['a-vm'], 'X-Project-Id does not show another project');
  const made = await compute(a, 'POST', `/${a.projectId}/servers`, { server: { name: 'a-vm2', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } }, spoofed);
  assert.equal(made.status, 202, made.text);
  assert.equal(pod.servers.get(made.body.server.id)?.projectId, a.projectId, 'created in the token\'s project');
  // The calls these two requests made (the gateway's job runner calls the pod with its own
  // credentials meanwhile).
  const ids = new Set([list.headers.get('x-openstack-request-id'), made.headers.get('x-openstack-request-id')]);
  const sent = pod.requests.slice(before).filter((q) => ids.has(q.headers['x-openstack-request-id'] ?? null));
  assert.ok(sent.length >= 2);
  for (const q of sent) {
    for (const h of Object.keys(spoofed)) assert.equal(q.headers[h], undefined, `${h} reached the pod on ${q.method} ${q.path}`);
    assert.equal(q.headers['x-auth-token'], a.token);
  }
});

// A GET answered 404 by the pod used to drop the routing whoever asked; routings are removed only
// on proof that the resource is gone, asked with credentials that can see it.
test("GET by id on another project's resources leaves the owner's routings intact", async () => {
  const pa = a.projectId;
  for (const path of [`/servers/${B.server}`]) assert.equal((await compute(a, 'GET', `/${pa}${path}`)).status, 404);
  for (const [kind, id] of [['volumes', B.volume], ['snapshots', B.snapshot], ['backups', B.backup], ['attachments', B.attachment]] as const) {
    const r = await volume(a, 'GET', `/${pa}/${kind}/${id}`);
    assert.equal(r.status, 404, `${kind}: ${r.text}`);
  }
  assert.equal((await volume(a, 'PUT', `/${pa}/volumes/${B.volume}`, { volume: { name: 'taken' } })).status, 404);
  await assertBIntact();
});
