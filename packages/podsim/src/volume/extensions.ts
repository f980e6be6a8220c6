// GET /v3/{project}/extensions: Cinder's (static) list of loaded API extensions, as
// cinder/api/extensions.py renders the contrib modules. Clients (Tempest's test_list_extensions)
// read the names and aliases; the list says what a stock Cinder loads, not what the simulator
// implements in full.
import { Hono } from 'hono';
import type { CinderEnv } from './context';

/** [name, alias, description] of cinder/api/contrib's extensions. */
const CONTRIB: [string, string, string][] = [
  ['AdminActions', 'os-admin-actions', 'Enable admin actions.'],
  ['AvailabilityZones', 'os-availability-zone', 'Describe Availability Zones.'],
  ['Backups', 'backups', 'Backups support.'],
  ['Capabilities', 'capabilities', 'Capabilities support.'],
  ['ExtendedServices', 'os-extended-services', 'Extended services support.'],
  ['ExtendedSnapshotAttributes', 'os-extended-snapshot-attributes', 'Extended SnapshotAttributes support.'],
  ['Hosts', 'os-hosts', 'Admin-only host administration.'],
  ['QoSSpecs', 'qos-specs', 'QoS specs support.'],
  ['QuotaClasses', 'os-quota-class-sets', 'Quota classes management support.'],
  ['Quotas', 'os-quota-sets', 'Quota management support.'],
  ['SchedulerStats', 'scheduler-stats', 'Scheduler stats support.'],
  ['Services', 'os-services', 'Services support.'],
  ['SnapshotActions', 'os-snapshot-actions', 'Enable snapshot manager actions.'],
  ['TypesExtraSpecs', 'os-types-extra-specs', 'Type extra specs support.'],
  ['TypesManage', 'os-types-manage', 'Types manage support.'],
  ['UsedLimits', 'os-used-limits', 'Provide data on limited resources that are being used.'],
  ['VolumeActions', 'os-volume-actions', 'Enable volume actions.'],
  ['VolumeHostAttribute', 'os-vol-host-attr', 'Expose host as an attribute of a volume.'],
  ['VolumeImageMetadata', 'os-vol-image-meta', 'Show image metadata associated with the volume.'],
  ['VolumeMigStatusAttribute', 'os-vol-mig-status-attr', 'Expose migration_status as an attribute of a volume.'],
  ['VolumeTenantAttribute', 'os-vol-tenant-attr', 'Expose the internal project_id as an attribute of a volume.'],
  ['VolumeTransfer', 'os-volume-transfer', 'Volume transfer management support.'],
  ['VolumeTypeAccess', 'os-volume-type-access', 'Volume type access support.'],
];
const UPDATED = '2011-06-29T00:00:00+00:00';

export function extensionRoutes(): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  r.get('/extensions', (c) =>
    c.json({ extensions: CONTRIB.map(([name, alias, description]) => ({ name, alias, description, links: [], updated: UPDATED })) }),
  );
  return r;
}
