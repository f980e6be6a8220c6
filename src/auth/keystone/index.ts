// Keystone token validation for the gateway: KeystoneClient validates users' tokens (cached)
// and holds the gateway's own service token and catalog.
export { KeystoneClient, DEFAULT_CACHE_MAX_ENTRIES, DEFAULT_REQUEST_TIMEOUT_MS, MAX_TOKEN_LENGTH, NEGATIVE_CACHE_MS } from './keystone-client';
export { KeystoneUnavailableError, type KeystoneErrorCode } from './errors';
export { RENEW_BEFORE_EXPIRY_MS } from './service-token';
export { tokenKey } from './token-cache';
export type { CatalogEntry, Identity, KeystoneOptions, KeystoneStats } from './types';
