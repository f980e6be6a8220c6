/**
 * The gateway's own credentials toward the pods (the pod client's `ServiceCredentials`), for
 * work no caller waits on: with Keystone, the service token of `[keystone]` (its user needs the
 * admin role, as it validates tokens too); under noauth, the trusted identity headers of an
 * admin, which only pods that trust headers (the simulator, a noauth devstack) accept.
 */
import type { ServiceCredentials } from '../pods';

/** The project noauth service calls use. */
export const NOAUTH_SERVICE_PROJECT = 'trio2o-service';

export function noauthServiceCredentials(): ServiceCredentials {
  const headers = { 'x-auth-token': 'trio2o-service', 'x-user-id': 'trio2o', 'x-project-id': NOAUTH_SERVICE_PROJECT, 'x-roles': 'admin' };
  return {
    headers: async () => headers,
    projectId: async () => NOAUTH_SERVICE_PROJECT,
  };
}

/** What the Keystone client offers for this: its service token and the token's project. */
export interface ServiceTokenSource {
  serviceToken(): Promise<string>;
  serviceProjectId(): Promise<string>;
  dropServiceToken(token: string): void;
}

export function keystoneServiceCredentials(ks: ServiceTokenSource): ServiceCredentials {
  let last: string | undefined;
  return {
    async headers() {
      last = await ks.serviceToken();
      return { 'x-auth-token': last };
    },
    projectId: () => ks.serviceProjectId(),
    invalidate() {
      if (last) ks.dropServiceToken(last);
    },
  };
}
