/**
 * The real-pods test bed: one real Keystone (test/support/keystone.ts), the shared services
 * (MariaDB, RabbitMQ, Glance, the Neutron stand-in), two real pods (Pod1 in az1, Pod2 in az2:
 * Debian 12's Nova 26, Cinder 21, Placement 8) and the gateway (`dist/trio2o`, keystone mode)
 * registered through its admin API with the pods resolved from the Keystone catalog. Users:
 * a member (project realpods-alpha), a second member (realpods-beta) and the admin.
 *
 * Everything lives under one private temp folder and listens on 127.0.0.1 only, on a block of
 * ports checked free first. Every process is started under a watchdog (./daemon.ts) and stopped
 * by PID, also when the test process dies. Start: startBed(); stop: bed.stop().
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startKeystone, type KeystoneHandle } from '../../support/keystone';
import { startGatewayProcess, type GatewayProcess, type Launcher } from '../../../scripts/tempest/gateway';
import type { BedLayout } from './conf';
import { startDaemon, type Daemon } from './daemon';
import { ensurePackages } from './packages';
import { bootstrapPod, podEndpoints, podLayout, startPod, type RealPod } from './pod';
import { startGlance, startMariadb, startNeutronStandIn, startRabbitmq, systemEnv, type Mariadb } from './shared';
import { freePortBlock, secondsSince } from './util';

/** Ports of one bed, from its block's base: shared services first, then 20 per pod. */
const PORTS = { mysql: 0, amqp: 1, epmd: 2, rabbitDist: 3, glance: 4, neutron: 5, pod: (i: number) => 20 * i } as const;
const BLOCK = 80;
/** The devstack flavors, with their well-known ids: the gateway's own seed catalog is the same. */
export const FLAVORS = [
  { id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { id: '3', name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { id: '4', name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
  { id: '5', name: 'm1.xlarge', ram: 16384, vcpus: 8, disk: 160 },
  { id: '42', name: 'm1.nano', ram: 128, vcpus: 1, disk: 1 },
  { id: '84', name: 'm1.micro', ram: 192, vcpus: 1, disk: 1 },
] as const;
/** Service types and names in the catalog, as devstack registers them. */
const SERVICES = { compute: 'nova', volumev3: 'cinderv3', image: 'glance', placement: 'placement' } as const;

export interface Creds {
  user: string;
  password: string;
  project: string;
  projectId: string;
  userId: string;
  /** OS_* for the real clients, region RegionOne: the gateway. */
  env: NodeJS.ProcessEnv;
  /** The same credentials straight at a pod (OS_REGION_NAME = the pod's region). */
  podEnv(pod: string): NodeJS.ProcessEnv;
  /** A project-scoped token (cached until shortly before it expires). */
  token(): Promise<string>;
}

export interface Images {
  /** Id of `tiny` (1 MiB raw, public): every boot uses it; the fake driver never reads it. */
  tiny: string;
  /** Id of `tiny-alt`, for rebuilds. */
  alt: string;
}

/** The part of the Keystone harness the scenarios use (also served to attached processes). */
export type BedKeystone = Pick<KeystoneHandle, 'url' | 'adminPassword' | 'adminToken' | 'issueToken' | 'createProject' | 'createUser'>;

export interface Bed {
  dir: string;
  logs: string;
  keystone: BedKeystone;
  pods: RealPod[];
  gateway: GatewayProcess;
  images: Images;
  users: { member: Creds; member2: Creds; admin: Creds };
  /** Catalog service ids by type. */
  serviceIds: Record<keyof typeof SERVICES, string>;
  /** Seconds each start phase took, and the total. */
  timings: Record<string, number>;
  /** A fresh project with one member user (unique names), for tests that need their own. */
  newProject(prefix: string, roles?: string[]): Promise<Creds>;
  pod(name: string): RealPod;
  /** Stops everything, gateway first, shared services last; removes the folder unless kept. */
  stop(): Promise<void>;
}

export interface BedOptions {
  /** Parent of the bed's private folder. @default os.tmpdir() */
  parent?: string;
  /** Keep the folder (configs, logs) after stop. @default TRIO2O_REALPODS_KEEP=1 */
  keep?: boolean;
  /** The gateway executable. @default dist/trio2o */
  gatewayCommand?: string;
  say?: (line: string) => void;
}

function osEnv(authUrl: string, user: string, password: string, project: string, region: string): NodeJS.ProcessEnv {
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  return {
    ...keep,
    // Debian's clients run on /usr/bin/python3; keep a pyenv shim from shadowing anything.
    PATH: `/usr/bin:/bin:/usr/sbin:/sbin:${process.env.PATH ?? ''}`,
    OS_AUTH_URL: authUrl,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: user,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: region,
    OS_INTERFACE: 'public',
  };
}

export function makeCreds(ks: BedKeystone, user: string, password: string, project: string, projectId: string, userId: string): Creds {
  const authUrl = `${ks.url}/v3`;
  let cached: { token: string; until: number } | undefined;
  return {
    user, password, project, projectId, userId,
    env: osEnv(authUrl, user, password, project, 'RegionOne'),
    podEnv: (pod) => osEnv(authUrl, user, password, project, pod),
    async token() {
      if (cached && Date.now() < cached.until) return cached.token;
      const t = await ks.issueToken(user, password, project);
      cached = { token: t.token, until: Date.parse(t.expiresAt) - 10 * 60_000 };
      return t.token;
    },
  };
}

export async function startBed(opts: BedOptions = {}): Promise<Bed> {
  const say = opts.say ?? ((l: string) => process.stderr.write(`[realpods] ${l}\n`));
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const v = await fn();
    timings[name] = Number(secondsSince(t));
    say(`${name}: ${timings[name]} s`);
    return v;
  };
  const gatewayCommand = resolve(opts.gatewayCommand ?? process.env.TRIO2O_E2E_BIN ?? 'dist/trio2o');
  if (!existsSync(gatewayCommand)) throw new Error(`${gatewayCommand} is missing: run \`npm run build\` first`);
  await phase('packages', async () => ensurePackages(say));

  const dir = mkdtempSync(join(opts.parent ?? tmpdir(), 'trio2o-realpods-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  let keep = opts.keep ?? process.env.TRIO2O_REALPODS_KEEP === '1';
  const base = await freePortBlock(BLOCK);
  say(`folder ${dir}, ports ${base}-${base + BLOCK - 1}`);

  const daemons: Daemon[] = [];
  const pods: RealPod[] = [];
  let keystone: KeystoneHandle | undefined;
  let neutron: Awaited<ReturnType<typeof startNeutronStandIn>> | undefined;
  let gateway: GatewayProcess | undefined;
  let mariadb: Mariadb | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const t = Date.now();
    await gateway?.stop().catch(() => {});
    await Promise.allSettled(pods.map((p) => p.stop()));
    // Glance, then the broker and the database the pods used while shutting down, epmd last.
    for (const d of [...daemons].reverse()) await d.stop().catch(() => {});
    await neutron?.stop();
    await keystone?.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
    say(`stopped everything in ${secondsSince(t)} s${keep ? `; kept ${dir}` : ''}`);
  };
  // A signal must not leave anything behind (the watchdogs would also notice our death).
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping the bed`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    keystone = await phase('keystone', () => startKeystone({ dir, tokenExpiration: 4 * 3600 }));
    const ks = keystone;
    const layout: BedLayout = {
      dir,
      keystoneUrl: ks.url,
      servicePassword: randomBytes(9).toString('hex'),
      ports: {
        mysql: base + PORTS.mysql, amqp: base + PORTS.amqp, epmd: base + PORTS.epmd,
        rabbitDist: base + PORTS.rabbitDist, glance: base + PORTS.glance, neutron: base + PORTS.neutron,
      },
    };
    const layouts = [1, 2].map((i) => podLayout(layout, i, base + PORTS.pod(i)));

    // Catalog, shared services: independent of each other, so side by side.
    const serviceIds = {} as Bed['serviceIds'];
    let serviceProjectId = '';
    await phase('catalog + shared services', () => Promise.all([
      (async () => {
        serviceProjectId = await ks.createProject('service');
        for (const user of ['nova', 'cinder', 'placement', 'glance']) {
          // "service": nova and cinder require it on service tokens (CVE-2023-2088 fix).
          await ks.createUser(user, layout.servicePassword, serviceProjectId, ['admin', 'service']);
        }
        for (const [type, name] of Object.entries(SERVICES)) serviceIds[type as keyof typeof SERVICES] = await ks.createService(type, name);
        for (const pod of layouts) {
          await ks.createRegion(pod.name);
          const eps = podEndpoints(layout, pod);
          for (const type of Object.keys(SERVICES) as (keyof typeof SERVICES)[]) {
            for (const iface of ['public', 'internal', 'admin'] as const) await ks.createEndpoint(pod.name, serviceIds[type], eps[type], iface);
          }
        }
      })(),
      (async () => {
        daemons.push(...(await startRabbitmq(layout, layouts.map((p) => p.key), logs)).reverse());
      })(),
      (async () => {
        neutron = await startNeutronStandIn(layout.ports.neutron);
      })(),
      (async () => {
        mariadb = await startMariadb(layout, logs);
        daemons.push(mariadb.daemon);
      })(),
    ]));
    const adminProjectId = (await ks.issueToken('admin', ks.adminPassword, 'admin')).projectId;
    const admin = async () => ({ token: await ks.adminToken(), projectId: adminProjectId });
    const deps = { bed: layout, mariadb: mariadb!, logs, admin, say };

    // Glance needs the glance user; the pods' schemas need MariaDB. Then the pods, side by side.
    let images: Images | undefined;
    await phase('glance + pod schemas', () => Promise.all([
      (async () => {
        daemons.push(await startGlance(layout, logs));
        images = await uploadImages(ks, `http://127.0.0.1:${layout.ports.glance}`);
      })(),
      ...layouts.map((p) => bootstrapPod(p, deps)),
    ]));
    await phase('pods', () => Promise.all(layouts.map(async (p) => pods.push(await startPod(p, deps)))));
    pods.sort((a, b) => a.name.localeCompare(b.name));
    await phase('flavors', () => Promise.all(pods.map((p) => createFlavors(ks, p))));

    const launch: Launcher = async (command, args, logFile) => {
      const d = await startDaemon({ name: 'gateway', command, args, log: logFile, env: systemEnv(), graceS: 10 });
      return { pid: d.pid, exited: () => !d.alive(), stop: () => d.stop() };
    };
    gateway = await phase('gateway', () => startGatewayProcess({
      dir: join(dir, 'gateway'),
      command: gatewayCommand,
      launch,
      cloud: { keystone: ks, serviceIds, serviceProjectId, pods },
    }));

    const users = await phase('users', async () => {
      const member = await newProject(ks, 'realpods-alpha', 'member');
      const member2 = await newProject(ks, 'realpods-beta', 'member2');
      const adm = await ks.issueToken('admin', ks.adminPassword, 'admin');
      return { member, member2, admin: makeCreds(ks, 'admin', ks.adminPassword, 'admin', adm.projectId, adm.userId) };
    });
    timings.total = Number(secondsSince(t0));
    say(`bed ready in ${timings.total} s: ${pods.map((p) => `${p.name}/${p.az} nova ${p.ports.nova} cinder ${p.ports.cinder}`).join(', ')}; ` +
      `gateway compute ${gateway.urls.compute} volume ${gateway.urls.volume} admin ${gateway.urls.admin}`);

    return {
      dir, logs, keystone: ks, pods, gateway, images: images!, users, serviceIds, timings,
      newProject: (prefix, roles) => uniqueProject(ks, prefix, roles),
      pod(name) {
        const p = pods.find((x) => x.name === name);
        if (!p) throw new Error(`no pod ${name}`);
        return p;
      },
      stop: async () => {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        await stop();
      },
    };
  } catch (err) {
    // The logs are what tells why: keep the folder.
    keep = true;
    say(`start failed after ${secondsSince(t0)} s; the logs stay in ${logs}`);
    await stop().catch(() => {});
    throw err;
  }
}

/** A project `<prefix>-xxxxxx` with one user `<prefix>-user-xxxxxx` holding `roles` there. */
export function uniqueProject(ks: BedKeystone, prefix: string, roles?: string[]): Promise<Creds> {
  const tag = randomBytes(3).toString('hex');
  return newProject(ks, `${prefix}-${tag}`, `${prefix}-user-${tag}`, roles);
}

async function newProject(ks: BedKeystone, project: string, user: string, roles: string[] = ['member']): Promise<Creds> {
  const projectId = await ks.createProject(project);
  const password = randomBytes(9).toString('hex');
  const userId = await ks.createUser(user, password, projectId, roles);
  return makeCreds(ks, user, password, project, projectId, userId);
}

/** `tiny` and `tiny-alt`: 1 MiB of zeros each, raw/bare, public. */
async function uploadImages(ks: BedKeystone, glance: string): Promise<Images> {
  const token = await ks.adminToken();
  const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
  const ids: string[] = [];
  for (const name of ['tiny', 'tiny-alt']) {
    const res = await fetch(`${glance}/v2/images`, {
      method: 'POST', headers,
      body: JSON.stringify({ name, disk_format: 'raw', container_format: 'bare', visibility: 'public', min_disk: 0, min_ram: 0 }),
    });
    if (res.status !== 201) throw new Error(`glance image create answered ${res.status}: ${await res.text()}`);
    const id = ((await res.json()) as { id: string }).id;
    const up = await fetch(`${glance}/v2/images/${id}/file`, {
      method: 'PUT', headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1 << 20),
    });
    if (up.status !== 204) throw new Error(`glance image upload answered ${up.status}: ${await up.text()}`);
    ids.push(id);
  }
  return { tiny: ids[0]!, alt: ids[1]! };
}

async function createFlavors(ks: BedKeystone, pod: RealPod): Promise<void> {
  const token = await ks.adminToken();
  for (const f of FLAVORS) {
    const res = await fetch(`${pod.endpoints.compute}/flavors`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ flavor: { ...f } }),
    });
    if (res.status !== 200) throw new Error(`${pod.name}: flavor ${f.name} answered ${res.status}: ${await res.text()}`);
    await res.body?.cancel();
  }
}
