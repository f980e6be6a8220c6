/**
 * The caller's identity for one request, the same shape whichever way it was established
 * (Keystone token or noauth headers).
 */
export interface RequestContext {
  userId: string | null;
  projectId: string | null;
  roles: string[];
  isAdmin: boolean;
  /** The caller's own token, forwarded to the pods; absent in noauth without a token. */
  authToken: string | null;
}

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
}

/** Credentials as the policy engine sees them. */
export interface PolicyCreds {
  userId: string | null;
  projectId: string | null;
  roles: string[];
  isAdmin: boolean;
}

export interface Authorizer {
  enforce(rule: string, creds: PolicyCreds, target?: Record<string, unknown>): boolean;
}

export interface AuthVariables {
  auth: RequestContext;
}
