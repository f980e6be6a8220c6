// The gateway's own Keystone token: issued by password auth, kept in memory, renewed a while
// before it expires (5 minutes, or at half-life for short-lived tokens, so a token is never
// used in its last moments), and issued by at most one request at a time however many
// callers ask at once (single flight).
import type { IssuedServiceToken, KeystoneHttp, PasswordCredentials } from './keystone-http';

/** Renew this long before expiry, or at half-life if the token lives shorter than twice this. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

interface Current extends IssuedServiceToken {
  /** Epoch ms from which get() renews. */
  renewAt: number;
}

export class ServiceTokenSource {
  readonly #http: KeystoneHttp;
  readonly #credentials: PasswordCredentials;
  #current: Current | undefined;
  #inflight: Promise<Current> | undefined;

  constructor(http: KeystoneHttp, credentials: PasswordCredentials) {
    this.#http = http;
    this.#credentials = { ...credentials };
  }

  /** The current token, renewed first if it is due. */
  async get(): Promise<IssuedServiceToken> {
    const cur = this.#current;
    if (cur && Date.now() < cur.renewAt) return cur;
    return this.#renew();
  }

  /**
   * Forgets `token` if it is still the current one (Keystone refused it, e.g. it was revoked).
   * Callers that saw the same refusal all call this; only the first drops anything, and the
   * next get() then shares one renewal.
   */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  clear(): void {
    this.#current = undefined;
  }

  #renew(): Promise<Current> {
    if (this.#inflight) return this.#inflight;
    const p = (async () => {
      const issuedAt = Date.now();
      const issued = await this.#http.issuePasswordToken(this.#credentials);
      const expiresAt = issued.identity.expiresAt.getTime();
      const margin = Math.min(RENEW_BEFORE_EXPIRY_MS, Math.max(0, expiresAt - issuedAt) / 2);
      const cur: Current = { ...issued, renewAt: expiresAt - margin };
      this.#current = cur;
      return cur;
    })();
    this.#inflight = p;
    // Clear the slot however it ends, so a failure is retried by the next caller.
    p.then(
      () => this.#inflight === p && (this.#inflight = undefined),
      () => this.#inflight === p && (this.#inflight = undefined),
    );
    return p;
  }
}
