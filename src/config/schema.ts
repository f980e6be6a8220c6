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
import { host, integer, printable, microversion, oneOf, port, publicUrl, seconds, secret, text, url } from './fields';

const LIBSQL_SCHEMES = ['libsql', 'http', 'https', 'ws', 'wss'] as const;

/** [DEFAULT]: process-wide settings. */
const DefaultSection = v.strictObject({
  /** Address all three listeners bind to. @default '127.0.0.1' */
  bind_host: v.optional(host(), '127.0.0.1'),
  /** How API requests are authenticated: Keystone tokens, or trusted headers (tests only). @default 'keystone' */
  auth_strategy: v.optional(oneOf(['keystone', 'noauth']), 'keystone'),
  /** oslo.policy-style YAML/JSON rules; a missing file means the defaults in code. @default '/etc/trio2o/policy.yaml' */
  policy_file: v.optional(text(), '/etc/trio2o/policy.yaml'),
  /** Least severe log level written. @default 'info' */
  log_level: v.optional(oneOf(['debug', 'info', 'warn', 'error']), 'info'),
  /**
   * While this file exists every listener's /healthcheck answers 503 "DISABLED BY FILE", so a
   * load balancer drains the host (oslo.middleware's disable_by_file_path). @default undefined
   */
  healthcheck_disable_file: v.optional(text()),
  /** Seconds SIGTERM waits for in-flight requests before cutting connections (oslo.service's name). @default 30 */
  graceful_shutdown_timeout: v.optional(seconds(true), DEFAULT_DRAIN_TIMEOUT_MS / 1000),
});

/** Fields shared by the three listeners. */
const listener = (defaultPort: number) => ({
  /** TCP port of this listener; 0 picks a free port (tests). */
  port: v.optional(port(), defaultPort),
  /** Base URL users reach this API at, used in every link; when absent, links use the request's Host. @default undefined */
  public_url: v.optional(publicUrl()),
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
  /** Highest compute microversion advertised, e.g. '2.79'; absent = the gateway's own maximum. @default undefined */
  max_microversion: v.optional(microversion(2)),
});

/** [volume_api]: the Cinder v3 gateway. */
const VolumeApiSection = v.strictObject({
  /** @default 19997 */
  ...listener(19997),
  /** Highest volume microversion advertised, e.g. '3.70'; absent = the gateway's own maximum. @default undefined */
  max_microversion: v.optional(microversion(3)),
});

/** [database]: the libSQL state store. */
const DatabaseSection = v.strictObject({
  /** Local database: a `file:` path (standalone or replica), or a remote libSQL URL. @default 'file:./data/trio2o.db' */
  url: v.optional(url(['file', ...LIBSQL_SCHEMES]), 'file:./data/trio2o.db'),
  /** sqld primary to replicate from; when set, `url` is the local embedded replica. @default undefined */
  sync_url: v.optional(url(LIBSQL_SCHEMES)),
  /** Token for the sqld primary. Secret. @default undefined */
  auth_token: secret(v.optional(printable())),
  /** Seconds between replica syncs. @default 1 */
  sync_interval: v.optional(seconds(), 1),
});

/** [keystone]: where tokens are validated and the gateway's own service credentials. */
const KeystoneSection = v.strictObject({
  /** Keystone v3 URL; required when auth_strategy = keystone. @default undefined */
  auth_url: v.optional(url(['http', 'https'], true)),
  /** Service user of the gateway. @default undefined */
  username: v.optional(text()),
  /** Password of the service user. Secret. @default undefined */
  password: secret(v.optional(printable())),
  /** Project the service user scopes to. @default undefined */
  project_name: v.optional(text()),
  /** @default 'Default' */
  user_domain_name: v.optional(text(), 'Default'),
  /** @default 'Default' */
  project_domain_name: v.optional(text(), 'Default'),
  /** Region name of the top (gateway) region in the catalog. @default 'RegionOne' */
  top_region_name: v.optional(text(), 'RegionOne'),
  /** Seconds a validated token is cached; 0 disables the cache. @default 300 */
  token_cache_seconds: v.optional(seconds(true), 300),
});

/** [pods]: the client that forwards calls to pods. */
const PodsSection = v.strictObject({
  /** Deadline of one forwarded call, in seconds. @default 30 */
  request_timeout: v.optional(seconds(), DEFAULT_REQUEST_TIMEOUT_MS / 1000),
  /** Deadline of each pod's answer during a fan-out list, in seconds. @default 10 */
  list_timeout: v.optional(seconds(), DEFAULT_LIST_TIMEOUT_MS / 1000),
  /** Keep-alive connections per pod endpoint. @default 64 */
  connections: v.optional(integer(1, 10_000), DEFAULT_CONNECTIONS),
  /** Consecutive failures that open a pod's circuit breaker. @default 5 */
  breaker_threshold: v.optional(integer(1), DEFAULT_BREAKER_THRESHOLD),
  /** Seconds an open breaker waits before letting a trial call through. @default 30 */
  breaker_cooldown: v.optional(seconds(), DEFAULT_BREAKER_COOLDOWN_MS / 1000),
});

/** [api]: request limits shared by all listeners. */
const ApiSection = v.strictObject({
  /** Largest page a list returns, whatever `limit` asks. @default 1000 */
  max_limit: v.optional(integer(1), DEFAULT_MAX_LIMIT),
  /** Largest request body accepted, in bytes (413 beyond). @default 1048576 */
  max_body_bytes: v.optional(integer(1), DEFAULT_MAX_BODY_BYTES),
});

/** [jobs]: the job runner every `serve` process runs (catalog sync, deletion tracking, reconciliation, adoption). */
const JobsSection = v.strictObject({
  /** Run the job runner in this process; turn off only to debug (jobs then wait for another site). @default true */
  enabled: v.optional(v.pipe(oneOf(['true', 'false']), v.transform((s) => s === 'true')), 'true'),
  /** Seconds a runner holds a job without renewing; a dead runner's jobs are taken over after this. @default 30 */
  lease_seconds: v.optional(seconds(), DEFAULT_LEASE_MS / 1000),
  /** Seconds between two looks for due jobs. @default 1 */
  poll_interval: v.optional(seconds(), DEFAULT_POLL_MS / 1000),
  /** Job attempts one process runs at once. @default 4 */
  concurrency: v.optional(integer(1, 64), DEFAULT_CONCURRENCY),
  /** Attempts before a job fails, for types without their own bound. @default 10 */
  max_attempts: v.optional(integer(1, 1000), DEFAULT_MAX_ATTEMPTS),
  /** Seconds a pending routing may stay pending before reconciliation asks its pod. @default 120 */
  pending_timeout: v.optional(seconds(), DEFAULT_PENDING_TIMEOUT_MS / 1000),
  /** Seconds finished jobs stay listable. @default 604800 */
  retention: v.optional(seconds(), FINISHED_JOB_RETENTION_MS / 1000),
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

/** The validated configuration, e.g. `config.DEFAULT.bind_host`, `config.database.sync_url`. */
export type Config = v.InferOutput<typeof ConfigSchema>;

/** Section names, in schema order. */
export const CONFIG_SECTIONS = Object.keys(ConfigSchema.entries) as (keyof Config)[];
