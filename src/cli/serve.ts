/**
 * `trio2o serve`: open the store (migrating it), build auth and policy, start the three
 * listeners, and stop cleanly on SIGTERM/SIGINT. noauth is never a silent default: it needs
 * `--noauth` or `auth_strategy = noauth`, and is announced loudly.
 */
import { loadConfig, redactConfig, type Config } from '../config';
import { Policy, DEFAULT_RULES } from '../auth/policy';
import { openStore } from '../store';
import { startGateway } from '../server';
import { createLogger, type Logger } from '../ops/log';
import type { AuthenticateOptions } from '../auth';
import type { CatalogSource } from '../pods';
import { gatewayOptions, storeOptions } from './options';
import { keystoneAuth } from './keystone';

export interface ServeArgs {
  config?: string;
  noauth?: boolean;
}

export function readConfig(args: ServeArgs): Config {
  return loadConfig({
    file: args.config,
    requireFile: args.config !== undefined,
    overrides: args.noauth ? { DEFAULT: { auth_strategy: 'noauth' } } : undefined,
  });
}

export async function serve(args: ServeArgs, log: Logger = createLogger()): Promise<{ stop: () => Promise<void> }> {
  const config = readConfig(args);
  log.level = config.DEFAULT.log_level;
  log.info('config', { config: redactConfig(config) });
  const store = await openStore({ ...storeOptions(config), log });
  let auth: AuthenticateOptions;
  let catalog: CatalogSource | undefined;
  let closeAuth = async () => {};
  if (config.DEFAULT.auth_strategy === 'noauth') {
    log.warn('noauth', { message: 'AUTHENTICATION IS OFF (noauth): identity is taken from request headers. Development only.' });
    process.stderr.write('trio2o: WARNING: running with auth_strategy=noauth; every caller is trusted. Never do this in production.\n');
    auth = { strategy: 'noauth' };
  } else {
    const ks = keystoneAuth(config);
    auth = ks.auth;
    catalog = ks.catalog;
    closeAuth = ks.close;
  }
  const policy = new Policy(DEFAULT_RULES, config.DEFAULT.policy_file);
  const gateway = await startGateway({ ...gatewayOptions(config), store, auth, catalog, policy, log });
  log.info('listening', { admin: gateway.urls.admin, compute: gateway.urls.compute, volume: gateway.urls.volume, store: store.mode });
  const stop = async () => {
    await gateway.close();
    await closeAuth();
    await store.close();
  };
  return { stop };
}
