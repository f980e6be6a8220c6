/**
 * A running bed seen from another process. `node --import tsx test/realpods/bed/cli.ts` keeps a
 * bed up, writes its description (bed.json) and serves a small control API on 127.0.0.1 for the
 * operations only the owner of the processes can do (stop/start one pod service). Scenario runs
 * given TRIO2O_REALPODS_BED=<bed.json> attach to it instead of starting their own: a scenario
 * can then be re-run in seconds while it is being written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Bed, BedKeystone, Creds } from './bed';
import { makeCreds, uniqueProject } from './bed';
import type { GatewayProcess } from '../../../scripts/tempest/gateway';
import type { PodService, RealPod } from './pod';
import { POD_SERVICES } from './pod';

interface CredsFile {
  user: string;
  password: string;
  project: string;
  projectId: string;
  userId: string;
}

export interface BedFile {
  dir: string;
  logs: string;
  keystone: { url: string; adminPassword: string };
  gateway: Omit<GatewayProcess, 'stop'>;
  pods: Omit<RealPod, 'daemons' | 'logOf' | 'stopService' | 'startService' | 'stop'>[];
  images: Bed['images'];
  users: Record<'member' | 'member2' | 'admin', CredsFile>;
  serviceIds: Bed['serviceIds'];
  timings: Bed['timings'];
  /** Control API of the owning process (cli.ts), if it serves one. */
  control?: string;
}

const credsFile = (c: Creds): CredsFile => ({ user: c.user, password: c.password, project: c.project, projectId: c.projectId, userId: c.userId });

export function describeBed(bed: Bed, control?: string): BedFile {
  return {
    dir: bed.dir,
    logs: bed.logs,
    keystone: { url: bed.keystone.url, adminPassword: bed.keystone.adminPassword },
    gateway: { pid: bed.gateway.pid, urls: bed.gateway.urls, computeMax: bed.gateway.computeMax, volumeMax: bed.gateway.volumeMax, logFile: bed.gateway.logFile },
    pods: bed.pods.map((p) => ({ name: p.name, key: p.key, az: p.az, dir: p.dir, ports: p.ports, endpoints: p.endpoints })),
    images: bed.images,
    users: { member: credsFile(bed.users.member), member2: credsFile(bed.users.member2), admin: credsFile(bed.users.admin) },
    serviceIds: bed.serviceIds,
    timings: bed.timings,
    control,
  };
}

/** Serves POST /pods/{name}/services/{service}/{stop|start} for attached processes. */
export async function serveControl(bed: Bed): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const m = /^\/pods\/([^/]+)\/services\/([^/]+)\/(stop|start)$/.exec(req.url ?? '');
    req.resume();
    if (req.method !== 'POST' || !m || !POD_SERVICES.includes(m[2] as PodService)) {
      res.writeHead(404).end();
      return;
    }
    const pod = bed.pods.find((p) => p.name === m[1]);
    if (!pod) {
      res.writeHead(404).end();
      return;
    }
    const op = m[3] === 'stop' ? pod.stopService(m[2] as PodService) : pod.startService(m[2] as PodService);
    op.then(
      () => res.writeHead(204).end(),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, server };
}

export function writeBedFile(file: string, d: BedFile): void {
  writeFileSync(file, JSON.stringify(d, null, 2), { mode: 0o600 });
}

/** A minimal Keystone client over HTTP for an attached process (the harness's subset). */
export function keystoneClient(url: string, adminPassword: string): BedKeystone {
  let admin: { token: string; until: number } | undefined;
  const call = async (method: string, path: string, body: unknown, token: string | null, expect: number[]) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`Keystone ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return { headers: res.headers, json: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };
  const issueToken = async (user: string, password: string, project: string) => {
    const domain = { name: 'Default' };
    const r = await call('POST', '/v3/auth/tokens', {
      auth: { identity: { methods: ['password'], password: { user: { name: user, domain, password } } }, scope: { project: { name: project, domain } } },
    }, null, [201]);
    const t = r.json.token;
    return { token: r.headers.get('x-subject-token')!, expiresAt: t.expires_at as string, projectId: t.project.id as string, userId: t.user.id as string };
  };
  const adminToken = async () => {
    if (admin && Date.now() < admin.until) return admin.token;
    const t = await issueToken('admin', adminPassword, 'admin');
    admin = { token: t.token, until: Date.parse(t.expiresAt) - 10 * 60_000 };
    return t.token;
  };
  return {
    url,
    adminPassword,
    adminToken,
    issueToken,
    async createProject(name) {
      return (await call('POST', '/v3/projects', { project: { name, domain_id: 'default' } }, await adminToken(), [201])).json.project.id;
    },
    async createUser(name, password, projectId, roles = ['member']) {
      const tok = await adminToken();
      const userId = (await call('POST', '/v3/users', { user: { name, password, domain_id: 'default', default_project_id: projectId } }, tok, [201])).json.user.id;
      for (const role of roles) {
        const found = (await call('GET', `/v3/roles?name=${encodeURIComponent(role)}`, undefined, tok, [200])).json.roles as { id: string }[];
        const roleId = found[0]?.id ?? (await call('POST', '/v3/roles', { role: { name: role } }, tok, [201])).json.role.id;
        await call('PUT', `/v3/projects/${projectId}/users/${userId}/roles/${roleId}`, undefined, tok, [204]);
      }
      return userId;
    },
  };
}

/** The bed described by `file`, owned by another process; stop() leaves it running. */
export function attachBed(file: string): Bed {
  const d = JSON.parse(readFileSync(file, 'utf8')) as BedFile;
  const ks = keystoneClient(d.keystone.url, d.keystone.adminPassword);
  const control = async (pod: string, service: PodService, op: 'stop' | 'start') => {
    if (!d.control) throw new Error(`the bed in ${file} serves no control API: run the scenario with its own bed`);
    const res = await fetch(`${d.control}/pods/${pod}/services/${service}/${op}`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`${op} ${pod} ${service}: ${res.status} ${await res.text()}`);
  };
  const pods: RealPod[] = d.pods.map((p) => ({
    ...p,
    daemons: new Map(),
    logOf: (s: PodService) => `${d.logs}/${p.key}-${s}.log`,
    stopService: (s: PodService) => control(p.name, s, 'stop'),
    startService: (s: PodService) => control(p.name, s, 'start'),
    stop: async () => {},
  }));
  const creds = (c: CredsFile) => makeCreds(ks, c.user, c.password, c.project, c.projectId, c.userId);
  return {
    dir: d.dir,
    logs: d.logs,
    keystone: ks,
    pods,
    gateway: { ...d.gateway, stop: async () => {} },
    images: d.images,
    users: { member: creds(d.users.member), member2: creds(d.users.member2), admin: creds(d.users.admin) },
    serviceIds: d.serviceIds,
    timings: d.timings,
    newProject: (prefix, roles) => uniqueProject(ks, prefix, roles),
    pod(name) {
      const p = pods.find((x) => x.name === name);
      if (!p) throw new Error(`no pod ${name}`);
      return p;
    },
    stop: async () => {},
  };
}
