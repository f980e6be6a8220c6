// Keypairs kept at the top per user (shapes at 2.1, 2.2, 2.10, 2.35, 2.92) and the hand-off:
// a server booted with key_name finds the keypair in its pod because the gateway put it there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, ADMIN_WHO, ALICE, BOB, keysOf } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBnCYm2VQ9QY2o7L8e1iJ1mF6qSx2pSa3o0ZrQ1G0ZqS alice@laptop';

test('generate at 2.1: 200, RSA key in OpenSSH form, private key once; index/show/delete shapes', async () => {
  const r = await api(cloud.compute, '/proj-a/os-keypairs', { method: 'POST', body: { keypair: { name: 'gen21' } } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(keysOf(r.body.keypair), ['fingerprint', 'name', 'private_key', 'public_key', 'user_id']);
  assert.match(r.body.keypair.public_key, /^ssh-rsa AAAAB3NzaC1yc2E\S+ Generated-by-Nova$/);
  assert.match(r.body.keypair.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(r.body.keypair.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  assert.equal(r.body.keypair.user_id, 'alice');
  const list = await api(cloud.compute, '/proj-a/os-keypairs');
  assert.deepEqual(list.body.keypairs.map((k: any) => keysOf(k.keypair)), [['fingerprint', 'name', 'public_key']]);
  const show = await api(cloud.compute, '/proj-a/os-keypairs/gen21');
  assert.deepEqual(keysOf(show.body.keypair), ['created_at', 'deleted', 'deleted_at', 'fingerprint', 'id', 'name', 'public_key', 'updated_at', 'user_id']);
  assert.equal('private_key' in show.body.keypair, false);
  assert.equal((await api(cloud.compute, '/proj-b/os-keypairs/gen21', { who: BOB })).status, 404, 'keypairs are per user');
  const del = await api(cloud.compute, '/proj-a/os-keypairs/gen21', { method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.deepEqual((await api(cloud.compute, '/proj-a/os-keypairs/gen21')).body, { itemNotFound: { code: 404, message: 'Keypair gen21 not found for user alice' } });
});

test('import at 2.2: 201 with type, Nova fingerprint (MD5 of the blob), 409 on a duplicate, 204 delete', async () => {
  const r = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.2', method: 'POST', body: { keypair: { name: 'imp', public_key: ED25519 } } });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.keypair, { name: 'imp', public_key: ED25519, fingerprint: r.body.keypair.fingerprint, user_id: 'alice', type: 'ssh' });
  const { createHash } = await import('node:crypto');
  const md5 = createHash('md5').update(Buffer.from(ED25519.split(' ')[1]!, 'base64')).digest('hex').match(/../g)!.join(':');
  assert.equal(r.body.keypair.fingerprint, md5);
  const dup = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.2', method: 'POST', body: { keypair: { name: 'imp', public_key: ED25519 } } });
  assert.deepEqual(dup.body, { conflictingRequest: { code: 409, message: "Key pair 'imp' already exists." } });
  const bad = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.2', method: 'POST', body: { keypair: { name: 'bad', public_key: 'not a key' } } });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Keypair data is invalid: failed to generate fingerprint' } });
  const badName = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.2', method: 'POST', body: { keypair: { name: 'a@b', public_key: ED25519 } } });
  assert.equal(badName.status, 400, '@ only from 2.92');
  const list = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.2' });
  assert.deepEqual(keysOf(list.body.keypairs[0].keypair), ['fingerprint', 'name', 'public_key', 'type']);
  assert.equal((await api(cloud.compute, '/proj-a/os-keypairs/imp', { version: '2.2', method: 'DELETE' })).status, 204);
});

test('2.10: admins act for another user; members may not (403)', async () => {
  const r = await api(cloud.compute, '/admin-project/os-keypairs', { who: ADMIN_WHO, version: '2.10', method: 'POST', body: { keypair: { name: 'for-bob', public_key: ED25519, user_id: 'bob' } } });
  assert.equal(r.status, 201);
  assert.equal(r.body.keypair.user_id, 'bob');
  assert.equal((await api(cloud.compute, '/proj-b/os-keypairs/for-bob', { who: BOB })).status, 200);
  const adminView = await api(cloud.compute, '/admin-project/os-keypairs?user_id=bob', { who: ADMIN_WHO, version: '2.10' });
  assert.deepEqual(adminView.body.keypairs.map((k: any) => k.keypair.name), ['for-bob']);
  const nosy = await api(cloud.compute, '/proj-a/os-keypairs?user_id=bob', { version: '2.10' });
  assert.deepEqual(nosy.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-keypairs:index to be performed." } });
  const plant = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.10', method: 'POST', body: { keypair: { name: 'x', public_key: ED25519, user_id: 'bob' } } });
  assert.equal(plant.status, 403);
  assert.equal((await api(cloud.compute, '/admin-project/os-keypairs?user_id=bob', { who: ADMIN_WHO, version: '2.9' })).body.keypairs.length, 0, 'user_id ignored before 2.10');
});

test('2.35 paging with keypairs_links and marker errors', async () => {
  const carol = { project: 'proj-c', user: 'carol', roles: ['member'] };
  for (const n of ['k1', 'k2', 'k3']) {
    assert.equal((await api(cloud.compute, '/proj-c/os-keypairs', { who: carol, version: '2.35', method: 'POST', body: { keypair: { name: n, public_key: ED25519 } } })).status, 201);
  }
  const p1 = await api(cloud.compute, '/proj-c/os-keypairs?limit=2', { who: carol, version: '2.35' });
  assert.deepEqual(p1.body.keypairs.map((k: any) => k.keypair.name), ['k1', 'k2']);
  assert.deepEqual(p1.body.keypairs_links, [{ rel: 'next', href: `${cloud.compute}/v2.1/proj-c/os-keypairs?limit=2&marker=k2` }]);
  const p2 = await api(cloud.compute, '/proj-c/os-keypairs?limit=2&marker=k2', { who: carol, version: '2.35' });
  assert.deepEqual(p2.body, { keypairs: [{ keypair: { name: 'k3', public_key: ED25519, fingerprint: p2.body.keypairs[0].keypair.fingerprint, type: 'ssh' } }] });
  assert.equal((await api(cloud.compute, '/proj-c/os-keypairs?marker=zz', { who: carol, version: '2.35' })).status, 400);
  const noGen = await api(cloud.compute, '/proj-c/os-keypairs', { who: carol, version: '2.79', method: 'POST', body: { keypair: { name: 'gen' } } });
  assert.equal(noGen.status, 201, 'generation still allowed at the pods\' 2.79');
});

test('key_pairs quota: 403 "Quota exceeded, too many key pairs."', async () => {
  const dave = { project: 'proj-d', user: 'dave', roles: ['member'] };
  const set = await api(cloud.compute, '/admin-project/os-quota-sets/proj-d', { who: ADMIN_WHO, method: 'PUT', body: { quota_set: { key_pairs: 1 } } });
  assert.equal(set.status, 200, set.text);
  assert.equal((await api(cloud.compute, '/proj-d/os-keypairs', { who: dave, method: 'POST', body: { keypair: { name: 'one', public_key: ED25519 } } })).status, 200);
  const two = await api(cloud.compute, '/proj-d/os-keypairs', { who: dave, method: 'POST', body: { keypair: { name: 'two', public_key: ED25519 } } });
  assert.deepEqual(two.body, { forbidden: { code: 403, message: 'Quota exceeded, too many key pairs.' } });
});

test('hand-off: boot with key_name copies the keypair into the chosen pod first, only once', async () => {
  const erin = { project: 'proj-e', user: 'erin', roles: ['member'] };
  const mk = await api(cloud.compute, '/proj-e/os-keypairs', { who: erin, version: '2.2', method: 'POST', body: { keypair: { name: 'erin-key', public_key: ED25519 } } });
  assert.equal(mk.status, 201);
  const pod = cloud.pods[1]!;
  const before = pod.requests.length;
  const boot = () =>
    api(cloud.compute, '/proj-e/servers', { who: erin, method: 'POST', body: { server: { name: 'vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, key_name: 'erin-key', availability_zone: 'az2' } } });
  const r = await boot();
  assert.equal(r.status, 202, r.text);
  // The calls this create made (the gateway's background jobs may call the pod meanwhile).
  const madeBy = (res: { headers: Headers }) => (q: { headers: Record<string, string> }) => q.headers['x-openstack-request-id'] === res.headers.get('x-openstack-request-id');
  const seen = pod.requests.slice(before).filter(madeBy(r)).map((q) => `${q.method} ${q.path}`);
  assert.deepEqual(seen, [
    'GET /compute/v2.1/proj-e/os-keypairs/erin-key',
    'POST /compute/v2.1/proj-e/os-keypairs',
    'POST /compute/v2.1/proj-e/servers',
  ]);
  const copied = pod.requests.slice(before).find((q) => q.method === 'POST' && q.path.endsWith('/os-keypairs'))!;
  assert.deepEqual(copied.body, { keypair: { name: 'erin-key', public_key: ED25519 } });
  assert.equal(cloud.pods[0]!.requests.filter((q) => q.path.includes('os-keypairs')).length, 0, 'the other pod is not touched');
  const show = await api(cloud.compute, `/proj-e/servers/${r.body.server.id}`, { who: erin });
  assert.equal(show.body.server.key_name, 'erin-key');

  const mark = pod.requests.length;
  const again = await boot();
  assert.equal(again.status, 202);
  assert.deepEqual(pod.requests.slice(mark).filter(madeBy(again)).map((q) => `${q.method} ${q.path}`), ['GET /compute/v2.1/proj-e/os-keypairs/erin-key', 'POST /compute/v2.1/proj-e/servers']);
});

test('hand-off: a key_name the user does not own is 400 before anything is scheduled', async () => {
  const frank = { project: 'proj-f', user: 'frank', roles: ['member'] };
  const counts = cloud.pods.map((p) => p.requests.length);
  const r = await api(cloud.compute, '/proj-f/servers', { who: frank, method: 'POST', body: { server: { name: 'vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, key_name: 'erin-key' } } });
  assert.deepEqual(r.body, { badRequest: { code: 400, message: 'Invalid key_name provided.' } });
  assert.deepEqual(cloud.pods.map((p) => p.requests.length), counts, 'no pod touched');
  assert.deepEqual(await cloud.gw.store.bindings.active('proj-f'), [], 'nothing bound');
  assert.deepEqual(await cloud.gw.store.routings.list({ project_id: 'proj-f' }), []);
});

test('hand-off: a pod copy with another public key is replaced by the top one', async () => {
  const gina = { project: 'proj-g', user: 'gina', roles: ['member'] };
  await api(cloud.compute, '/proj-g/os-keypairs', { who: gina, method: 'POST', body: { keypair: { name: 'gk', public_key: ED25519 } } });
  // The pod already holds a different key under that name (sim trust mode: one pod user for every gateway call).
  const other = await fetch(`${cloud.pods[0]!.endpoints.compute}/proj-g/os-keypairs`, {
    method: 'POST',
    headers: { 'x-auth-token': 't', 'content-type': 'application/json' },
    body: JSON.stringify({ keypair: { name: 'gk' } }),
  });
  assert.equal(other.status, 200);
  const mark = cloud.pods[0]!.requests.length;
  const r = await api(cloud.compute, '/proj-g/servers', { who: gina, method: 'POST', body: { server: { name: 'vm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, key_name: 'gk', availability_zone: 'az1' } } });
  assert.equal(r.status, 202, r.text);
  // The calls this create made (the gateway's background jobs may call the pod meanwhile).
  const ours = cloud.pods[0]!.requests.slice(mark).filter((q) => q.headers['x-openstack-request-id'] === r.headers.get('x-openstack-request-id'));
  assert.deepEqual(ours.map((q) => q.method), ['GET', 'DELETE', 'POST', 'POST']);
});

test('generate x509 at 2.2 as Nova does: a self-signed client certificate for the user, its SHA-1 fingerprint, a PKCS#12 private key', async () => {
  const r = await api(cloud.compute, '/proj-a/os-keypairs', { version: '2.2', method: 'POST', body: { keypair: { name: 'x509gen', type: 'x509' } } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.keypair.type, 'x509');
  const { X509Certificate, createHash } = await import('node:crypto');
  const cert = new X509Certificate(r.body.keypair.public_key);
  assert.equal(cert.subject, 'CN=alice');
  assert.equal(cert.issuer, 'CN=alice');
  assert.match(cert.subjectAltName ?? '', /alice@localhost/);
  const sha1 = createHash('sha1').update(cert.raw).digest('hex').match(/../g)!.join(':');
  assert.equal(r.body.keypair.fingerprint, sha1);
  assert.ok(Buffer.from(r.body.keypair.private_key, 'base64').length > 1000, 'a PKCS#12 bundle in base64');
  const show = await api(cloud.compute, '/proj-a/os-keypairs/x509gen', { version: '2.2' });
  assert.equal(show.body.keypair.type, 'x509');
  assert.equal(show.body.keypair.public_key, r.body.keypair.public_key);
});
