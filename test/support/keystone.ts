// A real Debian Keystone (SQLite + fernet, uwsgi on 127.0.0.1) for tests, plus the few admin
// operations tests need, done over raw HTTP with a cached admin token (each `openstack` CLI call
// would cost ~1.5 s of Python start-up). Start ONE per test file: `before` starts, `after` stops.
// If Keystone is not installed this throws, so tests fail rather than skip (CI installs it).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import {
  bootstrapState, copyState, ensureTemplate, findBinaries, PLACEHOLDER_URL, readAdminPassword, writeConf,
} from './keystone-state';
import { freePort, serveKeystone, type RunningServer } from './keystone-server';

export interface StartKeystoneOptions {
  /** Parent folder for the state folder. @default os.tmpdir() */
  dir?: string;
  /** Port to serve on. @default a free port */
  port?: number;
  /** Keystone [token] expiration in seconds, e.g. 5 to test expiry. @default 3600 */
  tokenExpiration?: number;
  /** Bootstrap from scratch instead of copying the cached template (slow, ~7 s more). @default false */
  fresh?: boolean;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
  projectId: string;
  userId: string;
}

export interface KeystoneHandle {
  /** e.g. http://127.0.0.1:PORT; the auth_url is url + '/v3'. */
  url: string;
  adminPassword: string;
  /** PID of the uwsgi master serving Keystone. */
  pid: number;
  /** State folder (keystone.conf, keystone.db, keystone.log, server.out). */
  dir: string;
  /** Admin project-scoped token, cached until a minute before it expires. */
  adminToken(): Promise<string>;
  issueToken(user: string, password: string, project: string): Promise<IssuedToken>;
  createProject(name: string): Promise<string>;
  /** Creates a user in Default; with a project, grants `roles` there (created as needed). */
  createUser(name: string, password: string, projectId?: string, roles?: string[]): Promise<string>;
  createRegion(id: string): Promise<void>;
  createService(type: string, name: string): Promise<string>;
  createEndpoint(region: string, serviceId: string, url: string, iface?: 'public' | 'internal' | 'admin'): Promise<string>;
  revokeToken(token: string): Promise<void>;
  /** Kills the server by PID and removes the state folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Re-issue the cached admin token this long before it expires. */
const ADMIN_TOKEN_MARGIN_MS = 60_000;
const ADMIN_TIMEOUT_MS = 30_000;
/** Attempts when the picked free port was taken before uwsgi bound it. */
const PORT_ATTEMPTS = 3;

type Json = Record<string, unknown>;

/** Sets up a real Keystone from scratch in a temp folder and serves it; see the module header. */
export async function startKeystone(opts: StartKeystoneOptions = {}): Promise<KeystoneHandle> {
  const bins = findBinaries();
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'trio2o-keystone-'));
  let server: RunningServer | undefined;
  try {
    let adminPassword: string;
    await writeConf(dir, { tokenExpiration: opts.tokenExpiration });
    if (opts.fresh) {
      await bootstrapState(dir, bins);
      adminPassword = await readAdminPassword(dir);
    } else {
      adminPassword = await copyState(await ensureTemplate(bins), dir);
    }
    for (let attempt = 1; !server; attempt++) {
      try {
        server = await serveKeystone(dir, opts.port ?? (await freePort()), bins);
      } catch (err) {
        if (opts.port !== undefined || attempt >= PORT_ATTEMPTS) throw err;
      }
    }
    const handle = makeHandle(server, dir, adminPassword);
    await fixIdentityEndpoint(handle, server.url);
    return handle;
  } catch (err) {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function makeHandle(server: RunningServer, dir: string, adminPassword: string): KeystoneHandle & { call: Call } {
  const agent = new Agent({ keepAliveTimeout: 1_000 });
  let admin: { token: string; renewAt: number } | undefined;
  let stopped = false;

  const call: Call = async (method, path, body, token, expect) => {
    const res = await request(`${server.url}${path}`, {
      method,
      dispatcher: agent,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { 'x-auth-token': token ?? (await handle.adminToken()) }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: ADMIN_TIMEOUT_MS,
      bodyTimeout: ADMIN_TIMEOUT_MS,
    });
    const text = await res.body.text();
    if (!expect.includes(res.statusCode)) {
      throw new Error(`Keystone ${method} ${path} answered ${res.statusCode}: ${text.slice(0, 500)}`);
    }
    return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as Json) : {} };
  };

  const passwordAuth = async (user: string, password: string, project: string): Promise<IssuedToken> => {
    const domain = { name: 'Default' };
    const res = await call('POST', '/v3/auth/tokens', {
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, domain, password } } },
        scope: { project: { name: project, domain } },
      },
    }, null, [201]);
    const t = res.json.token as { expires_at: string; project: { id: string }; user: { id: string } };
    return { token: String(res.headers['x-subject-token']), expiresAt: t.expires_at, projectId: t.project.id, userId: t.user.id };
  };

  const roleId = async (name: string): Promise<string> => {
    const found = await call('GET', `/v3/roles?name=${encodeURIComponent(name)}`, undefined, undefined, [200]);
    const roles = found.json.roles as { id: string }[];
    if (roles.length > 0) return roles[0]!.id;
    const made = await call('POST', '/v3/roles', { role: { name } }, undefined, [201]);
    return (made.json.role as { id: string }).id;
  };

  const handle = {
    url: server.url,
    adminPassword,
    pid: server.pid,
    dir,
    call,
    async adminToken() {
      if (admin && Date.now() < admin.renewAt) return admin.token;
      const t = await passwordAuth('admin', adminPassword, 'admin');
      admin = { token: t.token, renewAt: Date.parse(t.expiresAt) - Math.min(ADMIN_TOKEN_MARGIN_MS, (Date.parse(t.expiresAt) - Date.now()) / 2) };
      return t.token;
    },
    issueToken: passwordAuth,
    async createProject(name: string) {
      const res = await call('POST', '/v3/projects', { project: { name, domain_id: 'default' } }, undefined, [201]);
      return (res.json.project as { id: string }).id;
    },
    async createUser(name: string, password: string, projectId?: string, roles: string[] = ['member']) {
      const user = { name, password, domain_id: 'default', ...(projectId ? { default_project_id: projectId } : {}) };
      const res = await call('POST', '/v3/users', { user }, undefined, [201]);
      const userId = (res.json.user as { id: string }).id;
      if (projectId) {
        for (const role of roles) {
          await call('PUT', `/v3/projects/${projectId}/users/${userId}/roles/${await roleId(role)}`, undefined, undefined, [204]);
        }
      }
      return userId;
    },
    async createRegion(id: string) {
      await call('POST', '/v3/regions', { region: { id } }, undefined, [201]);
    },
    async createService(type: string, name: string) {
      const res = await call('POST', '/v3/services', { service: { type, name, enabled: true } }, undefined, [201]);
      return (res.json.service as { id: string }).id;
    },
    async createEndpoint(region: string, serviceId: string, url: string, iface: 'public' | 'internal' | 'admin' = 'public') {
      const endpoint = { region_id: region, service_id: serviceId, url, interface: iface, enabled: true };
      const res = await call('POST', '/v3/endpoints', { endpoint }, undefined, [201]);
      return (res.json.endpoint as { id: string }).id;
    },
    async revokeToken(token: string) {
      await request(`${server.url}/v3/auth/tokens`, {
        method: 'DELETE',
        dispatcher: agent,
        headers: { 'x-auth-token': await handle.adminToken(), 'x-subject-token': token },
      }).then(async (res) => {
        await res.body.dump();
        if (res.statusCode !== 204) throw new Error(`Keystone token revocation answered ${res.statusCode}`);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await agent.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

type Call = (
  method: string,
  path: string,
  body: unknown,
  /** undefined = the admin token, null = no token */
  token: string | null | undefined,
  expect: number[],
) => Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: Json }>;

/** The template's identity endpoint points at a placeholder; point it at this instance. */
async function fixIdentityEndpoint(handle: KeystoneHandle & { call: Call }, url: string): Promise<void> {
  const res = await handle.call('GET', '/v3/endpoints', undefined, undefined, [200]);
  for (const ep of res.json.endpoints as { id: string; url: string }[]) {
    if (ep.url === PLACEHOLDER_URL) {
      await handle.call('PATCH', `/v3/endpoints/${ep.id}`, { endpoint: { url: `${url}/v3/` } }, undefined, [200]);
    }
  }
}

/** A unique name for test resources, e.g. uniqueName('proj') → 'proj-3f9a1c'. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
