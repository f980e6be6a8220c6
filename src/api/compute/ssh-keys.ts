/**
 * Keypair material: generating an SSH key pair the way Nova does (RSA 2048, OpenSSH public key
 * with the `Generated-by-Nova` comment, PKCS#1 PEM private key) and Nova's fingerprints (MD5 of
 * the SSH key blob, SHA-1 of an X.509 certificate, colon-separated lower-case hex).
 */
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
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
