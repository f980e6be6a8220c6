/**
 * `trio2o serve`: open the store (migrating it), build auth and policy, start the three
 * listeners, then tell systemd READY=1 (all listeners up, store open). `stop` drains and
 * closes; `reload` (SIGHUP) re-reads the policy file and the log level without touching any
 * connection. noauth is never a silent default: it needs `--noauth` or
 * `auth_strategy = noauth`, and is announced loudly.
 */
import { loadConfig, redactConfig, type Config } from '../config';
import { Policy } from '../auth/policy';
import { API_RULES } from '../api/policy-rules';
import { openStore } from '../store';
import { startGateway } from '../server';
import { codeCacheState, createLogger, sdNotify, type Logger } from '../ops';
import type { AuthenticateOptions } from '../auth';
import type { CatalogSource, ServiceCredentials } from '../pods';
import { gatewayOptions, storeOptions } from './options';
import { keystoneAuth } from './keystone';

export interface ServeArgs {
  config?: string;
  noauth?: boolean;
  /** `serve --workers N`, as typed: over `[DEFAULT] workers`, checked by its rule. */
  workers?: string;
}

/** What a cluster worker is told by its primary (see workers.ts). */
export interface WorkerRole {
  slot: number;
  /** Whether this worker runs the job runner (one worker does). */
  jobs: boolean;
}

export function readConfig(args: ServeArgs, worker?: WorkerRole): Config {
  const DEFAULT: Record<string, string> = {};
  if (args.noauth) DEFAULT.auth_strategy = 'noauth';
  if (args.workers !== undefined) DEFAULT.workers = args.workers;
  return loadConfig({
    file: args.config,
    requireFile: args.config !== undefined,
    overrides: { DEFAULT, ...(worker && !worker.jobs ? { jobs: { enabled: 'false' } } : {}) },
  });
}

export interface Serving {
  urls: { admin: string; compute: string; volume: string };
  /** Drain (bounded by graceful_shutdown_timeout), then close auth and the store. */
  stop: () => Promise<void>;
  /** Re-read the config's log level and the policy file; on error the old values stay. */
  reload: () => Promise<void>;
}

/**
 * @param worker set in a cluster worker: the primary migrated the store already, and only the
 *   worker it names runs the job runner
 */
export async function serve(args: ServeArgs, log: Logger = createLogger(), worker?: WorkerRole): Promise<Serving> {
  const config = readConfig(args, worker);
  log.level = config.DEFAULT.log_level;
  log.info('config', { config: redactConfig(config) });
  const store = await openStore({ ...storeOptions(config), log, migrate: worker === undefined });
  let auth: AuthenticateOptions;
  let catalog: CatalogSource | undefined;
  let serviceCredentials: ServiceCredentials | undefined;
  let closeAuth = async () => {};
  if (config.DEFAULT.auth_strategy === 'noauth') {
    log.warn('noauth', { message: 'AUTHENTICATION IS OFF (noauth): identity is taken from request headers. Development only.' });
    process.stderr.write('trio2o: WARNING: running with auth_strategy=noauth; every caller is trusted. Never do this in production.\n');
    auth = { strategy: 'noauth' };
  } else {
    const ks = keystoneAuth(config);
    auth = ks.auth;
    catalog = ks.catalog;
    serviceCredentials = ks.serviceCredentials;
    closeAuth = ks.close;
  }
  const policy = new Policy(API_RULES, config.DEFAULT.policy_file, {
    onUnusedRule: (rule, file) =>
      log.warn('policy_unknown_rule', { rule, file, message: `policy file ${file} defines "${rule}", which no API registered and no rule refers to: it is never used` }),
  });
  const gateway = await startGateway({
    ...gatewayOptions(config),
    store,
    auth,
    catalog,
    serviceCredentials,
    policy,
    log,
    healthcheckDisableFile: config.DEFAULT.healthcheck_disable_file,
    drainTimeoutMs: Math.round(config.DEFAULT.graceful_shutdown_timeout * 1000),
  });
  const codeCache = codeCacheState();
  log.info('listening', { admin: gateway.urls.admin, compute: gateway.urls.compute, volume: gateway.urls.volume, store: store.mode, code_cache: codeCache, jobs: config.jobs.enabled, pid: process.pid });
  if (codeCache === 'rejected') {
    log.warn('code_cache_rejected', { message: `V8 refused the built-in code cache: NODE_OPTIONS (${process.env.NODE_OPTIONS ?? ''}) holds V8 flags the binary was not built for, so start-up compiled from source` });
  }
  // A cluster worker is not the service's main process: its primary tells systemd.
  if (!worker) await sdNotify({ READY: 1, STATUS: `serving (admin ${gateway.urls.admin}, compute ${gateway.urls.compute}, volume ${gateway.urls.volume})` });
  const stop = async () => {
    await gateway.close();
    await closeAuth();
    await store.close();
  };
  const reload = async () => {
    const next = readConfig(args);
    policy.reload();
    if (next.DEFAULT.policy_file !== config.DEFAULT.policy_file) {
      log.warn('reload_partial', { message: `policy_file changed to ${next.DEFAULT.policy_file}; the path takes effect at restart, ${config.DEFAULT.policy_file} was re-read` });
    }
    log.level = next.DEFAULT.log_level;
    log.info('reloaded', { log_level: log.level, policy_rules: policy.rules().length });
  };
  return { urls: gateway.urls, stop, reload };
}
