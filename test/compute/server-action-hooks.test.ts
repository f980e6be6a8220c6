// Server actions the gateway acts on before the pod: rebuild with key_name (2.54) hands the
// caller's keypair to the server's pod first; unshelve with availability_zone (2.77) accepts only
// the pod's own top AZ and sends the pod's AZ name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, eventually, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';

let cloud: Cloud;
const who = identity('proj-hooks');
const at = (v: string) => ({ ...who, 'openstack-api-version': `compute ${v}` });
let server: string;

before(async () => {
  cloud = await startCloud([{ topAz: 'az1', podAz: 'nova-a', az: 'nova-a' }, { topAz: 'az2' }]);
  const r = await call(`${cloud.compute}/v2.1/proj-hooks/servers`, { method: 'POST', headers: who, body: { server: { name: 'h', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az1' } } });
  assert.equal(r.status, 202, r.text);
  server = r.body.server.id;
  await eventually(async () => (await call(`${cloud.compute}/v2.1/proj-hooks/servers/${server}`, { headers: who })).body?.server?.status === 'ACTIVE');
});
after(() => cloud.close());

const action = (body: unknown, version: string) => call(`${cloud.compute}/v2.1/proj-hooks/servers/${server}/action`, { method: 'POST', headers: at(version), body });
const podActions = () => cloud.pods[0]!.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/action'));

test('rebuild with key_name: the keypair reaches the pod first; an unknown one is 400 before the pod', async () => {
  const kp = await call(`${cloud.compute}/v2.1/proj-hooks/os-keypairs`, { method: 'POST', headers: who, body: { keypair: { name: 'k1' } } });
  assert.equal(kp.status, 200, kp.text);
  assert.equal(cloud.pods[0]!.compute.keypairs.size, 0, 'the pod has no keypair yet');
  const r = await action({ rebuild: { imageRef: CIRROS_IMAGE_ID, key_name: 'k1' } }, '2.54');
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.server.key_name, 'k1');
  const inPod = [...cloud.pods[0]!.compute.keypairs.values()].flatMap((m) => [...m.values()]);
  assert.deepEqual(inPod.map((k) => [k.name, k.publicKey.trim()]), [['k1', kp.body.keypair.public_key.trim()]]);
  const before = podActions().length;
  const bad = await action({ rebuild: { imageRef: CIRROS_IMAGE_ID, key_name: 'nope' } }, '2.54');
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Invalid key_name provided.' } });
  assert.equal(podActions().length, before, 'the pod was not asked');
  await eventually(async () => (await call(`${cloud.compute}/v2.1/proj-hooks/servers/${server}`, { headers: who })).body?.server?.status === 'ACTIVE');
});

test('unshelve with availability_zone: another AZ is 400 before the pod; the own AZ is sent as the pod names it', async () => {
  assert.equal((await action({ shelve: null }, '2.77')).status, 202);
  await eventually(async () => (await call(`${cloud.compute}/v2.1/proj-hooks/servers/${server}`, { headers: who })).body?.server?.status === 'SHELVED_OFFLOADED');
  const before = podActions().length;
  const wrong = await action({ unshelve: { availability_zone: 'az2' } }, '2.77');
  assert.deepEqual(wrong.body, { badRequest: { code: 400, message: 'The server is in availability zone az1; it cannot be unshelved in availability zone az2 (a server does not move between pods).' } });
  assert.equal(podActions().length, before, 'the pod was not asked');
  const ok = await action({ unshelve: { availability_zone: 'az1' } }, '2.77');
  assert.equal(ok.status, 202, ok.text);
  assert.deepEqual(podActions().at(-1)!.body, { unshelve: { availability_zone: 'nova-a' } });
});
