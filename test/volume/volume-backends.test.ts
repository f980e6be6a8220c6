// The pods' backends as an admin sees them: services, hosts, pools, capabilities, clusters,
// workers, resource filters and extensions fanned out or routed by host; manage adopts what it
// makes into the routing table; members are refused with Cinder's 403 before any pod is asked.
// The pods run in keystone mode against a tiny Keystone so they can tell the admin's forwarded
// token from a member's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { ADMIN_WHO, startFakeKeystone } from '../compute-owned/support';
import { startVolumeCloud, volumeClient, waitStatus, type Cloud } from './helpers';

let cloud: Cloud;
let keystone: Awaited<ReturnType<typeof startFakeKeystone>>;
before(async () => {
  keystone = await startFakeKeystone([ADMIN_WHO, { project: 'proj-member', user: 'user-proj-member', roles: ['member'] }]);
  const auth = { mode: 'keystone' as const, keystoneUrl: keystone.url };
  cloud = await startVolumeCloud([{ topAz: 'az1', auth }, { topAz: 'az2', auth }]);
});
after(async () => {
  await cloud.close();
  await keystone.close();
});

const admin = () => volumeClient(cloud, 'admin-project', ADMIN);
const member = () => volumeClient(cloud, 'proj-member', identity('proj-member'));

/** The volume host ('host@backend') of the pod at `index`, as its services name it. */
async function volumeHost(index: number): Promise<string> {
  const r = await admin()('/os-services?binary=cinder-volume');
  return r.body.services.find((s: { zone: string }) => s.zone === `az${index + 1}`).host;
}

test('members get Cinder 403 for every admin-only family, before any pod is asked', async () => {
  const m = member();
  const cases: [string, string, unknown?, string?][] = [
    ['GET', '/os-services'],
    ['PUT', '/os-services/disable', { host: 'x', binary: 'cinder-volume' }],
    ['GET', '/os-hosts'],
    ['GET', '/scheduler-stats/get_pools'],
    ['GET', '/capabilities/x'],
    ['GET', '/clusters', undefined, '3.7'],
    ['POST', '/workers/cleanup', {}, '3.24'],
    ['GET', '/manageable_volumes?host=x', undefined, '3.8'],
    ['POST', '/os-volume-manage', { volume: { host: 'x', ref: {} } }],
    ['POST', '/os-snapshot-manage', { snapshot: { volume_id: 'x', ref: {} } }],
  ];
  // Only these families' paths are counted: the job runner calls pods too, never at these.
  const FAMILIES = /\/(os-services|os-hosts|scheduler-stats|capabilities|clusters|workers|manageable_volumes|os-volume-manage|os-snapshot-manage)/;
  const asked = () => cloud.pods.map((p) => p.requests.filter((q) => FAMILIES.test(q.path)).length);
  const before = asked();
  for (const [method, path, body, version] of cases) {
    const r = await m(path, { method, body, version });
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
    assert.match(r.body.forbidden.message, /^Policy doesn't allow .+ to be performed\.$/);
  }
  assert.deepEqual(asked(), before);
});

test('os-services: every pod listed with its top AZ; enable/disable routed to the pod of the host', async () => {
  const a = admin();
  const list = await a('/os-services');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.headers.get('x-trio2o-missing-pods'), null);
  assert.equal(list.body.services.length, 6);
  assert.deepEqual(list.body.services.map((s: { zone: string }) => s.zone), ['az1', 'az1', 'az1', 'az2', 'az2', 'az2']);
  assert.equal(new Set(list.body.services.map((s: { host: string; binary: string }) => `${s.binary} ${s.host}`)).size, 6);
  const host2 = await volumeHost(1);
  const off = await a('/os-services/disable', { method: 'PUT', body: { host: host2, binary: 'cinder-volume' } });
  assert.deepEqual(off.body, { host: host2, service: '', binary: 'cinder-volume', status: 'disabled', disabled: true });
  const after = (await a('/os-services?binary=cinder-volume')).body.services.map((s: { zone: string; status: string }) => [s.zone, s.status]);
  assert.deepEqual(after, [['az1', 'enabled'], ['az2', 'disabled']]);
  assert.equal((await a('/os-services/enable', { method: 'PUT', body: { host: host2, binary: 'cinder-volume' } })).body.status, 'enabled');
  const unknown = await a('/os-services/enable', { method: 'PUT', body: { host: 'nowhere', binary: 'cinder-volume' } });
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Could not find binary cinder-volume on host nowhere.' } });
  assert.equal((await a('/os-services/freeze', { method: 'PUT', body: { host: host2 } })).status, 200);
  assert.equal((await a('/os-services?binary=cinder-volume')).body.services[1].frozen, true);
});

test('hosts, pools and capabilities: listed from every pod, one host shown by its pod', async () => {
  const a = admin();
  const hosts = await a('/os-hosts');
  assert.deepEqual([...new Set(hosts.body.hosts.map((h: { zone: string }) => h.zone))], ['az1', 'az2']);
  const host1 = await volumeHost(0);
  const shown = await a(`/os-hosts/${encodeURIComponent(host1.split('@')[0]!)}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.host[0].resource.project, '(total)');
  assert.deepEqual((await a('/os-hosts/nowhere')).body, { itemNotFound: { code: 404, message: 'Host nowhere could not be found.' } });
  const pools = await a('/scheduler-stats/get_pools?detail=true');
  assert.deepEqual(pools.body.pools.map((p: { name: string }) => p.name), [`${host1}#lvmdriver-1`, `${await volumeHost(1)}#lvmdriver-1`]);
  assert.equal(pools.body.pools[0].capabilities.volume_backend_name, 'lvmdriver-1');
  const caps = await a(`/capabilities/${encodeURIComponent(host1)}`);
  assert.equal(caps.body.namespace, `OS::Storage::Capabilities::${host1}`);
  assert.deepEqual((await a('/capabilities/nowhere')).body, { itemNotFound: { code: 404, message: 'Service nowhere could not be found.' } });
});

test('manageable volumes by host; manage adopts the volume and its snapshot into the routing table', async () => {
  const a = admin();
  const host2 = await volumeHost(1);
  assert.equal((await a(`/manageable_volumes?host=${encodeURIComponent(host2)}`, { version: '3.7' })).status, 404, 'begins at 3.8');
  const missing = await a('/manageable_volumes', { version: '3.8' });
  assert.deepEqual(missing.body, { badRequest: { code: 400, message: 'Invalid input received: Host field is missing.' } });
  const list = await a(`/manageable_volumes/detail?host=${encodeURIComponent(host2)}`, { version: '3.8' });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body['manageable-volumes'].map((m: { reference: Record<string, string> }) => m.reference['source-name']), ['legacy-volume-1', 'legacy-volume-2']);

  const made = await a('/os-volume-manage', { method: 'POST', body: { volume: { host: `${host2}#lvmdriver-1`, ref: { 'source-name': 'legacy-volume-1' }, name: 'adopted', availability_zone: 'az2' } } });
  assert.equal(made.status, 202, made.text);
  const id = made.body.volume.id;
  assert.equal(made.body.volume.availability_zone, 'az2', 'the top AZ');
  const r = await cloud.gw.store.routings.lookup(id, 'volume');
  assert.deepEqual([r?.pod_id, r?.project_id], [cloud.podIds[1], 'admin-project']);
  await waitStatus(a, `/volumes/${id}`, 'volume', 'available');
  const wrongAz = await a('/os-volume-manage', { method: 'POST', body: { volume: { host: host2, ref: { 'source-name': 'legacy-volume-2' }, availability_zone: 'az1' } } });
  assert.equal(wrongAz.status, 400);
  const nowhere = await a('/os-volume-manage', { method: 'POST', body: { volume: { host: 'nowhere', ref: { 'source-name': 'x' } } } });
  assert.deepEqual(nowhere.body, { badRequest: { code: 400, message: "Host 'nowhere' not found" } });

  const snap = await a('/os-snapshot-manage', { method: 'POST', body: { snapshot: { volume_id: id, ref: { 'source-name': 'legacy-snapshot-1' } } } });
  assert.equal(snap.status, 202, snap.text);
  assert.equal((await cloud.gw.store.routings.lookup(snap.body.snapshot.id, 'snapshot'))?.pod_id, cloud.podIds[1]);
  const again = await a(`/manageable_snapshots?host=${encodeURIComponent(host2)}`, { version: '3.8' });
  assert.deepEqual(again.body['manageable-snapshots'].map((m: { safe_to_manage: boolean }) => m.safe_to_manage), [false]);
});

test('clusters, workers/cleanup, resource_filters and extensions answer for all pods', async () => {
  const a = admin();
  assert.equal((await a('/clusters', { version: '3.6' })).status, 404);
  assert.deepEqual((await a('/clusters/detail', { version: '3.7' })).body, { clusters: [] });
  assert.deepEqual((await a('/clusters/c1', { version: '3.7' })).body, { itemNotFound: { code: 404, message: 'Cluster c1 could not be found.' } });
  const cleanup = await a('/workers/cleanup', { method: 'POST', body: {}, version: '3.24' });
  assert.equal(cleanup.status, 202, cleanup.text);
  assert.equal(cleanup.body.cleaning.length, 4);
  assert.deepEqual(cleanup.body.unavailable, []);
  const filters = await member()('/resource_filters?resource=volume', { version: '3.33' });
  assert.equal(filters.status, 200, filters.text);
  assert.deepEqual(filters.body.resource_filters.map((f: { resource: string }) => f.resource), ['volume']);
  assert.ok(filters.body.resource_filters[0].filters.includes('availability_zone'));
  const ext = await member()('/extensions');
  assert.ok(ext.body.extensions.some((e: { alias: string }) => e.alias === 'os-volume-transfer'));
});

test('a pod failing the host or cluster lookup makes a host it may hold a 503, not a 404 or 400', async () => {
  const host = await volumeHost(1);
  const failLookup = () => cloud.pods[1]!.inject({ kind: 'status', status: 500, match: { path: /\/os-services$/ }, times: 1 });
  failLookup();
  const caps = await admin()(`/capabilities/${encodeURIComponent(host)}`);
  assert.equal(caps.status, 503, caps.text);
  assert.match(caps.text, /Pod2 \(status_500\)/);
  failLookup();
  const manage = await admin()('/os-volume-manage', { method: 'POST', body: { volume: { host, ref: { 'source-name': 'x' } } } });
  assert.equal(manage.status, 503, manage.text);
  cloud.pods[1]!.inject({ kind: 'status', status: 500, match: { path: /\/clusters$/ }, times: 1 });
  const cluster = await admin()('/clusters/nowhere', { version: '3.7' });
  assert.equal(cluster.status, 503, cluster.text);
});

// Found by the hostile-input suite: every pod answering the host lookup with its policy's 403 was
// reported as an outage (503).
test('every pod refusing the host lookup with the same 4xx is that refusal, not a 503; one refusal beside an answer stays a 503', async () => {
  const refuse = (i: number) => cloud.pods[i]!.inject({ kind: 'status', status: 403, match: { path: /\/os-services$/ }, times: 1 });
  refuse(0);
  refuse(1);
  const both = await admin()('/os-hosts/nowhere');
  assert.equal(both.status, 403, both.text);
  assert.match(both.text, /Every pod refused.*Pod1 \(status_403\).*Pod2 \(status_403\)/);
  refuse(1);
  const one = await admin()('/os-hosts/nowhere');
  assert.equal(one.status, 503, one.text);
});

test('a pod listing null or numbers among its items: the others are shown, never a 500', async () => {
  const junk = JSON.stringify(Object.fromEntries(['services', 'hosts', 'pools', 'extensions'].map((k) => [k, [null, 1, 'x']])));
  const host = await volumeHost(0);
  for (const path of ['/os-services', '/os-hosts', '/scheduler-stats/get_pools', '/extensions', `/capabilities/${encodeURIComponent(host)}`]) {
    cloud.pods[1]!.inject({ kind: 'invalid_body', status: 200, text: junk, match: { path: /\/(os-services|os-hosts|get_pools|extensions)$/ }, times: 1 });
    const r = await admin()(path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
  }
});
