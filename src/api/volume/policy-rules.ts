/**
 * Cinder's policy rule names and defaults (cinder/policies/volume_type.py, volume_access.py,
 * quotas.py) for what the volume API answers itself: the type catalog and quotas.
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
} as const);

/** A volume rule name: only registered names type-check. */
export type VolumeRule = keyof typeof VOLUME_RULES;
