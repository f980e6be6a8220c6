// Public shapes of the Keystone client: its options and the identity a validated token yields.
// Kept apart from the client so handlers and policy code can import types without the client.

/** How the gateway authenticates itself to Keystone and how long it trusts a validation. */
export interface KeystoneOptions {
  /** Keystone v3 URL, e.g. http://keystone:5000/v3 (a trailing slash is ignored). */
  authUrl: string;
  /** The gateway's service user (needs a role allowed to validate tokens, e.g. admin or service). */
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  /** How long a validated token is trusted without asking Keystone again; 0 disables caching. Never past the token's expiry. */
  tokenCacheSeconds: number;
  /** Deadline of each Keystone request (connect + headers + body). @default 30000 */
  requestTimeoutMs?: number;
  /** Most validations kept in memory; the oldest is evicted first. @default 10000 */
  cacheMaxEntries?: number;
}

/** One service in a token's catalog, endpoints of every region. */
export interface CatalogEntry {
  type: string;
  name?: string;
  endpoints: { region: string; region_id?: string; interface: string; url: string }[];
}

/** Who a validated token belongs to and what it may do. */
export interface Identity {
  userId: string;
  userName?: string;
  /** null for unscoped and domain-scoped tokens. */
  projectId: string | null;
  projectName?: string;
  /** Domain of the scope: the project's domain, the domain of a domain-scoped token, else the user's. */
  domainId?: string;
  /** Role names as Keystone gives them. */
  roles: string[];
  /** True if a role is named 'admin' (any case). */
  isAdmin: boolean;
  expiresAt: Date;
  catalog: CatalogEntry[];
}

/** Validation cache counters. */
export interface KeystoneStats {
  hits: number;
  misses: number;
  /** Entries currently cached (valid and invalid tokens). */
  size: number;
}
