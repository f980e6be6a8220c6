// Issue 14 catalog sync, end to end against simulated pods: how a registered pod's own flavors
// meet the gateway's catalog (import; an untouched seed takes the first pod's definition; an id
// meaning two flavors is a named conflict), flavor pushes that wait out a pod being down, creates
// refused with a clear 409 while the flavor is pending or in conflict, and volume types with their
// ids translated both ways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startSimPod, type SimPod } from '@trio2o/podsim';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { eventually } from '../support/cloud';
import { ADMIN, call, identity } from '../support/http';

let gw: TestGateway;
let pod1: SimPod;
let pod2: SimPod;
const podIds: string[] = [];
const who = identity('proj-cat');

async function register(pod: SimPod, az: string): Promise<string> {
  const r = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: pod.name, az_name: az, pod_az_name: pod.az, endpoints: pod.endpoints } } });
  assert.equal(r.status, 200, r.text);
  return r.body.pod.pod_id;
}

/** The job doing this work now (the waiting or running one), else the last one that did it. */
const jobOf = async (type: string, resource: string, podId?: string) => {
  const mine = (await gw.store.jobs.list({ type, resource_id: resource })).filter((j) => !podId || (j.payload as { pod_id?: string }).pod_id === podId);
  return mine.find((j) => j.status === 'new' || j.status === 'running') ?? mine.at(-1);
};
const finished = (type: string, resource: string, podId?: string) =>
  eventually(async () => {
    const j = await jobOf(type, resource, podId);
    return j && (j.status === 'success' || j.status === 'fail') ? j : undefined;
  }, 20_000).catch(async (err: Error) => {
    const j = await jobOf(type, resource, podId);
    throw new Error(`${err.message}: ${type} ${resource} is ${JSON.stringify(j)}, history ${JSON.stringify(j && (await gw.store.jobs.history(j.id)))}`);
  });
const flavorAtGateway = async (id: string) => (await call(`${gw.urls.compute}/v2.1/flavors/${id}`, { headers: who })).body.flavor;
const boot = (az: string, flavorRef: string) =>
  call(`${gw.urls.compute}/v2.1/servers`, { method: 'POST', headers: who, body: { server: { name: 'cat', flavorRef, imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });

before(async () => {
  pod1 = await startSimPod({ name: 'Pod1', az: 'nova', transitionMs: 5 });
  pod2 = await startSimPod({ name: 'Pod2', az: 'nova', transitionMs: 5 });
  // Pod1 is a small test cloud: its flavor 1 is 64 MB, and it has a flavor of its own.
  Object.assign(pod1.flavors.get('1')!, { ram: 64, name: 'm1.tiny' });
  pod1.flavors.set('pod-only', { ...pod1.flavors.get('42')!, id: 'pod-only', name: 'pod.only', ram: 96 });
  // A short breaker cooldown: the pod that goes down and comes back is asked again soon.
  gw = await startTestGateway({ jobs: { pollMs: 50 }, pods: { breakerCooldownMs: 300, requestTimeoutMs: 5_000 } });
  await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'RegionOne' } } });
  podIds.push(await register(pod1, 'az1'));
  await finished('pod_catalog_sync', podIds[0]!);
  podIds.push(await register(pod2, 'az2'));
  await finished('pod_catalog_sync', podIds[1]!);
});
after(async () => {
  await gw?.close();
  await Promise.all([pod1?.close(), pod2?.close()]);
});

test("the first pod's definition replaces an untouched seed: the user sees the flavor the pod boots", async () => {
  const sync = await jobOf('pod_catalog_sync', podIds[0]!);
  assert.match((await gw.store.jobs.history(sync!.id)).at(-1)!.detail!, /seed 1 redefined as the pod's m1\.tiny: 64 MB RAM/);
  assert.equal((await flavorAtGateway('1')).ram, 64);
  // The pod has it exactly: usable there at once, nothing to push.
  assert.equal((await gw.store.catalogState.get('flavor', '1', podIds[0]!))?.status, 'synced');
  assert.equal(await jobOf('flavor_push', '1', podIds[0]), undefined);
});

test('a pod flavor the gateway does not have is imported and pushed to the other pods', async () => {
  assert.equal((await flavorAtGateway('pod-only')).ram, 96);
  await finished('flavor_push', 'pod-only', podIds[1]);
  assert.equal(pod2.flavors.get('pod-only')?.ram, 96);
});

test('one id meaning two flavors is a conflict: the push fails naming both, a create there is a 409; elsewhere it boots', async () => {
  // Pod2 has the simulator's flavor 1 (512 MB); the gateway's 1 is now Pod1's 64 MB.
  const j = await finished('flavor_push', '1', podIds[1]);
  assert.equal(j.status, 'fail');
  assert.equal(j.last_error, 'flavor id 1 means two flavors: pod Pod2 has m1.tiny: 512 MB RAM, 1 vCPU, 1 GB disk, 0 GB ephemeral, 0 MB swap, public; the gateway has m1.tiny: 64 MB RAM, 1 vCPU, 1 GB disk, 0 GB ephemeral, 0 MB swap, public');
  assert.equal(pod2.flavors.get('1')?.ram, 512, 'the pod keeps its own flavor');
  const refused = await boot('az2', '1');
  assert.equal(refused.status, 409);
  assert.equal(refused.body.conflictingRequest.message, `Flavor 1 cannot be used in availability zone az2: ${j.last_error}.`);
  assert.equal((await boot('az1', '1')).status, 202);
  const metrics = (await call(`${gw.urls.admin}/metrics`)).text;
  assert.match(metrics, /^trio2o_jobs\{type="flavor_push",status="fail"\} [1-9]/m);
});

test('a flavor created while a pod is down: a create there is a 409 naming the pending sync; the push retries with backoff and succeeds', async () => {
  pod2.inject({ kind: 'down' });
  const mk = await call(`${gw.urls.compute}/v2.1/flavors`, {
    method: 'POST',
    headers: { ...ADMIN, 'openstack-api-version': 'compute 2.55' },
    body: { flavor: { name: 'gw.new', id: 'gw-new', ram: 256, vcpus: 1, disk: 1, description: 'made at the top' } },
  });
  assert.equal(mk.status, 200, mk.text);
  await call(`${gw.urls.compute}/v2.1/flavors/gw-new/os-extra_specs`, { method: 'POST', headers: ADMIN, body: { extra_specs: { 'hw:cpu_policy': 'dedicated' } } });
  await finished('flavor_push', 'gw-new', podIds[0]);
  assert.equal(pod1.flavors.get('gw-new')?.description, 'made at the top');
  assert.deepEqual(pod1.flavors.get('gw-new')?.extra_specs, { 'hw:cpu_policy': 'dedicated' });
  // The push to the down pod failed once and waits for its retry.
  await eventually(async () => {
    const j = await jobOf('flavor_push', 'gw-new', podIds[1]);
    return j !== undefined && j.attempts >= 1 && j.status === 'new';
  }, 20_000);
  const pending = await boot('az2', 'gw-new');
  assert.equal(pending.status, 409);
  assert.match(pending.body.conflictingRequest.message, /^Flavor gw-new is not yet available in availability zone az2: its sync to the pod is pending \(job [0-9a-f-]+\); retry shortly\.$/);
  await pod2.up();
  const j = await finished('flavor_push', 'gw-new', podIds[1]);
  assert.equal(j.status, 'success');
  // Every attempt at this work (a change while one ran may have handed it to a newer job).
  const work = (await gw.store.jobs.list({ type: 'flavor_push', resource_id: 'gw-new' })).filter((x) => (x.payload as { pod_id: string }).pod_id === podIds[1]);
  const outcomes = (await Promise.all(work.map((x) => gw.store.jobs.history(x.id)))).flat().map((h) => h.outcome);
  assert.ok(outcomes.includes('retry'), `retried while the pod was down: ${outcomes}`);
  // One job of this work pushed it once the pod was back; which one depends on whether the
  // extra-specs change handed the work to a newer job while the first retried (then the first
  // ends 'superseded').
  const finals = (await Promise.all(work.map((x) => gw.store.jobs.history(x.id)))).map((h) => h.at(-1)?.outcome);
  assert.equal(finals.filter((o) => o === 'success').length, 1, `one job pushed it: ${finals}`);
  assert.equal(pod2.flavors.get('gw-new')?.ram, 256);
  assert.equal((await boot('az2', 'gw-new')).status, 202);
});

test('a flavor deleted at the gateway is deleted in the pods', async () => {
  assert.equal((await call(`${gw.urls.compute}/v2.1/flavors/gw-new`, { method: 'DELETE', headers: ADMIN })).status, 202);
  await eventually(async () => !pod1.flavors.has('gw-new') && !pod2.flavors.has('gw-new'), 20_000);
});

test('volume types: a create names the pod its own id; volume_type_id answers and os-retype speak the gateway id', async () => {
  await gw.gateway.parts.volumeVersions.refresh();
  const mk = await call(`${gw.urls.volume}/v3/admin-project/types`, { method: 'POST', headers: ADMIN, body: { volume_type: { name: 'fast', extra_specs: { tier: 'gold' } } } });
  const topId = mk.body.volume_type.id;
  const other = (await call(`${gw.urls.volume}/v3/admin-project/types`, { method: 'POST', headers: ADMIN, body: { volume_type: { name: 'slow' } } })).body.volume_type.id;
  await finished('volume_type_push', topId, podIds[0]);
  await finished('volume_type_push', other, podIds[0]);
  const podType = [...pod1.volumeService.types.values()].find((t) => t.name === 'fast')!;
  assert.notEqual(podType.id, topId);
  const v = await call(`${gw.urls.volume}/v3/proj-cat/volumes`, { method: 'POST', headers: { ...who, 'openstack-api-version': 'volume 3.63' }, body: { volume: { size: 1, volume_type: topId, availability_zone: 'az1' } } });
  assert.equal(v.status, 202, v.text);
  const sent = pod1.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/volumes')).at(-1)!;
  assert.equal((sent.body as { volume: { volume_type: string } }).volume.volume_type, podType.id);
  const id = v.body.volume.id;
  const shown = await eventually(async () => {
    const r = await call(`${gw.urls.volume}/v3/proj-cat/volumes/${id}`, { headers: { ...who, 'openstack-api-version': 'volume 3.63' } });
    return r.body.volume.status === 'available' ? r : undefined;
  });
  assert.equal(shown.body.volume.volume_type_id, topId);
  assert.equal(shown.body.volume.volume_type, 'fast');
  const listed = await call(`${gw.urls.volume}/v3/proj-cat/volumes/detail`, { headers: { ...who, 'openstack-api-version': 'volume 3.63' } });
  assert.equal(listed.body.volumes.find((x: { id: string }) => x.id === id).volume_type_id, topId);
  const retype = await call(`${gw.urls.volume}/v3/proj-cat/volumes/${id}/action`, { method: 'POST', headers: who, body: { 'os-retype': { new_type: 'slow', migration_policy: 'never' } } });
  assert.equal(retype.status, 202, retype.text);
  const slowInPod = [...pod1.volumeService.types.values()].find((t) => t.name === 'slow')!;
  const sentRetype = pod1.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/volumes/${id}/action`)).at(-1)!;
  assert.equal((sentRetype.body as { 'os-retype': { new_type: string } })['os-retype'].new_type, slowInPod.id);
});

test('a flavor booted the moment it was created (as Nova allows): the create waits for the first push and is accepted', async () => {
  const mk = await call(`${gw.urls.compute}/v2.1/flavors`, {
    method: 'POST',
    headers: ADMIN,
    body: { flavor: { name: 'gw.at-once', id: 'gw-at-once', ram: 128, vcpus: 1, disk: 1 } },
  });
  assert.equal(mk.status, 200, mk.text);
  const r = await boot('az1', 'gw-at-once');
  assert.equal(r.status, 202, r.text);
  assert.equal(pod1.flavors.get('gw-at-once')?.ram, 128);
});
