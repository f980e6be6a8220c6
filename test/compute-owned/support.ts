/**
 * Helpers for the tests of the compute resources the gateway owns: a call pinned to a
 * microversion, and a tiny Keystone so simulated pods (in keystone mode) can tell admins from
 * members — in trust mode a pod never sees the gateway's identity headers (only an allow-list is
 * forwarded), so pod-side admin routes would refuse every forwarded call.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, identity, type Reply } from '../support/http';
import { startCloud, type Cloud } from '../support/cloud';

export { identity };

export interface Who {
  project: string;
  user: string;
  roles: string[];
}

/** Identity headers for `who` (noauth at the gateway; the token names the user for the fake Keystone). */
export function as(who: Who): Record<string, string> {
  return identity(who.project, who.roles, who.user);
}

export const ADMIN_WHO: Who = { project: 'admin-project', user: 'admin-user', roles: ['admin'] };
export const ALICE: Who = { project: 'proj-a', user: 'alice', roles: ['member'] };
export const BOB: Who = { project: 'proj-b', user: 'bob', roles: ['member'] };

/** A compute call at one microversion (`undefined` = no header = 2.1). */
export function api<T = any>(
  base: string,
  path: string,
  opts: { who?: Who; version?: string; method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...as(opts.who ?? ALICE), ...(opts.headers ?? {}) };
  if (opts.version) headers['openstack-api-version'] = `compute ${opts.version}`;
  return call<T>(`${base}/v2.1${path}`, { method: opts.method, headers, body: opts.body, raw: opts.raw });
}

/**
 * A Keystone that validates the tokens `identity()` builds (`tok-<user>`): GET /v3/auth/tokens
 * answers the registered user's project and roles, 404 for anyone else.
 */
export async function startFakeKeystone(users: Who[]): Promise<{ url: string; close(): Promise<void> }> {
  const byToken = new Map(users.map((u) => [`tok-${u.user}`, u]));
  const server: Server = createServer((req, res) => {
    const who = byToken.get(String(req.headers['x-subject-token'] ?? ''));
    if (req.url !== '/v3/auth/tokens' || !who) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404}}');
      return;
    }
    const body = { token: { project: { id: who.project }, user: { id: who.user }, roles: who.roles.map((name) => ({ name })) } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Asserts an object has exactly the allowed keys and all required ones (Tempest's additionalProperties: false). */
export function keysOf(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort();
}

/**
 * Simulated pods in keystone mode (one per top AZ) behind the gateway, with a fake Keystone that
 * knows `users`, so the pods tell admins from members by the forwarded token. `close()` stops
 * the Keystone too.
 * @example const cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']); after(() => cloud.close());
 */
export async function keystoneCloud(users: Who[], azs: string[]): Promise<Cloud> {
  const keystone = await startFakeKeystone(users);
  const auth = { mode: 'keystone' as const, keystoneUrl: keystone.url };
  const cloud = await startCloud(azs.map((topAz) => ({ topAz, auth })));
  return {
    ...cloud,
    async close() {
      await cloud.close();
      await keystone.close();
    },
  };
}
