// Keypairs live at the gateway; a server booted with key_name gets the user's keypair handed to
// the pod it lands in, where the real Nova checks and records it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanProject, gw, http, mv, nova, openstack, osc, podServerStatus, podsHoldingServer, useBed, type Creds } from './support';

const T = { timeout: 10 * 60_000 };

/** An OpenSSH ed25519 public key line (no ssh-keygen needed). */
function sshPublicKey(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} realpods`;
}

describe('keypairs handed to the pods', () => {
  const bed = useBed();
  let c: Creds;
  let dir = '';
  let publicKey = '';
  before(async () => {
    c = await bed().newProject('keys');
    dir = mkdtempSync(join(tmpdir(), 'rp-keys-'));
    publicKey = sshPublicKey();
    writeFileSync(join(dir, 'id.pub'), `${publicKey}\n`);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (c) await cleanProject(bed(), c);
  });

  test('openstack keypair create --public-key; listed by openstack and nova; no pod has it yet', T, async () => {
    const k = await osc(c, 'keypair', 'create', '--public-key', join(dir, 'id.pub'), 'kp1');
    assert.equal(k.name, 'kp1');
    const list = await osc(c, 'keypair', 'list');
    assert.deepEqual(list.map((x: { Name: string }) => x.Name), ['kp1']);
    assert.match(await nova(c, 'keypair-list'), /kp1/);
    for (const pod of bed().pods) {
      const r = await http('GET', `${pod.endpoints.compute}/os-keypairs/kp1`, await c.token());
      assert.equal(r.status, 404, `${pod.name} does not have it before a boot`);
    }
  });

  test('server create --key-name in az1 and az2: each pod gets the same keypair, and its server carries it', T, async () => {
    for (const [az, podName] of [['az1', 'Pod1'], ['az2', 'Pod2']] as const) {
      const s = await osc(c, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.nano', '--image', 'tiny',
        '--nic', 'none', '--availability-zone', az, '--key-name', 'kp1', `vm-key-${az}`);
      assert.deepEqual(await podsHoldingServer(bed(), s.id), [podName]);
      const inPod = await podServerStatus(bed(), bed().pod(podName), s.id, 'ACTIVE');
      assert.equal(inPod.key_name, 'kp1');
      const kp = await http('GET', `${bed().pod(podName).endpoints.compute}/os-keypairs/kp1`, await c.token(), undefined, mv('2.2'));
      assert.equal(kp.status, 200);
      assert.equal(kp.json.keypair.public_key.trim(), publicKey);
      assert.equal(kp.json.keypair.type, 'ssh');
      const top = await http('GET', `${gw(bed(), c.projectId).compute}/os-keypairs/kp1`, await c.token());
      assert.equal(kp.json.keypair.fingerprint, top.json.keypair.fingerprint, 'same fingerprint at the gateway and in the pod');
    }
  });

  test('an unknown key_name is refused by the gateway before any pod is asked', T, async () => {
    const r = await http('POST', `${gw(bed(), c.projectId).compute}/servers`, await c.token(), {
      server: { name: 'nokey', flavorRef: '42', imageRef: bed().images.tiny, networks: 'none', key_name: 'nope' },
    }, mv('2.79'));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { badRequest: { code: 400, message: 'Invalid key_name provided.' } });
  });

  test('openstack keypair delete removes it at the gateway', T, async () => {
    await openstack(c, 'keypair', 'delete', 'kp1');
    assert.deepEqual(await osc(c, 'keypair', 'list'), []);
  });
});
