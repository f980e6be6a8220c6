/**
 * The typed per-request variables of every listener. One type for all three listeners keeps
 * middleware composable; a variable a listener never sets (apiVersion on admin) is simply unused.
 */
import type { RequestIdVariables } from './request-id';
import type { Version } from './microversion';

/**
 * The caller's identity for one request, the same shape whichever way it was established
 * (Keystone token or noauth headers). Set by the authentication middleware.
 */
export interface RequestContext {
  userId: string | null;
  projectId: string | null;
  roles: string[];
  isAdmin: boolean;
  /** The caller's own token, forwarded to the pods; absent in noauth without a token. */
  authToken: string | null;
}

export interface AuthVariables {
  auth: RequestContext;
}

export type GatewayEnv = {
  Variables: AuthVariables &
    RequestIdVariables & {
      /** Negotiated microversion (compute, volume). */
      apiVersion: Version;
      /** The project the request acts for (URL or token). */
      projectId: string;
      /** Name of the pod that answered, for the access log. */
      pod: string;
    };
};
