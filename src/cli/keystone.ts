/**
 * Keystone wiring for `serve`: one KeystoneClient validates users' tokens (cached) and supplies
 * the service-token catalog the pod client reads pod endpoints from.
 */
import type { Config } from '../config';
import { keystoneServiceCredentials, type AuthenticateOptions } from '../auth';
import { KeystoneClient } from '../auth/keystone';
import type { CatalogSource, ServiceCredentials } from '../pods';

export interface KeystoneWiring {
  client: KeystoneClient;
  auth: AuthenticateOptions;
  catalog: CatalogSource;
  /** The service token, for the gateway's own calls to pods (jobs). */
  serviceCredentials: ServiceCredentials;
  close: () => Promise<void>;
}

/** Names every missing setting at once, so an operator fixes the file in one go. */
export function keystoneSettings(config: Config): { authUrl: string; username: string; password: string; projectName: string } {
  const k = config.keystone;
  const missing = (['auth_url', 'username', 'password', 'project_name'] as const).filter((key) => !k[key]);
  if (missing.length) {
    throw new Error(
      `auth_strategy = keystone needs ${missing.map((m) => `[keystone] ${m} (env TRIO2O_KEYSTONE_${m.toUpperCase()})`).join(', ')}`,
    );
  }
  return { authUrl: k.auth_url!, username: k.username!, password: k.password!, projectName: k.project_name! };
}

export function keystoneAuth(config: Config): KeystoneWiring {
  const r = keystoneSettings(config);
  const client = new KeystoneClient({
    ...r,
    userDomainName: config.keystone.user_domain_name,
    projectDomainName: config.keystone.project_domain_name,
    tokenCacheSeconds: config.keystone.token_cache_seconds,
  });
  return {
    client,
    auth: { strategy: 'keystone', validator: client, authUrl: r.authUrl },
    catalog: { catalog: () => client.serviceCatalog() },
    serviceCredentials: keystoneServiceCredentials(client),
    close: () => client.close(),
  };
}
