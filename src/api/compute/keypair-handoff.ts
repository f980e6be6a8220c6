/**
 * The keypair hand-off of server create: keypairs live at the top, but the pod that boots the
 * server looks `key_name` up in its own database. So before the create is forwarded, the chosen
 * pod must hold the user's keypair with the same name and public key: it is read there with the
 * user's token and created (imported) when missing. A pod copy with a different public key is
 * replaced — the top is the source of truth.
 *
 * The pod calls pin their own microversion: 2.1 for SSH keys (no `type` field needed), 2.2 for
 * X.509 ones, so they work whatever version the user negotiated.
 */
import type { Context } from 'hono';
import type { PodResponse } from '../../pods';
import { podRef } from '../../proxy';
import type { Keypair, Pod } from '../../store';
import { ApiError, badRequest } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';

async function podCall(deps: ComputeDeps, c: Context<ComputeEnv>, pod: Pod, k: Keypair, method: string, path: string, body?: unknown): Promise<PodResponse> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  const token = c.req.header('x-auth-token');
  if (token) headers['x-auth-token'] = token;
  if (k.type === 'x509') headers['openstack-api-version'] = 'compute 2.2';
  const projectId = c.get('projectId');
  return await deps.proxy.pods.request({
    pod: podRef(pod),
    service: 'compute',
    method,
    path: `/v2.1/${encodeURIComponent(projectId)}${path}`,
    projectId,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
    signal: c.req.raw.signal,
    requestId: c.get('requestId'),
  });
}

function refused(pod: Pod, name: string, status: number, text: string): ApiError {
  let detail = text;
  try {
    const fault = Object.values(JSON.parse(text) as Record<string, { message?: string }>)[0];
    if (fault?.message) detail = fault.message;
  } catch {
    // not JSON: keep the text
  }
  return new ApiError(status >= 500 ? 502 : status, `Could not copy keypair ${name} to pod ${pod.pod_name}: ${detail}`);
}

/**
 * The caller's keypair `name` at the top. A name the user does not own is Nova's 400
 * `Invalid key_name provided.`, answered before anything is scheduled or any pod touched.
 */
export async function ownKeypair(deps: ComputeDeps, c: Context<ComputeEnv>, name: string): Promise<Keypair> {
  const k = await deps.store.keypairs.get(c.get('auth').userId ?? '', name);
  if (!k) throw badRequest('Invalid key_name provided.');
  return k;
}

/** Makes sure `pod` holds keypair `k` (same name and public key) for the caller. */
export async function ensureKeypairInPod(deps: ComputeDeps, c: Context<ComputeEnv>, pod: Pod, k: Keypair): Promise<void> {
  const name = k.name;
  const path = `/os-keypairs/${encodeURIComponent(name)}`;
  const found = await podCall(deps, c, pod, k, 'GET', path);
  if (found.status === 200) {
    const there = await found.json<{ keypair?: { public_key?: string } }>();
    if (there.keypair?.public_key?.trim() === k.public_key.trim()) return;
    const del = await podCall(deps, c, pod, k, 'DELETE', path);
    if (del.status >= 300 && del.status !== 404) throw refused(pod, name, del.status, await del.text());
    await del.dump();
  } else if (found.status === 404) {
    await found.dump();
  } else {
    throw refused(pod, name, found.status, await found.text());
  }
  const keypair: Record<string, string> = { name: k.name, public_key: k.public_key };
  if (k.type === 'x509') keypair.type = 'x509';
  const made = await podCall(deps, c, pod, k, 'POST', '/os-keypairs', { keypair });
  // 409: another create raced us to it; the key is there either way.
  if (made.status >= 300 && made.status !== 409) throw refused(pod, name, made.status, await made.text());
  await made.dump();
}
