/**
 * The services all pods of a bed share: MariaDB, RabbitMQ (with its own epmd), Glance and the
 * Neutron stand-in. Keystone comes from test/support/keystone.ts. Each start function returns
 * the daemons it started; the bed stops them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { glanceConf, mariadbCnf, rabbitmqConf, DB_USER, type BedLayout } from './conf';
import { startDaemon, type Daemon } from './daemon';
import { httpStatus, poll, run, tail } from './util';

/** Debian's OpenStack code only runs on Debian's python (a pyenv python3 first on PATH would not see it). */
export const SYSTEM_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';
export const systemEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${SYSTEM_PATH}:${process.env.PATH ?? ''}`, ...extra });

const READY_MS = 180_000;

export interface Mariadb {
  daemon: Daemon;
  /** Runs SQL as root over the socket; returns the tab-separated rows. */
  sql(statements: string, database?: string): Promise<string>;
}

export async function startMariadb(bed: BedLayout, logs: string): Promise<Mariadb> {
  const dir = join(bed.dir, 'shared', 'mariadb');
  mkdirSync(dir, { recursive: true });
  const cnf = join(dir, 'my.cnf');
  writeFileSync(cnf, mariadbCnf(bed));
  const env = systemEnv();
  // root@localhost authenticates over the socket (the bed runs as root); services use a password.
  await run('mariadb-install-db', [`--defaults-file=${cnf}`, '--auth-root-authentication-method=socket', '--skip-test-db'], { env, timeoutMs: 120_000 });
  const daemon = await startDaemon({ name: 'mariadb', command: '/usr/sbin/mariadbd', args: [`--defaults-file=${cnf}`], log: join(logs, 'shared-mariadb.log'), env });
  const sql = async (statements: string, database?: string) =>
    (await run('mariadb', [`--defaults-file=${cnf}`, '-N', '-B', ...(database ? [database] : []), '-e', statements], { env, timeoutMs: 60_000 })).stdout;
  await poll('mariadb answering', READY_MS, async () => {
    if (!daemon.alive()) throw new Error(`mariadbd exited:\n${tail(daemon.log)}`);
    await run('mariadb-admin', [`--defaults-file=${cnf}`, 'ping'], { env, timeoutMs: 10_000 });
    return true;
  }, 200);
  await sql(`CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${bed.servicePassword}'`);
  return { daemon, sql };
}

/** RabbitMQ's password_hash for a definitions file: base64(salt ‖ sha256(salt ‖ password)). */
export function rabbitPasswordHash(password: string, salt = randomBytes(4)): string {
  const hash = createHash('sha256').update(Buffer.concat([salt, Buffer.from(password, 'utf8')])).digest();
  return Buffer.concat([salt, hash]).toString('base64');
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/**
 * RabbitMQ from its unpackaged server script (/usr/sbin/rabbitmq-server would su to the rabbitmq
 * user and use /var/lib/rabbitmq), with every Erlang port moved into the bed's block and bound
 * to loopback, and an epmd of our own in the foreground (erl would otherwise spawn a daemonised
 * epmd on 0.0.0.0:4369 that outlives everything). The vhosts and the user come from a
 * definitions file, so no rabbitmqctl call is needed.
 */
export async function startRabbitmq(bed: BedLayout, vhosts: string[], logs: string): Promise<Daemon[]> {
  const dir = join(bed.dir, 'shared', 'rabbitmq');
  mkdirSync(join(dir, 'mnesia'), { recursive: true });
  mkdirSync(join(dir, 'log'), { recursive: true });
  const definitions = join(dir, 'definitions.json');
  writeFileSync(definitions, JSON.stringify({
    users: [{ name: DB_USER, password_hash: rabbitPasswordHash(bed.servicePassword), hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'] }],
    vhosts: vhosts.map((name) => ({ name })),
    permissions: vhosts.map((vhost) => ({ user: DB_USER, vhost, configure: '.*', write: '.*', read: '.*' })),
  }, null, 2));
  writeFileSync(join(dir, 'rabbitmq.conf'), rabbitmqConf(bed, definitions));
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, '.erlang.cookie'), randomBytes(10).toString('hex'), { mode: 0o400 });
  const env = systemEnv({
    HOME: dir, // ~/.erlang.cookie
    RABBITMQ_NODENAME: `trio2o${bed.ports.amqp}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(bed.ports.amqp),
    RABBITMQ_DIST_PORT: String(bed.ports.rabbitDist),
    ERL_EPMD_PORT: String(bed.ports.epmd),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  });
  const epmd = await startDaemon({ name: 'epmd', command: '/usr/bin/epmd', args: ['-address', '127.0.0.1', '-port', String(bed.ports.epmd)], log: join(logs, 'shared-epmd.log'), env });
  await poll('epmd listening', 30_000, () => tcpOpen(bed.ports.epmd), 100);
  // Stopped as a small sh wrapper that turns TERM into a clean broker shutdown.
  const rabbit = await startDaemon({ name: 'rabbitmq', command: '/usr/lib/rabbitmq/bin/rabbitmq-server', args: [], log: join(logs, 'shared-rabbitmq.log'), env, graceS: 20 });
  await poll('rabbitmq listening', READY_MS, async () => {
    if (!rabbit.alive()) throw new Error(`rabbitmq exited:\n${tail(rabbit.log)}`);
    return tcpOpen(bed.ports.amqp);
  }, 200);
  return [rabbit, epmd];
}

export async function startGlance(bed: BedLayout, logs: string): Promise<Daemon> {
  const dir = join(bed.dir, 'shared', 'glance');
  for (const d of ['images', 'staging', 'tasks', 'lock']) mkdirSync(join(dir, d), { recursive: true });
  const conf = join(dir, 'glance-api.conf');
  writeFileSync(conf, glanceConf(bed));
  const env = systemEnv();
  await run('glance-manage', ['--config-file', conf, 'db_sync'], { env });
  await run('sqlite3', [join(dir, 'glance.db'), 'PRAGMA journal_mode=WAL;'], { env });
  const daemon = await startDaemon({ name: 'glance', command: '/usr/bin/glance-api', args: ['--config-file', conf], log: join(logs, 'shared-glance.log'), env });
  await poll('glance answering', READY_MS, async () => {
    if (!daemon.alive()) throw new Error(`glance-api exited:\n${tail(daemon.log)}`);
    return (await httpStatus(`http://127.0.0.1:${bed.ports.glance}/`)) > 0;
  });
  return daemon;
}

/**
 * The Neutron stand-in, in this process. Nova (Zed) has no "no network" driver: even for servers
 * booted with networks "none", nova-api lists a server's ports for its security groups on every
 * show and detail, the compute manager lists ports on delete and in its info-cache healer. Empty
 * answers are all it needs; `{"quota": {"port": -1}}` lets servers boot without `networks` below
 * microversion 2.37. It is not in the catalog: clients and the gateway see no network service.
 * `seed` gives collections members (by URL collection, e.g. `networks`), listed and shown by id,
 * for a client that must pick one (Horizon's launch wizard needs a network above Nova 2.36).
 */
export async function startNeutronStandIn(port: number, seed: Partial<Record<string, { id: string }[]>> = {}): Promise<{ server: Server; stop(): Promise<void>; requests: number }> {
  const empty: Record<string, string> = {
    ports: 'ports', networks: 'networks', subnets: 'subnets', floatingips: 'floatingips',
    'security-groups': 'security_groups', extensions: 'extensions',
  };
  const member: Record<string, string> = { ports: 'port', networks: 'network', subnets: 'subnet', floatingips: 'floatingip', 'security-groups': 'security_group' };
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests++;
    req.resume();
    const path = (req.url ?? '/').split('?')[0]!.replace(/\.json$/, '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/' || path === '') {
      return send(200, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `http://127.0.0.1:${port}/v2.0/`, rel: 'self' }] }] });
    }
    const m = /^\/v2\.0\/([a-z-]+)(?:\/([^/]+))?/.exec(path);
    if (m && m[1] === 'quotas') return send(200, { quota: { port: -1 } });
    const items = m && Object.hasOwn(seed, m[1]!) ? seed[m[1]!]! : [];
    if (m && m[2] !== undefined && Object.hasOwn(seed, m[1]!) && Object.hasOwn(member, m[1]!)) {
      const one = items.find((x) => x.id === m[2]);
      if (one) return send(200, { [member[m[1]!]!]: one });
      return send(404, { NeutronError: { type: 'HTTPNotFound', message: `${m[1]} ${m[2]} could not be found.`, detail: '' } });
    }
    if (m && Object.hasOwn(empty, m[1]!)) {
      // Neutron's list filters are field=value (booleans as True/False); only seeded fields filter.
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const matches = (x: Record<string, unknown>) => [...query].every(([k, v]) => k === 'fields' || !Object.hasOwn(x, k) || String(x[k]).toLowerCase() === v.toLowerCase());
      return send(200, { [empty[m[1]!]!]: items.filter((x) => matches(x as Record<string, unknown>)) });
    }
    return send(404, { NeutronError: { type: 'HTTPNotFound', message: 'the bed\'s Neutron stand-in: not implemented', detail: '' } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    get requests() {
      return state.requests;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
