// Cores and RAM through a resize, as Nova counts them (the instance's current flavor: the new one
// from VERIFY_RESIZE, the old one again after a revert, the new one kept by a confirm); an upsize
// over the cores quota refused before the pod; and servers adopted without a create of the
// gateway's (made in the pod directly) counted with their flavor, not as instances only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { ADMIN, call, identity } from '../support/http';

let cloud: Cloud;
const P = 'proj-resize';
const who = identity(P);

before(async () => {
  cloud = await startCloud([{ topAz: 'az1', transitionMs: 5 }]);
});
after(() => cloud.close());

const compute = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  call(`${cloud.compute}/v2.1${path}`, { method: init.method, body: init.body, headers: { ...who, ...(init.headers ?? {}) } });
const usage = async () => {
  const a = (await compute('/limits')).body.limits.absolute;
  return [a.totalInstancesUsed, a.totalCoresUsed, a.totalRAMUsed];
};
const statusOf = async (id: string) => (await compute(`/servers/${id}`)).body.server.status;
const action = async (id: string, body: unknown) => {
  const r = await compute(`/servers/${id}/action`, { method: 'POST', body });
  assert.ok(r.status === 202 || r.status === 204, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
};

test('resize: VERIFY_RESIZE counts the new flavor, a revert the old one, a confirm keeps the new one', async () => {
  const r = await compute('/servers', { method: 'POST', body: { server: { name: 'rs', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(r.status, 202, r.text);
  const id = r.body.server.id;
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  assert.deepEqual(await usage(), [1, 1, 512]);
  await action(id, { resize: { flavorRef: '3' } });
  assert.deepEqual(await usage(), [1, 2, 4096], 'm1.medium from the accepted resize on');
  await eventually(async () => (await statusOf(id)) === 'VERIFY_RESIZE');
  await action(id, { revertResize: null });
  assert.deepEqual(await usage(), [1, 1, 512], 'back to m1.tiny');
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  await action(id, { resize: { flavorRef: '3' } });
  await eventually(async () => (await statusOf(id)) === 'VERIFY_RESIZE');
  await action(id, { confirmResize: null });
  assert.deepEqual(await usage(), [1, 2, 4096], 'm1.medium kept');
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  // A revert after the confirm has nothing to go back to: the pod refuses it, usage stays.
  const late = await compute(`/servers/${id}/action`, { method: 'POST', body: { revertResize: null } });
  assert.equal(late.status, 409);
  assert.deepEqual(await usage(), [1, 2, 4096]);
  assert.equal((await compute(`/servers/${id}`, { method: 'DELETE' })).status, 204);
  assert.deepEqual(await usage(), [0, 0, 0]);
});

test('an upsize over the cores quota is 403 in Nova\'s words before the pod is asked; a downsize is not checked', async () => {
  const set = await call(`${cloud.compute}/v2.1/os-quota-sets/${P}`, { method: 'PUT', headers: ADMIN, body: { quota_set: { cores: 2 } } });
  assert.equal(set.status, 200, set.text);
  const ids: string[] = [];
  for (const name of ['a', 'b']) {
    const r = await compute('/servers', { method: 'POST', body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
    assert.equal(r.status, 202, r.text);
    ids.push(r.body.server.id);
  }
  for (const id of ids) await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  const asked = () => cloud.pods[0]!.requests.filter((q) => q.path.endsWith(`/servers/${ids[0]}/action`)).length;
  const before = asked();
  const over = await compute(`/servers/${ids[0]}/action`, { method: 'POST', body: { resize: { flavorRef: '3' } } });
  assert.deepEqual(over.body, { forbidden: { code: 403, message: 'Quota exceeded for cores: Requested 1, but already used 2 of 2 cores' } });
  assert.equal(asked(), before, 'refused before the pod');
  await action(ids[0]!, { resize: { flavorRef: '42' } });
  assert.deepEqual(await usage(), [2, 2, 512 + 128]);
  for (const id of ids) await eventually(async () => ['ACTIVE', 'VERIFY_RESIZE'].includes(await statusOf(id)));
  await eventually(async () => (await statusOf(ids[0]!)) === 'VERIFY_RESIZE');
  await action(ids[0]!, { confirmResize: null });
  for (const id of ids) assert.equal((await compute(`/servers/${id}`, { method: 'DELETE' })).status, 204);
  await call(`${cloud.compute}/v2.1/os-quota-sets/${P}`, { method: 'DELETE', headers: ADMIN });
});

test('a server adopted on a route miss counts its flavor\'s cores and RAM', async () => {
  const pod = cloud.pods[0]!;
  const made = await call(`${pod.endpoints.compute}/${P}/servers`, {
    method: 'POST',
    headers: { 'x-auth-token': 't', 'x-project-id': P },
    body: { server: { name: 'direct', flavorRef: '2', imageRef: CIRROS_IMAGE_ID } },
  });
  assert.equal(made.status, 202, made.text);
  assert.deepEqual(await usage(), [0, 0, 0], 'unknown to the gateway yet');
  assert.equal((await compute(`/servers/${made.body.server.id}`)).status, 200);
  assert.deepEqual(await usage(), [1, 1, 2048], 'adopted with m1.small');
});
