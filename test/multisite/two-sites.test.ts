// Multi-site (issue 7): a real sqld primary and two site gateways (child processes, each with its
// own embedded replica) sharing pods, bindings and routings; then the primary is SIGKILLed and
// restarted, and a site is started while it is down. Steps run in order and share the scenario.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimPod, CIRROS_IMAGE_ID, type SimPod } from '@trio2o/podsim';
import { call, identity, ADMIN } from '../support/http';
import { startPrimary, type Primary } from './primary';
import { startSite, type Site } from './site';

const SYNC_INTERVAL = 1; // the production default; 2 × 1 s leaves room for timer slip on a busy box
const TENANT = identity('tenant-1');
const NEW_TENANT = identity('tenant-2');
const UNAVAILABLE = /cannot be written right now \(.*primary unreachable\)/;

let dir: string;
let primary: Primary;
let pod: SimPod;
let a: Site;
let b: Site;
const servers: string[] = [];

const creates = () => pod.requests.filter((r) => r.method === 'POST' && /\/servers$/.test(r.path)).length;
const createServer = (site: Site, who = TENANT, name = 'vm') =>
  call(`${site.urls.compute}/v2.1/servers`, { method: 'POST', headers: who, body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
const showServer = (site: Site, id: string) => call(`${site.urls.compute}/v2.1/servers/${id}`, { headers: TENANT });

async function visibleWithin(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (!(await probe())) {
    if (Date.now() - t0 > ms) assert.fail(`not visible within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trio2o-sites-'));
  primary = await startPrimary({ dir });
  pod = await startSimPod({ name: 'Pod1', az: 'nova', transitionMs: 5 });
  // A first so that B starts on a schema A's migrations already wrote.
  a = await startSite({ name: 'site-a', dir, primaryUrl: primary.url, syncInterval: SYNC_INTERVAL });
  b = await startSite({ name: 'site-b', dir, primaryUrl: primary.url, syncInterval: SYNC_INTERVAL });
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await pod?.close();
  await primary?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a pod and a binding created at A are visible at B within 2 × sync_interval', async () => {
  const r = await call(`${a.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'Pod1', az_name: 'az1', pod_az_name: 'nova', endpoints: pod.endpoints } } });
  assert.equal(r.status, 200, r.text);
  const podId = r.body.pod.pod_id;
  await visibleWithin(2 * SYNC_INTERVAL * 1000, async () => (await call(`${b.urls.admin}/v1.0/pods/${podId}`, { headers: ADMIN })).status === 200);

  const bind = await call(`${a.urls.admin}/v1.0/bindings`, { method: 'POST', headers: ADMIN, body: { pod_binding: { tenant_id: 'tenant-1', pod_id: podId } } });
  assert.equal(bind.status, 200, bind.text);
  const bindingId = bind.body.pod_binding.id;
  await visibleWithin(2 * SYNC_INTERVAL * 1000, async () => (await call(`${b.urls.admin}/v1.0/bindings/${bindingId}`, { headers: ADMIN })).status === 200);
});

test('a server created at A is found at B at once (route miss → one sync)', async () => {
  // Three in a row, each looked up at B right after A answered: the background sync (every
  // second) cannot explain all three; without the miss hook B would answer 404.
  for (let i = 0; i < 3; i++) {
    const created = await createServer(a, TENANT, `vm-a${i}`);
    assert.equal(created.status, 202, created.text);
    const id = created.body.server.id;
    servers.push(id);
    const shown = await showServer(b, id);
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.server.id, id);
  }
  assert.equal(creates(), 3);
  const unknown = await showServer(b, '00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.status, 404);
});

test('primary killed: both sites read, list and act; creates answer 503; no pod receives a create', async () => {
  const marks = [a.logs.length, b.logs.length];
  await primary.kill();
  const before = creates();
  const check = async (site: Site) => {
    for (const id of servers) assert.equal((await showServer(site, id)).status, 200);
    const list = await call(`${site.urls.compute}/v2.1/servers/detail`, { headers: TENANT });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.servers.map((s: { id: string }) => s.id).sort(), [...servers].sort(), `missing: ${list.headers.get("x-trio2o-missing-pods")}`);
    // Acting on a server is a pass-through POST: it needs only the (local) routing.
    const act = await call(`${site.urls.compute}/v2.1/servers/${servers[0]}/action`, { method: 'POST', headers: TENANT, body: { 'os-getConsoleOutput': { length: 1 } } });
    assert.equal(act.status, 200, act.text);
    assert.equal((await call(`${site.urls.admin}/v1.0/pods`, { headers: ADMIN })).status, 200);

    const bound = await createServer(site); // tenant already bound: the pending routing is refused
    assert.equal(bound.status, 503, bound.text);
    assert.match(bound.body.serviceUnavailable.message, UNAVAILABLE);
    const unbound = await createServer(site, NEW_TENANT); // needs a new binding: refused too
    assert.equal(unbound.status, 503, unbound.text);
    const admin = await call(`${site.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'Pod9', az_name: 'az9' } } });
    assert.equal(admin.status, 503, admin.text);
  };
  // Right away (replica still attached: delegated writes fail), then once detached (read-only file).
  await Promise.all([check(a), check(b)]);
  await Promise.all([a.waitLog('replica_detached', marks[0]), b.waitLog('replica_detached', marks[1])]);
  await Promise.all([check(a), check(b)]);
  assert.equal(creates(), before, 'no create reached the pod');
});

test('primary back on the same path and port: creates work again at both sites', async () => {
  const marks = [a.logs.length, b.logs.length];
  await primary.start();
  await Promise.all([a.waitLog('replica_attached', marks[0]), b.waitLog('replica_attached', marks[1])]);
  for (const [site, other] of [[a, b], [b, a]] as const) {
    const created = await createServer(site, TENANT, `vm-${site.name}`);
    assert.equal(created.status, 202, created.text);
    servers.push(created.body.server.id);
    assert.equal((await showServer(other, created.body.server.id)).status, 200);
  }
  const fresh = await createServer(b, NEW_TENANT, 'vm-new-tenant');
  assert.equal(fresh.status, 202, fresh.text);
});

test('a site started while the primary is down serves reads from its file, then re-attaches', async () => {
  await primary.kill();
  await b.stop();
  b = await startSite({ name: 'site-b', dir, primaryUrl: primary.url, syncInterval: SYNC_INTERVAL });
  assert.ok(b.logs.some((l) => l.event === 'replica_detached'), 'started detached');
  assert.equal(b.logs.find((l) => l.event === 'listening')?.store, 'replica-detached');
  for (const id of servers) assert.equal((await showServer(b, id)).status, 200);
  const list = await call(`${b.urls.compute}/v2.1/servers/detail`, { headers: TENANT });
  assert.equal(list.status, 200);
  assert.equal(list.body.servers.length, servers.length);
  const before = creates();
  assert.equal((await createServer(b)).status, 503);
  assert.equal(creates(), before);

  const mark = b.logs.length;
  await primary.start();
  await b.waitLog('replica_attached', mark);
  assert.equal((await createServer(b, TENANT, 'vm-after')).status, 202);
});
