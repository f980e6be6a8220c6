/** Authentication (Keystone tokens or noauth headers), request context and policy checks. */
export * from './context';
export { authenticate, hasAdminRole, knownIdentity, type AuthStrategy, type AuthenticateOptions, type HeaderOf } from './middleware';
export { authorize } from './authorize';
export { noauthServiceCredentials, keystoneServiceCredentials, NOAUTH_SERVICE_PROJECT, type ServiceTokenSource } from './service-credentials';
