// /os-keypairs: per-user keypairs (type 2.2, user_id query for admins 2.10, limit/marker
// 2.35). A create without public_key generates a real ed25519 key pair, like Nova generates
// one, and returns the private key once.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { badRequest, conflict, forbidden, jsonBody, notFound, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { collectionLinks, limitAndMarker } from './links';
import { naiveSeconds, type SimKeypair } from './state';

const NAME_RE = /^[a-zA-Z0-9 _@.-]{1,255}$/;

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** A fresh OpenSSH ed25519 public key line and a PEM private key. */
export function generateSshKey(comment: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return {
    publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** Nova's ssh fingerprint: MD5 of the key blob, colon-separated hex. */
export function fingerprint(publicKey: string): string {
  const parts = publicKey.trim().split(/\s+/);
  const blob = Buffer.from(parts[1] ?? '', 'base64');
  if (parts.length < 2 || blob.length === 0) throw badRequest('Keypair data is invalid: failed to generate fingerprint');
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

/**
 * Whether an OpenSSH public key line is well formed: its blob is a sequence of length-prefixed
 * fields, the first naming the same key type as the line, all consumed exactly. Nova loads the
 * key with `cryptography` and answers 400 for anything that does not parse (Tempest sends
 * "ssh-rsa" + 2048 'A's, which decodes to zeros).
 */
export function wellFormedSshKey(publicKey: string): boolean {
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]!)) return false;
  const blob = Buffer.from(parts[1]!, 'base64');
  const fields: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    if (at + 4 > blob.length) return false;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return false;
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  const minFields = parts[0] === 'ssh-rsa' ? 3 : 2;
  return fields.length >= minFields && fields[0]!.toString() === parts[0] && fields.slice(1).every((f) => f.length > 0);
}

function targetUser(c: NovaContext, fromBody?: unknown): string {
  const who = c.get('identity');
  const asked = (typeof fromBody === 'string' ? fromBody : undefined) ?? (since(c, '2.10') ? c.req.query('user_id') : undefined);
  if (asked && asked !== who.userId) {
    if (!who.isAdmin) throw forbidden("Policy doesn't allow os_compute_api:os-keypairs to be performed.");
    return asked;
  }
  return who.userId;
}

function detail(c: NovaContext, k: SimKeypair): Record<string, unknown> {
  const v: Record<string, unknown> = {
    public_key: k.publicKey, name: k.name, fingerprint: k.fingerprint, user_id: k.userId, deleted: false,
    created_at: k.createdAt, updated_at: null, deleted_at: null, id: k.id,
  };
  if (since(c, '2.2')) v.type = k.type;
  return v;
}

export function registerKeypairs(api: NovaApi, deps: NovaDeps): void {
  const store = (user: string) => {
    let m = deps.state.keypairs.get(user);
    if (!m) deps.state.keypairs.set(user, (m = new Map()));
    return m;
  };
  api.get('/os-keypairs', (c) => {
    let rows = [...store(targetUser(c)).values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    let links: unknown[] = [];
    if (since(c, '2.35')) {
      const { limit, marker } = limitAndMarker(c, badRequest);
      if (marker !== undefined) {
        const i = rows.findIndex((k) => k.name === marker);
        if (i < 0) throw badRequest(`marker [${marker}] not found`);
        rows = rows.slice(i + 1);
      }
      rows = rows.slice(0, limit);
      links = collectionLinks(c, 'os-keypairs', rows.length, rows.at(-1)?.name);
    }
    const keypairs = rows.map((k) => ({
      keypair: { public_key: k.publicKey, name: k.name, fingerprint: k.fingerprint, ...(since(c, '2.2') ? { type: k.type } : {}) },
    }));
    return c.json(links.length ? { keypairs, keypairs_links: links } : { keypairs });
  });
  api.post('/os-keypairs', async (c) => {
    const body = (await jsonBody(c)).keypair as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') throw badRequest("Invalid input for field/attribute keypair. 'keypair' is a required property");
    const name = body.name;
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      throw badRequest(`Invalid input for field/attribute name. Value: ${JSON.stringify(name)}. ${JSON.stringify(name)} does not match '^[a-zA-Z0-9 _@.-]+$'`);
    }
    const user = targetUser(c, since(c, '2.10') ? body.user_id : undefined);
    const m = store(user);
    if (m.has(name)) throw conflict(`Key pair '${name}' already exists.`);
    const type = since(c, '2.2') && body.type === 'x509' ? 'x509' : 'ssh';
    let publicKey = typeof body.public_key === 'string' ? body.public_key : undefined;
    let privateKey: string | undefined;
    if (!publicKey) ({ publicKey, privateKey } = generateSshKey(`Generated-by-Nova`));
    else if (type === 'ssh' && !wellFormedSshKey(publicKey)) throw badRequest('Keypair data is invalid: failed to generate fingerprint');
    const k: SimKeypair = { name, userId: user, type, publicKey, fingerprint: fingerprint(publicKey), createdAt: naiveSeconds(), id: deps.state.nextSeq() };
    m.set(name, k);
    const view: Record<string, unknown> = { public_key: k.publicKey, name, fingerprint: k.fingerprint, user_id: user };
    if (privateKey) view.private_key = privateKey;
    if (since(c, '2.2')) view.type = type;
    return c.json({ keypair: view }, since(c, '2.2') ? 201 : 200);
  });
  api.get('/os-keypairs/:name', (c) => {
    const user = targetUser(c);
    const k = store(user).get(c.req.param('name'));
    if (!k) throw notFound(`Keypair ${c.req.param('name')} not found for user ${user}`);
    return c.json({ keypair: detail(c, k) });
  });
  api.delete('/os-keypairs/:name', (c) => {
    const user = targetUser(c);
    if (!store(user).delete(c.req.param('name'))) throw notFound(`Keypair ${c.req.param('name')} not found for user ${user}`);
    return c.body(null, since(c, '2.2') ? 204 : 202);
  });
}
