/** State store: libSQL client, migrations and one repository per table. */
export { openStore, storeFromClient, type Store, type StoreOptions } from './store';
export { migrate, schemaVersion, MIGRATIONS, type Migration } from './migrations';
export { StoreError, isUniqueViolation, isForeignKeyViolation, isUnavailable } from './errors';
export { isoNow } from './time';
export type { Pod, NewPod, PodPatch, PodEndpoints, PodServiceType } from './pods';
export type { Binding, BindingFilter } from './bindings';
export { PENDING_PREFIX, type Routing, type RoutingFilter, type RoutingStatus } from './routings';
export type { Job, JobStatus } from './jobs';
export { selectPage, MarkerNotFoundError, type PageQuery } from './paging';
export { FLAVOR_SORT_COLUMNS, type Flavor, type NewFlavor, type FlavorFilter } from './flavors';
export { SEED_FLAVORS } from './migration-002';
export type { Keypair, NewKeypair, KeypairType } from './keypairs';
export type { Aggregate } from './aggregates';
export type { ServerUsage } from './quotas';
