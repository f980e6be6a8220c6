// Pins issue 17 item 3: a deleted server kept counting against the instance quota until some GET
// saw the pod's 404, so ten creates and deletes in a project (quota 10) made the 11th create a
// false 403. A DELETE the pod accepted now frees the quota at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

let cloud: Cloud;
const who = identity('proj-quota');

before(async () => {
  cloud = await startCloud([{ topAz: 'az1', transitionMs: 5 }]);
});
after(() => cloud.close());

const create = (name: string) =>
  call(`${cloud.compute}/v2.1/servers`, { method: 'POST', headers: who, body: { server: { name, flavorRef: '42', imageRef: CIRROS_IMAGE_ID } } });
const remove = (id: string) => call(`${cloud.compute}/v2.1/servers/${id}`, { method: 'DELETE', headers: who });

test('50 creates and deletes with the default instance quota (10) never meet a false 403', async () => {
  const alive: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await create(`keep-${i}`);
    assert.equal(r.status, 202, r.text);
    alive.push(r.body.server.id);
  }
  const over = await create('one-too-many');
  assert.equal(over.status, 403, 'the quota is enforced');
  assert.match(over.body.forbidden.message, /^Quota exceeded for instances: Requested 1, but already used 10 of 10 instances$/);
  for (let i = 0; i < 50; i++) {
    const del = await remove(alive.shift()!);
    assert.equal(del.status, 204, del.text);
    const r = await create(`churn-${i}`);
    assert.equal(r.status, 202, `create ${i} after a delete: ${r.status} ${r.text}`);
    alive.push(r.body.server.id);
  }
  const limits = await call(`${cloud.compute}/v2.1/limits`, { headers: who });
  assert.equal(limits.body.limits.absolute.totalInstancesUsed, 10);
});
