/**
 * The gateway under test, started the way an operator starts it: `src/main.ts serve --config`
 * in its own process, Keystone auth, a service user of its own, listeners on free ports (port 0,
 * read back from its 'listening' log line) and a database in a temp folder. Its RegionOne
 * endpoints (compute, volumev3, and the admin API as `trio2o-admin`) go into the Keystone catalog, and the pods are registered through the admin API
 * with an admin token, with no endpoint overrides: the gateway finds the pods in the catalog.
 * The pods may be simulated (scripts/tempest/cloud.ts) or real (test/realpods).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeystoneHandle } from '../../test/support/keystone';
import { ADMIN_SERVICE_TYPE } from '../../src/cli/admin/keystone';

/** What the gateway needs to know about the cloud in front of which it is put. */
export interface GatewayCloud {
  keystone: KeystoneHandle;
  /** Catalog service ids, for the gateway's RegionOne endpoints. */
  serviceIds: { compute: string; volumev3: string; image: string };
  /** The pods to register (region name, AZ); the first pod's image endpoint serves RegionOne. */
  pods: readonly { name: string; az: string; endpoints: { compute: string; image: string } }[];
  /** The project of the cloud's service users, when it has one; else one is created. */
  serviceProjectId?: string;
}

export interface GatewayProcess {
  pid: number;
  urls: { admin: string; compute: string; volume: string };
  /** Highest microversions the gateway advertises once it has discovered its pods. */
  computeMax: string;
  volumeMax: string;
  /** The gateway's stdout/stderr (JSON log lines). */
  logFile: string;
  stop(): Promise<void>;
}

/** A started gateway process, as a launcher hands it back. */
export interface LaunchedProcess {
  pid: number;
  /** True once the process has exited. */
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts `command args...` with stdout and stderr appended to `logFile`. The default spawns a
 * child of this process; the real-pods bed passes its watchdog so the gateway dies with it.
 */
export type Launcher = (command: string, args: string[], logFile: string) => Promise<LaunchedProcess>;

export interface StartGatewayOptions {
  /** Folder for trio2o.conf, the database and the log (created). */
  dir: string;
  cloud: GatewayCloud;
  /** The built executable to run (`dist/trio2o`); @default the TypeScript entry through tsx. */
  command?: string;
  /** How to start the process. @default a plain child process */
  launch?: Launcher;
  /** A sqld primary to replicate from (`[database] sync_url`): the database becomes a site replica. */
  syncUrl?: string;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** How long to wait for pod microversion discovery to report the pods' range. */
const DISCOVERY_TIMEOUT_MS = 15_000;
const ENTRY = new URL('../../src/main.ts', import.meta.url).pathname;
/** What the gateway falls back to when it has no volume API (yet): Cinder's base version. */
const VOLUME_BASE_VERSION = '3.0';

/**
 * Start the gateway, register it in the catalog and register the pods.
 * @example const gw = await startGatewayProcess({ dir, cloud }); try { ... } finally { await gw.stop(); }
 */
export async function startGatewayProcess(o: StartGatewayOptions): Promise<GatewayProcess> {
  const ks = o.cloud.keystone;
  mkdirSync(o.dir, { recursive: true });
  // A service user of its own in a 'service' project, as a deployment would have.
  const servicePassword = `svc-${Math.random().toString(36).slice(2)}`;
  const serviceProject = o.cloud.serviceProjectId ?? (await ks.createProject('service'));
  await ks.createUser('trio2o', servicePassword, serviceProject, ['admin', 'service']);
  const conf = join(o.dir, 'trio2o.conf');
  writeFileSync(conf, [
    '[DEFAULT]', 'bind_host = 127.0.0.1', 'auth_strategy = keystone', `policy_file = ${join(o.dir, 'policy.yaml')}`, 'log_level = info',
    '[admin_api]', 'port = 0', '[compute_api]', 'port = 0', '[volume_api]', 'port = 0',
    '[database]', `url = file:${join(o.dir, 'trio2o.db')}`, ...(o.syncUrl ? [`sync_url = ${o.syncUrl}`] : []),
    '[keystone]', `auth_url = ${ks.url}/v3`, 'username = trio2o', `password = ${servicePassword}`, 'project_name = service',
    '',
  ].join('\n'), { mode: 0o600 });

  const logFile = join(o.dir, 'gateway.log');
  const [cmd, ...pre] = o.command ? [o.command] : [process.execPath, '--import', 'tsx', ENTRY];
  const proc = await (o.launch ?? launchChild)(cmd!, [...pre, 'serve', '--config', conf], logFile);
  try {
    const urls = await listening(logFile, proc);
    const ids = o.cloud.serviceIds;
    await ks.createEndpoint('RegionOne', ids.compute, `${urls.compute}/v2.1`);
    await ks.createEndpoint('RegionOne', ids.volumev3, `${urls.volume}/v3/%(project_id)s`);
    // Glance is not gatewayed: the top region's image service is the first pod's.
    await ks.createEndpoint('RegionOne', ids.image, o.cloud.pods[0]!.endpoints.image);
    // The admin API, where `trio2o pod list` and the other admin commands find it.
    await ks.createEndpoint('RegionOne', await ks.createService(ADMIN_SERVICE_TYPE, 'trio2o'), urls.admin);

    const token = await ks.adminToken();
    const pods = [{ pod_name: 'RegionOne' }, ...o.cloud.pods.map((p) => ({ pod_name: p.name, az_name: p.az, pod_az_name: p.az }))];
    for (const pod of pods) {
      const res = await fetch(`${urls.admin}/v1.0/pods`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': token },
        body: JSON.stringify({ pod }),
      });
      if (res.status !== 200 && res.status !== 201) throw new Error(`registering pod ${pod.pod_name} answered ${res.status}: ${await res.text()}`);
      await res.body?.cancel();
    }
    const podMax = await Promise.all(o.cloud.pods.map((p) => versionOf(p.endpoints.compute)));
    return {
      pid: proc.pid,
      urls,
      computeMax: await computeMax(urls.compute, lowest(podMax)),
      volumeMax: await volumeMax(urls.volume),
      logFile,
      stop: () => proc.stop(),
    };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

/** The default launcher: a child process whose output goes to the log file. */
const launchChild: Launcher = async (command, args, logFile) => {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
};

/** Polls the log for the gateway's `listening` line (its ports are 0, so it says which). */
async function listening(logFile: string, proc: LaunchedProcess): Promise<GatewayProcess['urls']> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(logFile, 'utf8');
    } catch {
      /* not written yet */
    }
    for (const line of text.split('\n')) {
      if (!line.includes('"listening"')) continue;
      const ev = JSON.parse(line) as { event?: string; admin?: string; compute?: string; volume?: string };
      if (ev.event === 'listening' && ev.admin && ev.compute && ev.volume) return { admin: ev.admin, compute: ev.compute, volume: ev.volume };
    }
    if (proc.exited()) throw new Error(`gateway exited during start-up; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`gateway not listening after ${READY_TIMEOUT_MS} ms; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The `version` of a compute version document (GET {base}), e.g. '2.79'. */
async function versionOf(base: string): Promise<string> {
  const res = await fetch(base);
  if (!res.ok) throw new Error(`GET ${base} answered ${res.status}`);
  return ((await res.json()) as { version: { version: string } }).version.version;
}

const minor = (v: string) => Number(v.split('.')[1]);
const lowest = (vs: string[]) => vs.reduce((a, b) => (minor(b) < minor(a) ? b : a));

/**
 * The gateway's compute `version` once pod discovery has run. Until then it advertises its
 * own maximum, which the pods may not serve; wait (bounded) until it is no higher than the
 * lowest pod maximum, and use whatever it says then.
 */
async function computeMax(base: string, podMax: string): Promise<string> {
  const deadline = Date.now() + DISCOVERY_TIMEOUT_MS;
  let version = await versionOf(`${base}/v2.1`);
  while (minor(version) > minor(podMax) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    version = await versionOf(`${base}/v2.1`);
  }
  return version;
}

/** The highest volume `version` in the gateway's volume root document, or Cinder's base version. */
async function volumeMax(base: string): Promise<string> {
  try {
    const res = await fetch(`${base}/`);
    const body = (await res.json()) as { versions?: { version?: string }[] };
    const found = (body.versions ?? []).map((v) => v.version ?? '').filter((v) => /^3\.\d+$/.test(v));
    return found.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).pop() ?? VOLUME_BASE_VERSION;
  } catch {
    return VOLUME_BASE_VERSION;
  }
}
