/** State store: libSQL client (standalone or site replica), migrations and one repository per table. */
export { openStore, storeFromClient, type Store, type StoreOptions } from './store';
export { migrate, schemaVersion, MIGRATIONS, type Migration } from './migrations';
export { StoreError, isUniqueViolation, isForeignKeyViolation, isUnavailable } from './errors';
export { isoNow } from './time';
export type { StoreMode, ReplicationStatus, ReplicationControl } from './replica-status';
export { probePrimary, describePrimary, type ProbeResult } from './primary-probe';
export { SwitchClient } from './switch-client';
export type { Pod, NewPod, PodPatch, PodEndpoints, PodServiceType } from './pods';
export type { Binding, BindingFilter } from './bindings';
export { PENDING_PREFIX, type Routing, type RoutingFilter, type RoutingStatus } from './routings';
export type { Job, JobStatus } from './jobs';
export type { VolumeType, NewVolumeType, VolumeTypePatch, VolumeTypeVisibility } from './volume-types';
export { selectPage, MarkerNotFoundError, type PageQuery } from './paging';
export { FLAVOR_SORT_COLUMNS, type Flavor, type NewFlavor, type FlavorFilter } from './flavors';
export { SEED_FLAVORS } from './migration-002';
export type { Keypair, NewKeypair, KeypairType } from './keypairs';
export type { Aggregate } from './aggregates';
export type { ServerUsage } from './quotas';
