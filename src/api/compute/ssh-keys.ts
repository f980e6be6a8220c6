/**
 * Keypair material: generating an SSH key pair the way Nova does (RSA 2048, OpenSSH public key
 * with the `Generated-by-Nova` comment, PKCS#1 PEM private key) and Nova's fingerprints (MD5 of
 * the SSH key blob, SHA-1 of an X.509 certificate, colon-separated lower-case hex), and x509 key
 * pairs the way Nova makes them, with the `openssl` command.
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badRequest } from '../../http';

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** Two's-complement big-endian mpint, as the SSH wire format wants it. */
function mpint(b: Buffer): Buffer {
  return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

export function generateSshKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))]);
  return {
    publicKey: `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
  };
}

const colonHex = (digest: Buffer) => digest.toString('hex').match(/../g)!.join(':');

/** Nova's fingerprint of an imported key; 400 in Nova's words when the key is not one. */
export function fingerprint(publicKey: string, type: 'ssh' | 'x509'): string {
  if (type === 'x509') {
    try {
      return colonHex(createHash('sha1').update(new X509Certificate(publicKey).raw).digest());
    } catch {
      throw badRequest('Keypair data is invalid: failed to generate X509 fingerprint');
    }
  }
  const parts = publicKey.trim().split(/\s+/);
  const blob = Buffer.from(parts[1] ?? '', 'base64');
  const declared = blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString() : '';
  if (parts.length < 2 || declared !== parts[0]) throw badRequest('Keypair data is invalid: failed to generate fingerprint');
  return colonHex(createHash('md5').update(blob).digest());
}

/** OpenSSL configuration Nova writes for a WinRM client certificate (nova/crypto.py). */
const winrmConfig = (upn: string) =>
  'distinguished_name  = req_distinguished_name\n[req_distinguished_name]\n[v3_req_client]\n' +
  `extendedKeyUsage = clientAuth\nsubjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${upn}\n`;

/**
 * An x509 key pair as Nova generates one (generate_winrm_x509_cert): the `openssl` command makes a
 * self-signed RSA 2048 certificate for CN=<user id>, valid 3650 days, for client authentication
 * with the user's UPN; the private key is the PKCS#12 bundle (empty password) in base64.
 * Undefined when no `openssl` command is installed (Nova needs it too).
 */
export async function generateX509KeyPair(userId: string): Promise<{ publicKey: string; privateKey: string } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'trio2o-x509-'));
  try {
    const keyFile = join(dir, 'temp.key');
    const confFile = join(dir, 'temp.conf');
    await writeFile(confFile, winrmConfig(`${userId}@localhost`), { mode: 0o600 });
    const cert = await run(['req', '-x509', '-nodes', '-days', '3650', '-config', confFile, '-newkey', 'rsa:2048', '-outform', 'PEM', '-keyout', keyFile, '-subj', `/CN=${userId}`, '-extensions', 'v3_req_client']);
    if (!cert) return undefined;
    const p12 = await run(['pkcs12', '-export', '-inkey', keyFile, '-password', 'pass:'], cert);
    if (!p12) return undefined;
    return { publicKey: cert.toString('utf8'), privateKey: p12.toString('base64') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `openssl args`, feeding `input`; its stdout, or undefined when it cannot run or fails. */
function run(args: string[], input?: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const child = execFile('openssl', args, { encoding: 'buffer', timeout: 30_000, maxBuffer: 1 << 20 }, (err, stdout) => resolve(err ? undefined : stdout));
    child.stdin?.end(input);
  });
}
