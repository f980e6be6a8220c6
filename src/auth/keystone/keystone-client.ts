// Validates users' Keystone tokens for the gateway, with an in-memory cache so the hot path
// rarely talks to Keystone. A valid token is trusted for tokenCacheSeconds but never past its
// expires_at; an invalid one is remembered briefly so a client retrying a bad token cannot make
// us hammer Keystone. Concurrent validations of one token share one Keystone request.
import { KeystoneUnavailableError } from './errors';
import { KeystoneHttp } from './keystone-http';
import { ServiceTokenSource } from './service-token';
import { TokenCache, tokenKey } from './token-cache';
import type { CatalogEntry, Identity, KeystoneOptions, KeystoneStats } from './types';

/** @default requestTimeoutMs */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** @default cacheMaxEntries */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
/** How long "Keystone says this token is invalid" is remembered (capped by tokenCacheSeconds). */
export const NEGATIVE_CACHE_MS = 10_000;
/**
 * Longest token sent to Keystone. Fernet tokens are ~180-260 characters and JWS ~800; anything
 * near this is junk, and sending it would earn a 413/431 that looks like an outage.
 */
export const MAX_TOKEN_LENGTH = 8_192;
/** Tokens are printable ASCII (base64url, hex); anything else cannot be a header value we send. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * @example
 * const ks = new KeystoneClient({ authUrl: 'http://keystone:5000/v3', username: 'trio2o',
 *   password, projectName: 'service', userDomainName: 'Default', projectDomainName: 'Default',
 *   tokenCacheSeconds: 300 });
 * const who = await ks.validate(req.headers['x-auth-token']); // null → 401
 */
export class KeystoneClient {
  readonly #http: KeystoneHttp;
  readonly #service: ServiceTokenSource;
  readonly #cache: TokenCache;
  readonly #positiveTtlMs: number;
  readonly #negativeTtlMs: number;
  readonly #inflight = new Map<string, Promise<Identity | null>>();
  #closed = false;

  constructor(opts: KeystoneOptions) {
    checkOptions(opts);
    this.#http = new KeystoneHttp(opts.authUrl, opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    this.#service = new ServiceTokenSource(this.#http, opts);
    this.#cache = new TokenCache(opts.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES);
    this.#positiveTtlMs = opts.tokenCacheSeconds * 1000;
    this.#negativeTtlMs = Math.min(NEGATIVE_CACHE_MS, this.#positiveTtlMs);
  }

  /**
   * Who `userToken` belongs to, or null if Keystone says it is invalid, expired or revoked.
   * The returned object may be shared with other callers: do not modify it.
   * @throws KeystoneUnavailableError when Keystone cannot be asked (answer 503)
   */
  async validate(userToken: string): Promise<Identity | null> {
    this.#assertOpen();
    // Not a token Keystone could have issued: refuse without asking (and without a 503).
    if (userToken.length > MAX_TOKEN_LENGTH || !TOKEN_CHARS.test(userToken)) return null;
    const key = tokenKey(userToken);
    const cached = this.#cache.lookup(key, Date.now());
    if (cached.found) return cached.identity;
    let p = this.#inflight.get(key);
    if (!p) {
      p = this.#ask(key, userToken).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, p);
    }
    return p;
  }

  /** `validate`'s answer when its cache holds a valid identity for `userToken`; else undefined. */
  cached(userToken: string): Identity | undefined {
    if (this.#closed || userToken.length > MAX_TOKEN_LENGTH || !TOKEN_CHARS.test(userToken)) return undefined;
    return this.#cache.peek(tokenKey(userToken), Date.now());
  }

  /** The gateway's own token (cached, renewed before expiry). */
  async serviceToken(): Promise<string> {
    this.#assertOpen();
    return (await this.#service.get()).token;
  }

  /** The project the service token is scoped to. */
  async serviceProjectId(): Promise<string> {
    this.#assertOpen();
    return (await this.#service.get()).identity.projectId ?? '';
  }

  /** A pod refused `token`: the next `serviceToken()` issues a fresh one. */
  dropServiceToken(token: string): void {
    this.#service.invalidate(token);
  }

  /** The catalog that came with the service token: every region's endpoints. */
  async serviceCatalog(): Promise<CatalogEntry[]> {
    this.#assertOpen();
    return (await this.#service.get()).identity.catalog;
  }

  /** Validation cache counters (hits, misses, entries). */
  stats(): KeystoneStats {
    return this.#cache.stats();
  }

  /** Forgets every cached token and closes the connections to Keystone. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cache.clear();
    this.#service.clear();
    await this.#http.close();
  }

  async #ask(key: string, userToken: string): Promise<Identity | null> {
    let service = await this.#service.get();
    let answer = await this.#http.validate(service.token, userToken);
    if (answer.kind === 'unauthorized') {
      // Most likely our own token was revoked or expired early: renew it once and retry. If a
      // freshly issued token is refused too, the refusal is about the user's token.
      this.#service.invalidate(service.token);
      service = await this.#service.get();
      answer = await this.#http.validate(service.token, userToken);
    }
    const now = Date.now();
    if (answer.kind === 'valid' && answer.identity.expiresAt.getTime() > now) {
      const until = Math.min(now + this.#positiveTtlMs, answer.identity.expiresAt.getTime());
      this.#cache.store(key, answer.identity, until, now);
      return answer.identity;
    }
    this.#cache.store(key, null, now + this.#negativeTtlMs, now);
    return null;
  }

  #assertOpen(): void {
    if (this.#closed) throw new KeystoneUnavailableError('the Keystone client is closed');
  }
}

/** Rejects bad settings at start-up, naming the setting and the rule. */
function checkOptions(opts: KeystoneOptions): void {
  let url: URL | undefined;
  try {
    url = new URL(opts.authUrl);
  } catch {
    /* reported below */
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`authUrl must be an http(s) URL, got ${JSON.stringify(opts.authUrl)}`);
  }
  for (const name of ['username', 'password', 'projectName', 'userDomainName', 'projectDomainName'] as const) {
    if (typeof opts[name] !== 'string' || opts[name] === '') throw new TypeError(`${name} must be a non-empty string`);
  }
  if (!Number.isFinite(opts.tokenCacheSeconds) || opts.tokenCacheSeconds < 0) {
    throw new TypeError('tokenCacheSeconds must be a number >= 0');
  }
  if (opts.requestTimeoutMs !== undefined && !(Number.isInteger(opts.requestTimeoutMs) && opts.requestTimeoutMs > 0)) {
    throw new TypeError('requestTimeoutMs must be a positive integer');
  }
  if (opts.cacheMaxEntries !== undefined && !(Number.isInteger(opts.cacheMaxEntries) && opts.cacheMaxEntries >= 0)) {
    throw new TypeError('cacheMaxEntries must be an integer >= 0');
  }
}
