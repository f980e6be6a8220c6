/**
 * `/os-keypairs`: keypairs are kept at the top, per user, with Nova's shapes per microversion:
 *   2.1  create 200 (private_key when generated), delete 202
 *   2.2  `type` (ssh | x509) in views, create 201, delete 204
 *   2.10 admins act for another user (`user_id` in the create body or the query)
 *   2.35 limit/marker paging with `keypairs_links`
 *   2.92 public_key required (no generation); names may also hold `@` and `.`
 * The pods get a copy when a server is booted with the key (keypair-handoff.ts).
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import type { Keypair } from '../../store';
import { forbidden, isSupported, notFound, readJson, validate, badRequest } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { listBody, nextLinks, novaPage } from './links';
import { novaName } from './params';
import { can } from './policy';
import { effectiveLimits } from './quota-engine';
import { fingerprint, generateSshKeyPair, generateX509KeyPair } from './ssh-keys';
import { storeWrite } from '../common';

const name_2_1 = v.pipe(novaName, v.regex(/^[_\- a-zA-Z0-9]+$/, "does not match '^[_\\- a-zA-Z0-9]+$'"));
const name_2_92 = v.pipe(novaName, v.regex(/^[_\-@. a-zA-Z0-9]+$/, "does not match '^[_\\-\\@\\. a-zA-Z0-9]+$'"));
const keypairCreate_2_1 = { name: name_2_1, public_key: v.optional(v.string()) };
const keypairCreate_2_2 = { ...keypairCreate_2_1, type: v.optional(v.picklist(['ssh', 'x509'], "is not one of ['ssh', 'x509']")) };
const keypairCreate_2_10 = { ...keypairCreate_2_2, user_id: v.optional(v.string()) };
const keypairCreate_2_92 = { ...keypairCreate_2_10, name: name_2_92, public_key: v.string('is a required property') };

function createSchema(c: Context<ComputeEnv>) {
  const ver = c.get('apiVersion');
  const entries = isSupported(ver, '2.92') ? keypairCreate_2_92 : isSupported(ver, '2.10') ? keypairCreate_2_10 : isSupported(ver, '2.2') ? keypairCreate_2_2 : keypairCreate_2_1;
  return v.strictObject({ keypair: v.strictObject(entries) });
}
type CreateBody = { name: string; public_key?: string; type?: 'ssh' | 'x509'; user_id?: string };

/** The user acted for: the caller, or (2.10+, with policy) the `user_id` asked for. */
function targetUser(deps: ComputeDeps, c: Context<ComputeEnv>, op: 'index' | 'create' | 'show' | 'delete', asked?: string): string {
  const auth = c.get('auth');
  const user = (isSupported(c.get('apiVersion'), '2.10') ? asked : undefined) ?? auth.userId ?? '';
  can(deps.policy, auth, `os_compute_api:os-keypairs:${op}`, { user_id: user });
  return user;
}

function view(c: Context<ComputeEnv>, k: Keypair, fields: 'index' | 'create' | 'show'): Record<string, unknown> {
  const out: Record<string, unknown> = { name: k.name, public_key: k.public_key, fingerprint: k.fingerprint };
  if (fields !== 'index') out.user_id = k.user_id;
  if (fields === 'show') Object.assign(out, { created_at: k.created_at, deleted: false, deleted_at: null, id: k.id, updated_at: null });
  if (isSupported(c.get('apiVersion'), '2.2')) out.type = k.type;
  return out;
}

export async function keypairIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const user = targetUser(deps, c, 'index', c.req.query('user_id'));
  const paged = isSupported(c.get('apiVersion'), '2.35');
  const page = paged ? novaPage(deps, c) : undefined;
  const rows = await deps.store.keypairs.list(user, page ? { limit: page.limit, marker: page.marker } : {});
  const items = rows.map((k) => ({ keypair: view(c, k, 'index') }));
  return c.json(listBody('keypairs', items, page ? nextLinks(deps, c, 'os-keypairs', page, rows.length, rows.at(-1)?.name) : []));
}

export async function keypairCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { keypair: b } = validate(createSchema(c), await readJson(c)) as { keypair: CreateBody };
  const user = targetUser(deps, c, 'create', b.user_id);
  const type = b.type ?? 'ssh';
  const limit = (await effectiveLimits(deps.store, c.get('projectId'), user)).key_pairs!;
  if (limit >= 0 && (await deps.store.keypairs.count(user)) >= limit) throw forbidden('Quota exceeded, too many key pairs.');
  let publicKey = b.public_key;
  let privateKey: string | undefined;
  if (publicKey === undefined) {
    if (type === 'x509') {
      const made = await generateX509KeyPair(user);
      if (!made) throw badRequest('Keypair data is invalid: generating x509 keypairs needs the openssl command, which is not installed here; import a certificate instead');
      ({ publicKey, privateKey } = made);
    } else ({ publicKey, privateKey } = generateSshKeyPair());
  }
  const created = await storeWrite(
    async () => deps.store.keypairs.create({ user_id: user, name: b.name, type, public_key: publicKey!, fingerprint: fingerprint(publicKey!, type) }),
    () => `Key pair '${b.name}' already exists.`,
  );
  const out = view(c, created, 'create');
  if (privateKey) out.private_key = privateKey;
  return c.json({ keypair: out }, isSupported(c.get('apiVersion'), '2.2') ? 201 : 200);
}

export async function keypairShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const user = targetUser(deps, c, 'show', c.req.query('user_id'));
  const name = c.req.param('name')!;
  const k = await deps.store.keypairs.get(user, name);
  if (!k) throw notFound(`Keypair ${name} not found for user ${user}`);
  return c.json({ keypair: view(c, k, 'show') });
}

export async function keypairDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const user = targetUser(deps, c, 'delete', c.req.query('user_id'));
  const name = c.req.param('name')!;
  if (!(await storeWrite(() => deps.store.keypairs.delete(user, name)))) throw notFound(`Keypair ${name} not found for user ${user}`);
  return c.body(null, isSupported(c.get('apiVersion'), '2.2') ? 204 : 202);
}
