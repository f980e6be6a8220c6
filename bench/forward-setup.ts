/**
 * What bench/forward.ts and bench/request-anatomy.ts share: the requests they send and the pod,
 * server and identity they send them with.
 */
import type { GatewayProcess } from './processes';
import type { WrkRequest } from './loadgen';

export type Op = 'read' | 'action' | 'update';

/** The project of the noauth identity. */
export const PROJECT = 'bench';

/** The noauth identity's headers (a member of PROJECT). */
export const NOAUTH_USER = { 'x-auth-token': 'bench', 'x-project-id': PROJECT, 'x-user-id': 'bench-user', 'x-roles': 'member' };

export function request(op: Op, base: string, path: string, headers: Record<string, string>): WrkRequest {
  switch (op) {
    case 'read':
      return { url: `${base}${path}`, headers };
    case 'action':
      return { url: `${base}${path}/action`, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ 'os-getConsoleOutput': { length: 1 } }) };
    case 'update':
      return { url: `${base}${path}`, method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ server: { name: 'bench-renamed' } }) };
  }
}

export interface Identity {
  /** Headers of the measured requests. */
  user: Record<string, string>;
  /** Headers of the admin calls that register the pod. */
  admin: Record<string, string>;
  project: string;
}

/** Registers the pod through the admin API and creates one server through the gateway; its id. */
export async function seed(gw: GatewayProcess, endpoints: Record<string, string>, who: Identity): Promise<string> {
  const post = async (url: string, body: unknown, headers: Record<string, string>) => {
    const r = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await r.json()) as any;
    if (r.status >= 300) throw new Error(`${url}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  await post(`${gw.admin}/v1.0/pods`, { pod: { pod_name: 'RegionOne' } }, who.admin);
  await post(`${gw.admin}/v1.0/pods`, { pod: { pod_name: 'Pod1', az_name: 'az1', endpoints } }, who.admin);
  const image = ((await (await fetch(`${endpoints.image}/v2/images`, { headers: who.user })).json()) as any).images[0].id;
  const created = await post(`${gw.compute}/v2.1/${who.project}/servers`, { server: { name: 'b', flavorRef: '1', imageRef: image } }, who.user);
  return created.server.id as string;
}

/** A real Keystone for a bench's keystone mode, with a member of PROJECT holding a token. */
export interface BenchKeystone {
  /** The gateway's settings for auth_strategy = keystone against it. */
  env: NodeJS.ProcessEnv;
  /** The member's token for the measured requests, Keystone's admin token for the pod registration. */
  who: Identity;
  stop: () => Promise<void>;
}

/**
 * Starts Keystone (test/support/keystone.ts) in `dir` and creates the project and the member. The
 * gateway validates the member's token once and then serves it from its token cache, as in steady
 * production traffic.
 */
export async function startBenchKeystone(dir: string): Promise<BenchKeystone> {
  const { startKeystone } = await import('../test/support/keystone');
  const ks = await startKeystone({ dir });
  try {
    const project = await ks.createProject(PROJECT);
    await ks.createUser('bench-user', 'bench-pass', project, ['member']);
    const token = (await ks.issueToken('bench-user', 'bench-pass', PROJECT)).token;
    return {
      env: {
        TRIO2O_DEFAULT_AUTH_STRATEGY: 'keystone',
        TRIO2O_KEYSTONE_AUTH_URL: `${ks.url}/v3`,
        TRIO2O_KEYSTONE_USERNAME: 'admin',
        TRIO2O_KEYSTONE_PASSWORD: ks.adminPassword,
        TRIO2O_KEYSTONE_PROJECT_NAME: 'admin',
      },
      who: { user: { 'x-auth-token': token }, admin: { 'x-auth-token': await ks.adminToken() }, project },
      stop: () => ks.stop(),
    };
  } catch (err) {
    await ks.stop();
    throw err;
  }
}
