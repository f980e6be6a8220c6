/**
 * Where the admin CLI's identity comes from, resolved as `openstack` resolves it: a `--os-*`
 * flag wins over its `OS_*` variable, which wins over the `OS_CLOUD`/`--os-cloud` entry of
 * clouds.yaml (so a clouds.yaml without a password plus `OS_PASSWORD` works). Domains default
 * to the domain with id `default`, as `--os-default-domain` does.
 */
import { loadCloud } from './clouds';
import { ADMIN_SERVICE_TYPE } from './keystone';

export interface Credentials {
  noauth: boolean;
  /** The admin API's base URL, bypassing the catalog. */
  endpoint?: string;
  authUrl?: string;
  username?: string;
  userId?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  token?: string;
  regionName?: string;
  interface: string;
  serviceType: string;
}

/** Credential settings: the flag, its variable(s) (first set wins) and its key in a cloud's `auth` or top level. */
const SETTINGS = [
  ['authUrl', 'os-auth-url', ['OS_AUTH_URL'], 'auth_url'],
  ['username', 'os-username', ['OS_USERNAME'], 'username'],
  ['userId', 'os-user-id', ['OS_USER_ID'], 'user_id'],
  ['password', 'os-password', ['OS_PASSWORD'], 'password'],
  ['projectName', 'os-project-name', ['OS_PROJECT_NAME', 'OS_TENANT_NAME'], 'project_name'],
  ['projectId', 'os-project-id', ['OS_PROJECT_ID', 'OS_TENANT_ID'], 'project_id'],
  ['userDomainName', 'os-user-domain-name', ['OS_USER_DOMAIN_NAME'], 'user_domain_name'],
  ['userDomainId', 'os-user-domain-id', ['OS_USER_DOMAIN_ID'], 'user_domain_id'],
  ['projectDomainName', 'os-project-domain-name', ['OS_PROJECT_DOMAIN_NAME'], 'project_domain_name'],
  ['projectDomainId', 'os-project-domain-id', ['OS_PROJECT_DOMAIN_ID'], 'project_domain_id'],
  ['token', 'os-token', ['OS_TOKEN'], 'token'],
  ['regionName', 'os-region-name', ['OS_REGION_NAME'], 'region_name'],
  ['interface', 'os-interface', ['OS_INTERFACE'], 'interface'],
  ['endpoint', 'endpoint', ['OS_ENDPOINT'], 'endpoint'],
] as const;

/** The `--os-*` flags (and `--endpoint`), for the option parser and --help. */
export const CREDENTIAL_FLAGS: readonly string[] = [...SETTINGS.map((s) => s[1]), 'os-cloud', 'os-service-type'];

/** The development gateway's admin listener, used by `--noauth` without `--endpoint`. */
export const NOAUTH_DEFAULT_ENDPOINT = 'http://127.0.0.1:19996';

type Env = Record<string, string | undefined>;

/** A usage problem with the credentials (exit 2). */
export class CredentialsError extends Error {}

/**
 * @param flags parsed option values (`os-username` → value)
 * @param env usually process.env
 */
export function resolveCredentials(flags: Record<string, unknown>, env: Env, cwd?: string): Credentials {
  const flag = (name: string) => (typeof flags[name] === 'string' && flags[name] !== '' ? (flags[name] as string) : undefined);
  const cloudName = flag('os-cloud') ?? (env.OS_CLOUD || undefined);
  let cloud: Record<string, unknown> = {};
  if (cloudName) {
    const { entry } = loadCloud(cloudName, env, cwd);
    // Top-level keys (region_name, interface) first; the auth block's own keys over them.
    cloud = { ...entry, ...(entry.auth ?? {}) };
  }
  const out: Record<string, unknown> = { noauth: flags.noauth === true };
  for (const [key, name, vars, cloudKey] of SETTINGS) {
    const fromEnv = vars.map((v) => env[v]).find((v) => v !== undefined && v !== '');
    const fromCloud = cloud[cloudKey];
    const value = flag(name) ?? fromEnv ?? (fromCloud === undefined || fromCloud === null ? undefined : String(fromCloud));
    if (value !== undefined) out[key] = value;
  }
  const c = out as unknown as Credentials;
  c.interface ??= 'public';
  c.serviceType = flag('os-service-type') ?? ADMIN_SERVICE_TYPE;
  if (!c.userDomainName && !c.userDomainId) c.userDomainId = 'default';
  if (!c.projectDomainName && !c.projectDomainId) c.projectDomainId = 'default';
  if (c.noauth) {
    c.endpoint ??= NOAUTH_DEFAULT_ENDPOINT;
    return c;
  }
  if (c.token && c.endpoint) return c;
  const missing: string[] = [];
  if (!c.authUrl) missing.push('--os-auth-url (OS_AUTH_URL)');
  if (!c.token) {
    if (!c.username && !c.userId) missing.push('--os-username (OS_USERNAME)');
    if (!c.password) missing.push('--os-password (OS_PASSWORD)');
    if (!c.endpoint && !c.projectName && !c.projectId) missing.push('--os-project-name (OS_PROJECT_NAME)');
  }
  if (missing.length) {
    throw new CredentialsError(`missing ${missing.join(', ')}: set them, use --os-cloud (OS_CLOUD), --os-token with --endpoint, or --noauth for a development gateway`);
  }
  return c;
}
