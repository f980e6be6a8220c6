/**
 * Every configuration file of the real-pods bed, built from the bed's layout. Each value that is
 * not a plain default says why it is there. oslo-style INI; `%(project_id)s`-style values are
 * written as they are (nothing here is a template language).
 */
import { join } from 'node:path';

export type Ini = Record<string, Record<string, string | number | boolean>>;

export function renderIni(ini: Ini, header: string): string {
  const body = Object.entries(ini)
    .map(([section, keys]) => `[${section}]\n${Object.entries(keys).map(([k, v]) => `${k} = ${String(v)}`).join('\n')}\n`)
    .join('\n');
  return `# ${header}\n# Written by test/realpods/bed for this bed only; rewritten at every start.\n\n${body}`;
}

/** Ports of the services every pod shares. */
export interface SharedPorts {
  mysql: number;
  amqp: number;
  epmd: number;
  rabbitDist: number;
  glance: number;
  neutron: number;
}

export interface BedLayout {
  /** The bed's private folder (everything lives below it). */
  dir: string;
  /** Keystone origin, e.g. http://127.0.0.1:35871 (the auth URL is this + /v3). */
  keystoneUrl: string;
  /** Password of the service users (nova, cinder, placement, glance) and of the DB/AMQP user. */
  servicePassword: string;
  ports: SharedPorts;
}

export interface PodLayout {
  /** Keystone region and the gateway's pod name, e.g. Pod1. */
  name: string;
  /** Lower-case name: DB prefix, RabbitMQ vhost, host names. */
  key: string;
  az: string;
  dir: string;
  ports: { nova: number; cinder: number; placement: number };
}

/** The OpenStack user every service database and the AMQP broker know. */
export const DB_USER = 'openstack';

export function dbUrl(bed: BedLayout, pod: PodLayout, db: 'nova_api' | 'nova_cell0' | 'nova_cell1' | 'placement' | 'cinder'): string {
  return `mysql+pymysql://${DB_USER}:${bed.servicePassword}@127.0.0.1:${bed.ports.mysql}/${pod.key}_${db}?charset=utf8`;
}

export function transportUrl(bed: BedLayout, pod: PodLayout): string {
  // One vhost per pod: Nova's and Cinder's queue names (conductor, scheduler, compute.<host>) are fixed.
  return `rabbit://${DB_USER}:${bed.servicePassword}@127.0.0.1:${bed.ports.amqp}/${pod.key}`;
}

/** keystone_authtoken / service credentials of a service user in project `service`. */
function serviceAuth(bed: BedLayout, user: string): Record<string, string> {
  return {
    auth_url: `${bed.keystoneUrl}/v3`,
    auth_type: 'password',
    project_domain_name: 'Default',
    user_domain_name: 'Default',
    project_name: 'service',
    username: user,
    password: bed.servicePassword,
  };
}

function authtoken(bed: BedLayout, user: string): Record<string, string | boolean> {
  return {
    www_authenticate_uri: `${bed.keystoneUrl}/v3`,
    ...serviceAuth(bed, user),
    // The bed's Keystone lists its identity endpoint as public only (keystonemiddleware looks
    // for the internal one by default).
    interface: 'public',
    // With the CVE-2023-2088 fix, service tokens are trusted only with the "service" role.
    service_token_roles_required: true,
  };
}

/** Options every oslo.service daemon of a pod gets. */
const OSLO_DAEMON = {
  // Test pods: stop within seconds (the default waits up to 60 s for in-flight work).
  graceful_shutdown_timeout: 5,
  // Log to stderr, which the watchdog appends to logs/<pod>-<service>.log.
  use_stderr: true,
};

/**
 * nova.conf of a pod: every Nova service reads it. The database URLs are NOT here (see
 * novaDbConf): nova-compute must not see [api_database], or it tries to read the cell databases
 * itself and logs "No DB access allowed in nova-compute".
 */
export function novaConf(bed: BedLayout, pod: PodLayout): string {
  const nova = join(pod.dir, 'nova');
  const ini: Ini = {
    DEFAULT: {
      ...OSLO_DAEMON,
      // One host for every Nova service of the pod; with the fake driver also the node name.
      host: `${pod.key}-compute`,
      my_ip: '127.0.0.1',
      state_path: nova,
      instances_path: join(nova, 'instances'),
      transport_url: transportUrl(bed, pod),
      // nova/virt/fake.py from python3-nova: no hypervisor; a server is ACTIVE in under a second.
      compute_driver: 'fake.FakeDriver',
      // The pod's AZ: the compute host is in no aggregate, so it is in this zone.
      default_availability_zone: pod.az,
      // One compute host per pod: resize must be allowed to stay on it.
      allow_resize_to_same_host: true,
      enabled_apis: 'osapi_compute',
      osapi_compute_listen: '127.0.0.1',
      osapi_compute_listen_port: pod.ports.nova,
      // Parent + 1 worker (the default is one worker per CPU).
      osapi_compute_workers: 1,
      // Periodic tasks (host discovery, resource updates) start right away, not up to 60 s later.
      periodic_fuzzy_delay: 0,
      // No Neutron to send vif-plugged events.
      vif_plugging_timeout: 0,
      vif_plugging_is_fatal: false,
      // The fake host has 8 vCPU / 8000 MB / 500 GB; tests and Tempest boot devstack's flavors
      // (m1.small is 2048 MB / 20 GB) in several projects at once.
      cpu_allocation_ratio: 16.0,
      ram_allocation_ratio: 16.0,
      disk_allocation_ratio: 16.0,
    },
    api: { auth_strategy: 'keystone' },
    wsgi: { api_paste_config: '/etc/nova/api-paste.ini' },
    conductor: { workers: 1 },
    scheduler: {
      workers: 1,
      // Maps the new compute host into cell1 by itself (no `nova-manage cell_v2 discover_hosts`).
      discover_hosts_in_cells_interval: 5,
    },
    keystone_authtoken: authtoken(bed, 'nova'),
    // Nova sends a service token with the user's token to Cinder (CVE-2023-2088 fix).
    service_user: { send_service_user_token: true, ...serviceAuth(bed, 'nova') },
    // Placement and Glance are found through the Keystone catalog, in this pod's region.
    placement: { region_name: pod.name, valid_interfaces: 'public', ...serviceAuth(bed, 'placement') },
    glance: { region_name: pod.name, valid_interfaces: 'public' },
    cinder: { os_region_name: pod.name, catalog_info: 'volumev3::publicURL', ...serviceAuth(bed, 'nova') },
    // No Neutron: servers boot with networks "none", but Nova still lists ports when it shows,
    // deletes or heals servers. The bed's stand-in answers those with empty lists. It is not in
    // the catalog, so clients and the gateway see no network service.
    neutron: { endpoint_override: `http://127.0.0.1:${bed.ports.neutron}`, region_name: pod.name, ...serviceAuth(bed, 'nova') },
    // Nothing consumes notifications here.
    oslo_messaging_notifications: { driver: 'noop' },
    oslo_concurrency: { lock_path: join(nova, 'lock') },
    vnc: { enabled: false },
    spice: { enabled: false },
  };
  return renderIni(ini, `nova.conf of ${pod.name} (Nova 26, Zed)`);
}

/** The database URLs of a pod's Nova: nova-manage, nova-api, -conductor and -scheduler only. */
export function novaDbConf(bed: BedLayout, pod: PodLayout): string {
  return renderIni({
    api_database: { connection: dbUrl(bed, pod, 'nova_api') },
    // cell1's database; `nova-manage cell_v2 create_cell` copies it into the cell mapping.
    database: { connection: dbUrl(bed, pod, 'nova_cell1') },
  }, `Nova database URLs of ${pod.name} (not given to nova-compute)`);
}

export function cinderConf(bed: BedLayout, pod: PodLayout): string {
  const cinder = join(pod.dir, 'cinder');
  return renderIni({
    DEFAULT: {
      ...OSLO_DAEMON,
      // cinder-volume registers as <pod>-volume@fake.
      host: `${pod.key}-volume`,
      my_ip: '127.0.0.1',
      state_path: cinder,
      transport_url: transportUrl(bed, pod),
      auth_strategy: 'keystone',
      osapi_volume_listen: '127.0.0.1',
      osapi_volume_listen_port: pod.ports.cinder,
      osapi_volume_workers: 1,
      api_paste_config: '/etc/cinder/api-paste.ini',
      enabled_backends: 'fake',
      // The pod's AZ, for the backend and for new volumes (the same zone as Nova's).
      storage_availability_zone: pod.az,
      default_availability_zone: pod.az,
      glance_api_servers: `http://127.0.0.1:${bed.ports.glance}`,
    },
    database: { connection: dbUrl(bed, pod, 'cinder') },
    // cinder/tests/fake_driver.py (python3-cinder) fakes every LVM and target call; Cinder's
    // functional tests use it. python/trio2o_bed_volume.py adds the two calls it lacks (extend,
    // image to volume) as no-ops. This kernel has no device-mapper, so real LVM cannot work.
    fake: { volume_driver: 'trio2o_bed_volume.BedVolumeDriver', volume_backend_name: 'fake' },
    keystone_authtoken: authtoken(bed, 'cinder'),
    nova: { region_name: pod.name, ...serviceAuth(bed, 'cinder') },
    oslo_messaging_notifications: { driver: 'noop' },
    oslo_concurrency: { lock_path: join(cinder, 'lock') },
  }, `cinder.conf of ${pod.name} (Cinder 21, Zed)`);
}

/** Placement finds this file through OS_PLACEMENT_CONFIG_DIR (it is a WSGI app under uwsgi). */
export function placementConf(bed: BedLayout, pod: PodLayout): string {
  return renderIni({
    api: { auth_strategy: 'keystone' },
    placement_database: { connection: dbUrl(bed, pod, 'placement') },
    keystone_authtoken: authtoken(bed, 'placement'),
  }, `placement.conf of ${pod.name} (Placement 8)`);
}

export function glanceConf(bed: BedLayout): string {
  const g = join(bed.dir, 'shared', 'glance');
  return renderIni({
    DEFAULT: {
      ...OSLO_DAEMON,
      bind_host: '127.0.0.1',
      bind_port: bed.ports.glance,
      // Serve from the parent process, no forked worker.
      workers: 0,
      enabled_backends: 'file:file',
    },
    glance_store: { default_backend: 'file' },
    file: { filesystem_store_datadir: join(g, 'images') },
    // The reserved stores Glance requires once enabled_backends is used.
    os_glance_staging_store: { filesystem_store_datadir: join(g, 'staging') },
    os_glance_tasks_store: { filesystem_store_datadir: join(g, 'tasks') },
    // One process, rare writes: SQLite (in WAL mode) is enough for Glance.
    database: { connection: `sqlite:///${join(g, 'glance.db')}` },
    paste_deploy: { flavor: 'keystone', config_file: '/etc/glance/glance-api-paste.ini' },
    keystone_authtoken: authtoken(bed, 'glance'),
    oslo_concurrency: { lock_path: join(g, 'lock') },
  }, 'glance-api.conf, shared by every pod (Glance 25, Zed)');
}

/** my.cnf for mariadbd --defaults-file (so /etc/mysql is not read at all). */
export function mariadbCnf(bed: BedLayout): string {
  const m = join(bed.dir, 'shared', 'mariadb');
  return [
    '# MariaDB shared by the pods of one bed (5 databases per pod). Nova and Cinder break on SQLite',
    '# under concurrent writes ("database is locked"), so their databases live here.',
    '[mysqld]',
    `datadir = ${join(m, 'data')}`,
    `socket = ${join(m, 'mysqld.sock')}`,
    `pid-file = ${join(m, 'mysqld.pid')}`,
    'bind-address = 127.0.0.1',
    `port = ${bed.ports.mysql}`,
    'user = root',
    'skip-name-resolve',
    'skip-log-bin',
    'performance_schema = OFF',
    '# every Nova/Cinder/Placement process keeps a pool; two pods hold ~150 connections',
    'max_connections = 1000',
    'innodb_buffer_pool_size = 64M',
    'innodb_log_file_size = 32M',
    '# test data: no fsync per commit',
    'innodb_flush_log_at_trx_commit = 2',
    'innodb_doublewrite = 0',
    'character-set-server = utf8mb3',
    'collation-server = utf8mb3_general_ci',
    '[client]',
    `socket = ${join(m, 'mysqld.sock')}`,
    'user = root',
    '',
  ].join('\n');
}

/** rabbitmq.conf: loopback only, no plugins, vhosts and the user from a definitions file. */
export function rabbitmqConf(bed: BedLayout, definitions: string): string {
  return [
    '# RabbitMQ shared by the pods of one bed: one vhost per pod, loaded from the definitions file.',
    `listeners.tcp.default = 127.0.0.1:${bed.ports.amqp}`,
    `load_definitions = ${definitions}`,
    'loopback_users = none',
    'log.console = false',
    'log.file.level = warning',
    '# a small test box: the disk alarm must not block publishers by surprise',
    'disk_free_limit.absolute = 10MB',
    '',
  ].join('\n');
}
