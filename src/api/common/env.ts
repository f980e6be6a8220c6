/**
 * The typed per-request variables of every listener. One type for all three listeners keeps
 * middleware composable; a variable a listener never sets (apiVersion on admin) is simply unused.
 */
import type { AuthVariables } from '../../auth/context';
import type { RequestIdVariables } from './request-id';
import type { Version } from './microversion';

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
