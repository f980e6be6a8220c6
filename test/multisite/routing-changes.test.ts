// Issue 14/17 item 2 across sites: a routing removed or moved at site A reaches site B's route
// cache through the routing change log, read after each sync, so B stops sending the id to a pod
// that no longer owns it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimPod, CIRROS_IMAGE_ID, type SimPod } from '@trio2o/podsim';
import { call, identity, ADMIN } from '../support/http';
import { eventually } from '../support/cloud';
import { startPrimary, type Primary } from './primary';
import { startSite, type Site } from './site';

const TENANT = identity('tenant-rc');
let dir: string;
let primary: Primary;
let pods: SimPod[];
let a: Site;
let b: Site;
const podIds: string[] = [];


before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trio2o-rc-'));
  primary = await startPrimary({ dir });
  pods = [await startSimPod({ name: 'Pod1', az: 'nova', transitionMs: 5 }), await startSimPod({ name: 'Pod2', az: 'nova', transitionMs: 5 })];
  a = await startSite({ name: 'site-a', dir, primaryUrl: primary.url, syncInterval: 1 });
  b = await startSite({ name: 'site-b', dir, primaryUrl: primary.url, syncInterval: 1 });
  for (const [i, pod] of pods.entries()) {
    const r = await call(`${a.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: pod.name, az_name: `az${i + 1}`, pod_az_name: 'nova', endpoints: pod.endpoints } } });
    assert.equal(r.status, 200, r.text);
    podIds.push(r.body.pod.pod_id);
  }
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all((pods ?? []).map((p) => p.close()));
  await primary?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function bootAtA(name: string): Promise<string> {
  const r = await call(`${a.urls.compute}/v2.1/servers`, { method: 'POST', headers: TENANT, body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } } });
  assert.equal(r.status, 202, r.text);
  return r.body.server.id;
}

const showAtB = (id: string) => call(`${b.urls.compute}/v2.1/servers/${id}`, { headers: TENANT });
const routingOf = async (id: string) => (await call(`${a.urls.admin}/v1.0/routings?top_id=${id}`, { headers: ADMIN })).body.routings[0];

test('a routing removed at A: B, which had it cached, answers 404 within a few seconds', async () => {
  const id = await bootAtA('rc-1');
  assert.equal((await showAtB(id)).status, 200, 'B routes (and caches) it');
  assert.equal((await showAtB(id)).status, 200);
  const del = await call(`${a.urls.admin}/v1.0/routings/${(await routingOf(id)).id}`, { method: 'DELETE', headers: ADMIN });
  assert.equal(del.status, 200);
  await eventually(async () => (await showAtB(id)).status === 404, 5_000);
});

test('a routing moved at A to the pod that has the server: B follows to the new pod', async () => {
  const id = await bootAtA('rc-2');
  assert.equal((await showAtB(id)).status, 200);
  // The server now lives in Pod2 (as after a migration done outside the gateway).
  const s = pods[0]!.servers.get(id)!;
  pods[1]!.servers.set(id, s);
  pods[0]!.servers.delete(id);
  const routing = await routingOf(id);
  const moved = await call(`${a.urls.admin}/v1.0/routings/${routing.id}`, { method: 'PUT', headers: ADMIN, body: { routing: { pod_id: podIds[1] } } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.routing.pod_id, podIds[1]);
  const seen = () => pods[1]!.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/servers/${id}`) && r.headers['x-project-id'] === undefined).length;
  const before = seen();
  await eventually(async () => (await showAtB(id)).status === 200 && seen() > before, 5_000);
});
