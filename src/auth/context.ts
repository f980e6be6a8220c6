/** What authentication and policy need: token validation results and the policy contract. */
import type { RequestContext, AuthVariables } from '../http';

export type { RequestContext, AuthVariables };

/** What a token validator gives back; structurally matches the Keystone client's Identity. */
export interface ValidatedIdentity {
  userId: string;
  projectId: string | null;
  roles: string[];
  isAdmin: boolean;
}

export interface TokenValidator {
  /** null means the token is invalid, expired or revoked. Throws when Keystone is unreachable. */
  validate(token: string): Promise<ValidatedIdentity | null>;
  /**
   * The identity `validate` would give from its cache alone, counted as a cache hit; undefined
   * when the cache cannot say (not cached, expired, cached as invalid, or not a token at all).
   */
  cached?(token: string): ValidatedIdentity | undefined;
}

/** Credentials as the policy engine sees them. */
export interface PolicyCreds {
  userId: string | null;
  projectId: string | null;
  roles: string[];
  isAdmin: boolean;
}

/** The policy as handlers see it; `R` is the rule names they may ask for. */
export interface Authorizer<R extends string = string> {
  enforce(rule: R, creds: PolicyCreds, target?: Record<string, unknown>): boolean;
}

