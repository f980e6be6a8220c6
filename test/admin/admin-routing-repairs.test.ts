// Admin repairs of the routing table, each checked against the pod with the gateway's own
// credentials: adopt a resource made in a pod directly, move a routing, prune a pod's stale
// routings (or all of them with force); and the jobs API that shows, retries and deletes the work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { ADMIN, call, identity } from '../support/http';

let cloud: Cloud;
const owner = identity('proj-rep');

before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

/** A server made in pod `i` directly, behind the gateway's back. */
async function serverInPod(i: number, project = 'proj-rep'): Promise<string> {
  const r = await call(`${cloud.pods[i]!.endpoints.compute}/${project}/servers`, {
    method: 'POST',
    headers: { 'x-auth-token': 't', 'x-project-id': project },
    body: { server: { name: 'direct', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } },
  });
  assert.equal(r.status, 202, r.text);
  return r.body.server.id;
}

const A = (path: string) => `${cloud.admin}/v1.0${path}`;

test('adopt: a server made in a pod directly becomes reachable; its project comes from the pod', async () => {
  const id = await serverInPod(0);
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${id}`, { headers: owner })).status, 404, 'not routed yet');
  const r = await call(A('/routings'), { method: 'POST', headers: ADMIN, body: { routing: { top_id: id, pod_id: cloud.podIds[0], resource_type: 'server' } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.routing.project_id, 'proj-rep');
  assert.equal(r.body.routing.status, 'active');
  assert.equal((await call(`${cloud.compute}/v2.1/servers/${id}`, { headers: owner })).status, 200);
  const again = await call(A('/routings'), { method: 'POST', headers: ADMIN, body: { routing: { top_id: id, pod_id: cloud.podIds[0], resource_type: 'server' } } });
  assert.equal(again.status, 409);
  assert.match(again.body.conflictingRequest.message, /is routed already/);
});

test('adopt refuses what the pod does not have, another project than the pod says, and bad bodies', async () => {
  const missing = await call(A('/routings'), { method: 'POST', headers: ADMIN, body: { routing: { top_id: 'nope', pod_id: cloud.podIds[0], resource_type: 'server' } } });
  assert.equal(missing.status, 409);
  assert.equal(missing.body.conflictingRequest.message, 'Pod Pod1 has no server nope.');
  const id = await serverInPod(0, 'proj-x');
  const wrong = await call(A('/routings'), { method: 'POST', headers: ADMIN, body: { routing: { top_id: id, pod_id: cloud.podIds[0], resource_type: 'server', project_id: 'proj-y' } } });
  assert.equal(wrong.status, 409);
  assert.equal(wrong.body.conflictingRequest.message, `server ${id} belongs to project proj-x in pod Pod1, not proj-y.`);
  assert.equal((await call(A('/routings'), { method: 'POST', headers: ADMIN, body: { routing: { top_id: id, pod_id: cloud.podIds[0], resource_type: 'disk' } } })).status, 400);
  assert.equal((await call(A('/routings'), { method: 'POST', headers: ADMIN, body: { routing: { top_id: id, pod_id: 'no-pod', resource_type: 'server' } } })).status, 422);
  assert.equal((await call(A('/routings'), { method: 'POST', headers: ADMIN, body: {} })).status, 400);
});

test('move: only to a pod that has the resource', async () => {
  const r = await call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: owner, body: { server: { name: 'mv', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } } });
  const id = r.body.server.id;
  const routing = (await cloud.gw.store.routings.lookup(id, 'server'))!;
  const refused = await call(A(`/routings/${routing.id}`), { method: 'PUT', headers: ADMIN, body: { routing: { pod_id: cloud.podIds[1] } } });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.conflictingRequest.message, `Pod Pod2 has no server ${id}.`);
  assert.equal((await cloud.gw.store.routings.get(routing.id))!.pod_id, cloud.podIds[0]);
  assert.equal((await call(A('/routings/999999'), { method: 'PUT', headers: ADMIN, body: { routing: { pod_id: cloud.podIds[1] } } })).status, 404);
});

test('prune: a job removes the routings whose resources the pod no longer has, and keeps the rest', async () => {
  const keep = await serverInPod(1);
  const gone = await serverInPod(1);
  for (const id of [keep, gone]) await cloud.gw.gateway.parts.routes.adopt('proj-rep', cloud.podIds[1]!, 'server', id);
  cloud.pods[1]!.servers.delete(gone);
  const r = await call(A('/routings/prune'), { method: 'POST', headers: ADMIN, body: { prune: { pod_id: cloud.podIds[1], resource_type: 'server' } } });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.job.type, 'routings_prune');
  const job = await eventually(async () => {
    const j = (await call(A(`/jobs/${r.body.job.id}`), { headers: ADMIN })).body.job;
    return j.status === 'success' ? j : undefined;
  }, 10_000);
  assert.equal(job.history.at(-1).detail, 'pod Pod2: 2 routing(s) checked, 1 removed');
  assert.ok(await cloud.gw.store.routings.lookup(keep, 'server'));
  assert.equal(await cloud.gw.store.routings.lookup(gone, 'server'), undefined);
});

test('prune with force removes every routing of a pod, so it can be deleted', async () => {
  const pod = await call(A('/pods'), { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'Dead', az_name: 'az9', endpoints: { compute: 'http://127.0.0.1:9/compute/v2.1' } } } });
  const podId = pod.body.pod.pod_id;
  await cloud.gw.gateway.parts.routes.adopt('proj-rep', podId, 'server', 'lost-1');
  await cloud.gw.store.routings.createPending('proj-rep', podId, 'volume');
  assert.equal((await call(A(`/pods/${podId}`), { method: 'DELETE', headers: ADMIN })).status, 409);
  const r = await call(A('/routings/prune'), { method: 'POST', headers: ADMIN, body: { prune: { pod_id: podId, force: true } } });
  assert.equal(r.status, 202);
  await eventually(async () => (await cloud.gw.store.routings.list({ pod_id: podId })).length === 0, 10_000);
  await eventually(async () => (await call(A(`/pods/${podId}`), { method: 'DELETE', headers: ADMIN })).status === 200, 10_000);
});

test('jobs API: pages with jobs_links, shows history, retries and deletes finished jobs only', async () => {
  const store = cloud.gw.store;
  const fresh = [];
  for (let i = 0; i < 3; i++) fresh.push(await store.jobs.enqueue('paging_test', `p${i}`, null, { delayMs: 3_600_000 }));
  const seen: string[] = [];
  let next: string | undefined = A('/jobs?type=paging_test&limit=2');
  while (next) {
    const page: { body: any } = await call(next, { headers: ADMIN });
    seen.push(...page.body.jobs.map((j: { id: string }) => j.id));
    next = page.body.jobs_links?.[0]?.href;
  }
  assert.deepEqual(seen, fresh.map((j) => j.id));
  assert.equal((await call(A('/jobs?marker=nope'), { headers: ADMIN })).status, 400);
  assert.equal((await call(A(`/jobs/${fresh[0]!.id}`), { method: 'DELETE', headers: ADMIN })).status, 409, 'a waiting job stays');
  assert.equal((await call(A(`/jobs/${fresh[0]!.id}/retry`), { method: 'POST', headers: ADMIN })).status, 409);

  // A finished (failed) job: retried, it runs again; deleted, it and its history go.
  const failed = (await store.jobs.list({ type: 'routings_prune', status: 'success' }))[0]!;
  const retried = await call(A(`/jobs/${failed.id}/retry`), { method: 'POST', headers: ADMIN });
  assert.equal(retried.status, 202, retried.text);
  assert.equal(retried.body.job.status, 'new');
  assert.equal(retried.body.job.attempts, 0);
  const done = await eventually(async () => {
    const j = (await call(A(`/jobs/${failed.id}`), { headers: ADMIN })).body.job;
    return j.status === 'success' ? j : undefined;
  }, 10_000);
  assert.ok(done.history.length >= 2, 'the history keeps the earlier attempts');
  assert.equal((await call(A(`/jobs/${failed.id}`), { method: 'DELETE', headers: ADMIN })).status, 200);
  assert.equal((await call(A(`/jobs/${failed.id}`), { headers: ADMIN })).status, 404);
  assert.equal((await call(A('/jobs/nope/retry'), { method: 'POST', headers: ADMIN })).status, 404);
});
