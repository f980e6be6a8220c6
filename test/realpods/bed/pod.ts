/**
 * One real pod: an independent Nova + Cinder + Placement deployment (Debian 12, Zed) on its own
 * ports, databases and RabbitMQ vhost, using the bed's shared Keystone, Glance, MariaDB, RabbitMQ
 * and Neutron stand-in. Services: placement (uwsgi), nova-api, nova-conductor, nova-scheduler,
 * nova-compute (fake driver), cinder-api, cinder-scheduler, cinder-volume (fake driver).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cinderConf, dbUrl, novaConf, novaDbConf, placementConf, type BedLayout, type PodLayout } from './conf';
import { startDaemon, type Daemon } from './daemon';
import { systemEnv, type Mariadb } from './shared';
import { httpStatus, poll, run, tail } from './util';

export const POD_SERVICES = [
  'placement', 'nova-conductor', 'nova-scheduler', 'nova-api', 'nova-compute', 'cinder-scheduler', 'cinder-api', 'cinder-volume',
] as const;
export type PodService = (typeof POD_SERVICES)[number];

const DATABASES = ['nova_api', 'nova_cell0', 'nova_cell1', 'placement', 'cinder'] as const;
/** On 2 busy cores a service can take a minute to import; a wait this long means it is broken. */
const READY_MS = 240_000;

export interface PodEndpoints {
  compute: string;
  volumev3: string;
  image: string;
  placement: string;
}

export interface RealPod extends PodLayout {
  endpoints: PodEndpoints;
  /** The running daemons by service. */
  daemons: Map<PodService, Daemon>;
  /** Log file of a service (appended to across restarts). */
  logOf(service: PodService): string;
  /** Stops one service (TERM, then KILL after the grace), e.g. nova-api for the pod-down tests. */
  stopService(service: PodService): Promise<void>;
  /** Starts a stopped service again and waits until it serves. */
  startService(service: PodService): Promise<void>;
  /** Stops every service of the pod, in parallel. */
  stop(): Promise<void>;
}

/**
 * /usr/bin/nova-compute belongs to the nova-compute package, which depends on a hypervisor
 * package (libvirt/qemu or ironic). The fake driver is in python3-nova, so the bed writes the
 * same ten-line entry point itself.
 */
function novaComputeEntry(binDir: string): string {
  if (existsSync('/usr/bin/nova-compute')) return '/usr/bin/nova-compute';
  const file = join(binDir, 'nova-compute');
  if (!existsSync(file)) {
    mkdirSync(binDir, { recursive: true });
    writeFileSync(file, '#!/usr/bin/python3\n# the console script of Debian\'s nova-compute package\nimport sys\nfrom nova.cmd.compute import main\nif __name__ == "__main__":\n    sys.exit(main())\n', { mode: 0o755 });
  }
  return file;
}

export interface PodDeps {
  bed: BedLayout;
  mariadb: Mariadb;
  logs: string;
  /** An admin token and the admin project id, for readiness checks through the APIs. */
  admin(): Promise<{ token: string; projectId: string }>;
  say(line: string): void;
}

export function podLayout(bed: BedLayout, index: number, portBase: number): PodLayout {
  const name = `Pod${index}`;
  return {
    name,
    key: name.toLowerCase(),
    az: `az${index}`,
    dir: join(bed.dir, name.toLowerCase()),
    ports: { nova: portBase, cinder: portBase + 1, placement: portBase + 2 },
  };
}

export function podEndpoints(bed: BedLayout, pod: PodLayout): PodEndpoints {
  return {
    compute: `http://127.0.0.1:${pod.ports.nova}/v2.1`,
    volumev3: `http://127.0.0.1:${pod.ports.cinder}/v3/%(project_id)s`,
    image: `http://127.0.0.1:${bed.ports.glance}`,
    placement: `http://127.0.0.1:${pod.ports.placement}`,
  };
}

/**
 * Creates the pod's databases, writes its configs and runs the schema steps: Placement, Cinder
 * and Nova in parallel (Nova's chain is the documented order: api_db sync, map_cell0,
 * create_cell cell1, db sync).
 */
export async function bootstrapPod(pod: PodLayout, d: PodDeps): Promise<void> {
  const t0 = Date.now();
  for (const sub of ['placement', 'nova/instances', 'nova/lock', 'cinder/lock']) mkdirSync(join(pod.dir, sub), { recursive: true });
  writeFileSync(join(pod.dir, 'placement', 'placement.conf'), placementConf(d.bed, pod));
  writeFileSync(join(pod.dir, 'nova.conf'), novaConf(d.bed, pod));
  writeFileSync(join(pod.dir, 'nova-db.conf'), novaDbConf(d.bed, pod));
  writeFileSync(join(pod.dir, 'cinder.conf'), cinderConf(d.bed, pod));
  await d.mariadb.sql(DATABASES.map((db) =>
    `CREATE DATABASE ${pod.key}_${db} CHARACTER SET utf8; GRANT ALL PRIVILEGES ON ${pod.key}_${db}.* TO 'openstack'@'127.0.0.1';`).join(' '));
  const env = systemEnv();
  const nm = (...args: string[]) => run('nova-manage', ['--config-file', join(pod.dir, 'nova.conf'), '--config-file', join(pod.dir, 'nova-db.conf'), ...args], { env });
  await Promise.all([
    run('placement-manage', ['--config-file', join(pod.dir, 'placement', 'placement.conf'), 'db', 'sync'], { env }),
    run('cinder-manage', ['--config-file', join(pod.dir, 'cinder.conf'), 'db', 'sync'], { env }),
    (async () => {
      await nm('api_db', 'sync');
      await nm('cell_v2', 'map_cell0', '--database_connection', dbUrl(d.bed, pod, 'nova_cell0'));
      await nm('cell_v2', 'create_cell', '--name', 'cell1');
      await nm('db', 'sync');
    })(),
  ]);
  d.say(`${pod.name}: databases and schemas in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Starts the pod's services in the order the recipe needs and waits until the pod can serve. */
/** Where the bed's Python additions (the Cinder driver) live. */
const PYTHON_DIR = new URL('./python', import.meta.url).pathname;

export async function startPod(pod: PodLayout, d: PodDeps): Promise<RealPod> {
  const env = systemEnv({ PYTHONPATH: PYTHON_DIR });
  const daemons = new Map<PodService, Daemon>();
  const logOf = (s: PodService) => join(d.logs, `${pod.key}-${s}.log`);
  const nova = ['--config-file', join(pod.dir, 'nova.conf'), '--config-file', join(pod.dir, 'nova-db.conf')];
  const cinder = ['--config-file', join(pod.dir, 'cinder.conf')];
  const commands: Record<PodService, [string, string[]]> = {
    placement: ['/usr/bin/uwsgi', [
      '--plugins', 'python3', '--http11-socket', `127.0.0.1:${pod.ports.placement}`, '--wsgi-file', '/usr/bin/placement-api',
      '--env', `OS_PLACEMENT_CONFIG_DIR=${join(pod.dir, 'placement')}`,
      '--master', '--processes', '1', '--threads', '4', '--lazy-apps', '--die-on-term', '--no-orphans', '--buffer-size', '65535',
    ]],
    'nova-conductor': ['/usr/bin/nova-conductor', nova],
    'nova-scheduler': ['/usr/bin/nova-scheduler', nova],
    'nova-api': ['/usr/bin/nova-api', nova],
    // nova-compute gets nova.conf only: it reaches the database through the conductor.
    'nova-compute': [novaComputeEntry(join(d.bed.dir, 'bin')), ['--config-file', join(pod.dir, 'nova.conf')]],
    'cinder-scheduler': ['/usr/bin/cinder-scheduler', cinder],
    'cinder-api': ['/usr/bin/cinder-api', cinder],
    'cinder-volume': ['/usr/bin/cinder-volume', cinder],
  };
  const start = async (s: PodService) => {
    const [command, args] = commands[s];
    daemons.set(s, await startDaemon({ name: `${pod.key}-${s}`, command, args, log: logOf(s), env }));
  };
  const db = (name: string, query: string) => d.mariadb.sql(query, `${pod.key}_${name}`).then((out) => Number(out.trim() || '0'));
  const alive = (s: PodService) => {
    const dm = daemons.get(s);
    if (!dm?.alive()) throw new Error(`${pod.key}-${s} exited:\n${tail(logOf(s))}`);
  };
  const serviceRow = (s: PodService, database: string, since: string) =>
    poll(`${pod.name} ${s} registered`, READY_MS, async () => {
      alive(s);
      return (await db(database, `select count(*) from services where \`binary\`='${s}' and deleted=0 and coalesce(updated_at, created_at) >= '${since}'`)) > 0;
    }, 500);
  const http = (s: PodService, url: string) => poll(`${pod.name} ${s} answering`, READY_MS, async () => {
    alive(s);
    return (await httpStatus(url)) > 0;
  });
  const endpoints = podEndpoints(d.bed, pod);
  const readiness: Record<PodService, (since: string) => Promise<unknown>> = {
    placement: () => http('placement', `${endpoints.placement}/`),
    'nova-conductor': (since) => serviceRow('nova-conductor', 'nova_cell1', since),
    'nova-scheduler': (since) => serviceRow('nova-scheduler', 'nova_cell1', since),
    'nova-api': () => http('nova-api', `${endpoints.compute}`),
    'nova-compute': async (since) => {
      await serviceRow('nova-compute', 'nova_cell1', since);
      // Schedulable = a resource provider with inventory in Placement and the host mapped to
      // cell1 (the scheduler's periodic discovery, every 5 s).
      await poll(`${pod.name} compute resource provider`, READY_MS, async () => {
        alive('nova-compute');
        return (await db('placement', `select count(*) from inventories i join resource_providers r on r.id = i.resource_provider_id where r.name='${pod.key}-compute'`)) >= 3;
      }, 500);
      await poll(`${pod.name} compute host mapped to cell1`, READY_MS, async () =>
        (await db('nova_api', `select count(*) from host_mappings where host='${pod.key}-compute'`)) > 0, 500);
    },
    'cinder-scheduler': (since) => serviceRow('cinder-scheduler', 'cinder', since),
    'cinder-api': () => http('cinder-api', `http://127.0.0.1:${pod.ports.cinder}/`),
    'cinder-volume': async (since) => {
      await serviceRow('cinder-volume', 'cinder', since);
      // A volume create is scheduled only once the scheduler has the backend's capabilities.
      await poll(`${pod.name} cinder backend pool known to the scheduler`, READY_MS, async () => {
        alive('cinder-volume');
        const { token, projectId } = await d.admin();
        const res = await fetch(`http://127.0.0.1:${pod.ports.cinder}/v3/${projectId}/scheduler-stats/get_pools`, { headers: { 'x-auth-token': token } });
        if (!res.ok) return false;
        return ((await res.json()) as { pools: unknown[] }).pools.length > 0;
      }, 500);
    },
  };
  // MariaDB's DATETIME is UTC in these services; a row touched since `since` is this start's.
  const utcNow = () => new Date(Date.now() - 1000).toISOString().slice(0, 19).replace('T', ' ');
  const t0 = Date.now();
  let started = false;
  const startAndWait = async (s: PodService) => {
    const since = utcNow();
    const t = Date.now();
    await start(s);
    await readiness[s](since);
    // The pod's start: when each service was ready; a later restart: how long it took.
    d.say(started ? `${pod.name}: ${s} restarted, ready in ${((Date.now() - t) / 1000).toFixed(1)} s`
      : `${pod.name}: ${s} ready at +${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };

  try {
    // 1. Placement first: nova-compute creates its resource provider at start-up and would only
    //    retry a minute later.
    await startAndWait('placement');
    // 2. Everything that needs no other pod service, in parallel. 3. nova-compute once the
    //    conductor consumes its queue (a ping sent earlier is lost: a 10 s RPC timeout), and
    //    cinder-volume once its scheduler is there to receive its capabilities.
    await Promise.all([
      (async () => {
        await startAndWait('nova-conductor');
        await startAndWait('nova-compute');
      })(),
      startAndWait('nova-scheduler'),
      startAndWait('nova-api'),
      (async () => {
        await startAndWait('cinder-scheduler');
        await startAndWait('cinder-volume');
      })(),
      startAndWait('cinder-api'),
    ]);
  } catch (err) {
    await Promise.allSettled([...daemons.values()].map((dm) => dm.stop()));
    throw err;
  }

  started = true;
  const pod_: RealPod = {
    ...pod,
    endpoints,
    daemons,
    logOf,
    async stopService(s) {
      await daemons.get(s)?.stop();
      daemons.delete(s);
    },
    async startService(s) {
      if (daemons.get(s)?.alive()) return;
      await startAndWait(s);
    },
    async stop() {
      await Promise.allSettled([...daemons.values()].map((dm) => dm.stop()));
      daemons.clear();
    },
  };
  return pod_;
}
