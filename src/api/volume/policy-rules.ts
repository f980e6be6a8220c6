/**
 * Cinder's policy rule names and defaults (cinder/policies/*.py) for what the volume API judges
 * itself: the type catalog and quotas it owns, and the admin-only families it fans out or routes
 * by host (a member is refused before any pod is asked).
 */
const ADMIN = 'rule:context_is_admin';

export const VOLUME_RULES = Object.freeze({
  'volume_extension:types_manage': ADMIN,
  'volume_extension:volume_type_access': ADMIN,
  'volume_extension:volume_type_access:addProjectAccess': ADMIN,
  'volume_extension:volume_type_access:removeProjectAccess': ADMIN,
  'volume_extension:quotas:show': 'rule:admin_or_owner',
  'volume_extension:quotas:update': ADMIN,
  'volume_extension:quotas:delete': ADMIN,
  'volume_extension:quota_classes:get': ADMIN,
  'volume_extension:quota_classes:update': ADMIN,
  // services.py, hosts.py, scheduler_stats.py, capabilities.py, clusters.py, workers.py
  'volume_extension:services:index': ADMIN,
  'volume_extension:services:update': ADMIN,
  'volume_extension:hosts': ADMIN,
  'scheduler_extension:scheduler_stats:get_pools': ADMIN,
  'volume_extension:capabilities': ADMIN,
  'clusters:get': ADMIN,
  'clusters:get_all': ADMIN,
  'clusters:update': ADMIN,
  'workers:cleanup': ADMIN,
  // qos_specs.py, default_types.py, volume_type.py (encryption)
  'volume_extension:qos_specs_manage:get_all': ADMIN,
  'volume_extension:qos_specs_manage:get': ADMIN,
  'volume_extension:qos_specs_manage:create': ADMIN,
  'volume_extension:qos_specs_manage:update': ADMIN,
  'volume_extension:qos_specs_manage:delete': ADMIN,
  'volume_extension:default_set_or_update': ADMIN,
  'volume_extension:default_get': ADMIN,
  'volume_extension:default_get_all': ADMIN,
  'volume_extension:default_unset': ADMIN,
  'volume_extension:volume_type_encryption:get': ADMIN,
  'volume_extension:volume_type_encryption:create': ADMIN,
  'volume_extension:volume_type_encryption:update': ADMIN,
  'volume_extension:volume_type_encryption:delete': ADMIN,
  // group_types.py
  'group:group_types:create': ADMIN,
  'group:group_types:update': ADMIN,
  'group:group_types:delete': ADMIN,
  'group:group_types_specs:get': ADMIN,
  'group:group_types_specs:get_all': ADMIN,
  'group:group_types_specs:create': ADMIN,
  'group:group_types_specs:update': ADMIN,
  'group:group_types_specs:delete': ADMIN,
  // backups.py
  'backup:backup-import': ADMIN,
  // manageable_volumes.py, manageable_snapshots.py
  'volume_extension:list_manageable': ADMIN,
  'volume_extension:volume_manage': ADMIN,
  'snapshot_extension:list_manageable': ADMIN,
  'snapshot_extension:snapshot_manage': ADMIN,
} as const);

/** A volume rule name: only registered names type-check. */
export type VolumeRule = keyof typeof VOLUME_RULES;
