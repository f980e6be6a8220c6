/**
 * The ONE schema of trio2o.conf: every section, key, rule and default. A default that code
 * outside the config also applies (pool size, timeouts, body limit, page size) is the named
 * constant of the module that applies it, read here, so each is written once.
 *
 * The INI names are kept as object keys (`config.DEFAULT.bind_host`, `config.admin_api.port`)
 * so error messages, docs and code all speak the operator's words. `Config` is inferred from
 * this schema; there is deliberately no second, hand-written interface to drift from it.
 * Each key can also be set by the env variable `TRIO2O_<SECTION>_<KEY>` (see load.ts).
 * An empty value (`key =` or an empty env variable) means "not set": the default applies.
 */
import * as v from 'valibot';
import { DEFAULT_LIST_TIMEOUT_MS, DEFAULT_MAX_LIMIT } from '../fanout';
import { DEFAULT_MAX_BODY_BYTES } from '../http';
import { DEFAULT_DRAIN_TIMEOUT_MS } from '../ops/drain';
import { DEFAULT_BREAKER_COOLDOWN_MS, DEFAULT_BREAKER_THRESHOLD, DEFAULT_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from '../pods';
import { DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_PENDING_TIMEOUT_MS, DEFAULT_POLL_MS, FINISHED_JOB_RETENTION_MS } from '../jobs';
import { boolean, host, integer, option, printable, microversion, oneOf, port, publicUrl, seconds, secret, text, url } from './fields';

const LIBSQL_SCHEMES = ['libsql', 'http', 'https', 'ws', 'wss'] as const;

/** [DEFAULT]: process-wide settings. */
const DefaultSection = v.strictObject({
  bind_host: option('Address all three listeners bind to.', v.optional(host(), '127.0.0.1')),
  auth_strategy: option('How API requests are authenticated: Keystone tokens, or trusted headers (tests only).', v.optional(oneOf(['keystone', 'noauth']), 'keystone')),
  policy_file: option('oslo.policy-style YAML/JSON rules; a missing file means the defaults in code.', v.optional(text(), '/etc/trio2o/policy.yaml')),
  log_level: option('Least severe log level written.', v.optional(oneOf(['debug', 'info', 'warn', 'error']), 'info')),
  healthcheck_disable_file: option('While this file exists every listener\'s /healthcheck answers 503 "DISABLED BY FILE", so a load balancer drains the host (oslo.middleware\'s disable_by_file_path).', v.optional(text())),
  workers: option(
    'Listener processes of `serve` (node:cluster, sharing the listening sockets and the store); 1 serves in one process. Above 1 needs a store every process can open: a standalone `file:` database or a remote libSQL URL, not an embedded replica. One of them runs the job runner.',
    v.optional(integer(1, 64), 1),
  ),
  graceful_shutdown_timeout: option("Seconds SIGTERM waits for in-flight requests before cutting connections (oslo.service's name).", v.optional(seconds(true), DEFAULT_DRAIN_TIMEOUT_MS / 1000)),
});

/** Fields shared by the three listeners. */
const listener = (defaultPort: number) => ({
  port: option('TCP port of this listener; 0 picks a free port (tests).', v.optional(port(), defaultPort)),
  public_url: option("Base URL users reach this API at, used in every link; when absent, links use the request's Host.", v.optional(publicUrl())),
});

/** [admin_api]: the Trio2o admin API v1.0 (pods, bindings, routings, jobs). */
const AdminApiSection = v.strictObject({
  /** @default 19996 */
  ...listener(19996),
});

/** [compute_api]: the Nova v2.1 gateway. */
const ComputeApiSection = v.strictObject({
  /** @default 19998 */
  ...listener(19998),
  max_microversion: option("Highest compute microversion advertised, e.g. '2.79'; absent = the gateway's own maximum.", v.optional(microversion(2))),
});

/** [volume_api]: the Cinder v3 gateway. */
const VolumeApiSection = v.strictObject({
  /** @default 19997 */
  ...listener(19997),
  max_microversion: option("Highest volume microversion advertised, e.g. '3.70'; absent = the gateway's own maximum.", v.optional(microversion(3))),
});

/** [database]: the libSQL state store. */
const DatabaseSection = v.strictObject({
  url: option('Local database: a `file:` path (standalone or replica), or a remote libSQL URL.', v.optional(url(['file', ...LIBSQL_SCHEMES]), 'file:./data/trio2o.db')),
  sync_url: option('sqld primary to replicate from; when set, `url` is the local embedded replica.', v.optional(url(LIBSQL_SCHEMES))),
  auth_token: secret(option('Token for the sqld primary.', v.optional(printable()))),
  sync_interval: option('Seconds between replica syncs.', v.optional(seconds(), 1)),
});

/** [keystone]: where tokens are validated and the gateway's own service credentials. */
const KeystoneSection = v.strictObject({
  auth_url: option('Keystone v3 URL; required when auth_strategy = keystone.', v.optional(url(['http', 'https'], true))),
  username: option('Service user of the gateway.', v.optional(text())),
  password: secret(option('Password of the service user.', v.optional(printable()))),
  project_name: option('Project the service user scopes to.', v.optional(text())),
  user_domain_name: option('Domain of the service user.', v.optional(text(), 'Default')),
  project_domain_name: option('Domain of the service project.', v.optional(text(), 'Default')),
  top_region_name: option('Region name of the top (gateway) region in the catalog.', v.optional(text(), 'RegionOne')),
  token_cache_seconds: option('Seconds a validated token is cached; 0 disables the cache.', v.optional(seconds(true), 300)),
});

/** [pods]: the client that forwards calls to pods. */
const PodsSection = v.strictObject({
  request_timeout: option('Deadline of one forwarded call, in seconds.', v.optional(seconds(), DEFAULT_REQUEST_TIMEOUT_MS / 1000)),
  list_timeout: option("Deadline of each pod's answer during a fan-out list, in seconds.", v.optional(seconds(), DEFAULT_LIST_TIMEOUT_MS / 1000)),
  connections: option('Keep-alive connections per pod endpoint.', v.optional(integer(1, 10_000), DEFAULT_CONNECTIONS)),
  breaker_threshold: option("Consecutive failures that open a pod's circuit breaker.", v.optional(integer(1), DEFAULT_BREAKER_THRESHOLD)),
  breaker_cooldown: option('Seconds an open breaker waits before letting a trial call through.', v.optional(seconds(), DEFAULT_BREAKER_COOLDOWN_MS / 1000)),
});

/** [api]: request limits shared by all listeners. */
const ApiSection = v.strictObject({
  max_limit: option('Largest page a list returns, whatever `limit` asks.', v.optional(integer(1), DEFAULT_MAX_LIMIT)),
  max_body_bytes: option('Largest request body accepted, in bytes (413 beyond).', v.optional(integer(1), DEFAULT_MAX_BODY_BYTES)),
});

/** [jobs]: the job runner every `serve` process runs (catalog sync, deletion tracking, reconciliation, adoption). */
const JobsSection = v.strictObject({
  enabled: option('Run the job runner in this process; turn off only to debug (jobs then wait for another site).', v.optional(boolean(), 'true')),
  lease_seconds: option("Seconds a runner holds a job without renewing; a dead runner's jobs are taken over after this.", v.optional(seconds(), DEFAULT_LEASE_MS / 1000)),
  poll_interval: option('Seconds between two looks for due jobs.', v.optional(seconds(), DEFAULT_POLL_MS / 1000)),
  concurrency: option('Job attempts one process runs at once.', v.optional(integer(1, 64), DEFAULT_CONCURRENCY)),
  max_attempts: option('Attempts before a job fails, for types without their own bound.', v.optional(integer(1, 1000), DEFAULT_MAX_ATTEMPTS)),
  pending_timeout: option('Seconds a pending routing may stay pending before reconciliation asks its pod.', v.optional(seconds(), DEFAULT_PENDING_TIMEOUT_MS / 1000)),
  retention: option('Seconds finished jobs stay listable.', v.optional(seconds(), FINISHED_JOB_RETENTION_MS / 1000)),
});

/**
 * Two listeners on one bind_host must not share a port (0 = any free port, never a clash).
 * The issue is reported on the later listener in schema order.
 */
const portsDiffer = (a: { port: number }, b: { port: number }) => a.port === 0 || a.port !== b.port;

const Sections = v.strictObject({
  DEFAULT: DefaultSection,
  admin_api: AdminApiSection,
  compute_api: ComputeApiSection,
  volume_api: VolumeApiSection,
  database: DatabaseSection,
  keystone: KeystoneSection,
  pods: PodsSection,
  api: ApiSection,
  jobs: JobsSection,
});

/**
 * The whole configuration. Cross-field rules use `partialCheck`, which still runs when an
 * unrelated key is invalid, so all problems are reported together.
 */
export const ConfigSchema = v.pipe(
  Sections,
  v.forward(
    v.partialCheck(
      [['DEFAULT', 'auth_strategy'], ['keystone', 'auth_url']],
      (c) => c.DEFAULT.auth_strategy !== 'keystone' || c.keystone.auth_url !== undefined,
      'is required when [DEFAULT] auth_strategy = keystone',
    ),
    ['keystone', 'auth_url'],
  ),
  v.forward(
    v.partialCheck(
      [['database', 'url'], ['database', 'sync_url']],
      (c) => c.database.sync_url === undefined || c.database.url.startsWith('file:'),
      'must be a file: URL when [database] sync_url is set (the local embedded replica)',
    ),
    ['database', 'url'],
  ),
  v.forward(
    v.partialCheck(
      [['DEFAULT', 'workers'], ['database', 'url'], ['database', 'sync_url']],
      (c) => c.DEFAULT.workers === 1 || (c.database.sync_url === undefined && !c.database.url.includes(':memory:')),
      // libSQL's client keeps an embedded replica's sync state in its one connection to the
      // replica file: several processes would be several unrelated syncs writing one file. An
      // in-memory database is private to its process.
      'must be 1 when [database] sync_url is set (an embedded replica is synced by one process) or [database] url is in memory',
    ),
    ['DEFAULT', 'workers'],
  ),
  v.forward(
    v.partialCheck(
      [['admin_api', 'port'], ['compute_api', 'port']],
      (c) => portsDiffer(c.admin_api, c.compute_api),
      'must differ from [admin_api] port',
    ),
    ['compute_api', 'port'],
  ),
  v.forward(
    v.partialCheck(
      [['admin_api', 'port'], ['volume_api', 'port']],
      (c) => portsDiffer(c.admin_api, c.volume_api),
      'must differ from [admin_api] port',
    ),
    ['volume_api', 'port'],
  ),
  v.forward(
    v.partialCheck(
      [['compute_api', 'port'], ['volume_api', 'port']],
      (c) => portsDiffer(c.compute_api, c.volume_api),
      'must differ from [compute_api] port',
    ),
    ['volume_api', 'port'],
  ),
);

/** One line per section, printed above it by `trio2o config sample`. */
export const SECTION_HELP: Readonly<Record<keyof v.InferOutput<typeof Sections>, string>> = {
  DEFAULT: 'Process-wide settings.',
  admin_api: 'The Trio2o admin API v1.0 (pods, bindings, routings, jobs, status).',
  compute_api: 'The Nova v2.1 gateway.',
  volume_api: 'The Cinder v3 gateway.',
  database: 'The libSQL state store: a local file, or an embedded replica of a sqld primary.',
  keystone: "Where tokens are validated, and the gateway's own service credentials.",
  pods: 'The client that forwards calls to pods.',
  api: 'Request limits shared by all listeners.',
  jobs: 'The job runner every serve process runs (catalog sync, deletion tracking, reconciliation, adoption).',
};

/** The validated configuration, e.g. `config.DEFAULT.bind_host`, `config.database.sync_url`. */
export type Config = v.InferOutput<typeof ConfigSchema>;

/** Section names, in schema order. */
export const CONFIG_SECTIONS = Object.keys(ConfigSchema.entries) as (keyof Config)[];
