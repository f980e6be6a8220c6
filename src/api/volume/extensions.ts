/**
 * `GET /extensions` and `/extensions/{alias}`: Cinder's (static) list of loaded API extensions
 * (cinder/api/extensions.py), which clients still read to decide what to offer — Horizon asks
 * for `AvailabilityZones` before it fills the volume form's zone list. The gateway lists only
 * the extensions whose API it answers: the ones it owns (zones, quotas, used limits, volume
 * types, their extra specs and access) and the ones forwarded to the owning pod (volume,
 * snapshot and admin actions, backups, the volume and snapshot attributes, scheduler hints).
 * Not listed because the gateway does not serve them: services, hosts, capabilities, QoS specs,
 * quota classes, encryption, manage/unmanage, consistency groups, scheduler stats, and volume
 * transfers (only their list is answered).
 */
import type { Context } from 'hono';
import { notFound, type GatewayEnv } from '../../http';

/** Name, alias, updated and description as Cinder's contrib modules declare them. */
const EXTENSIONS: readonly (readonly [name: string, alias: string, updated: string, description: string])[] = [
  ['AdminActions', 'os-admin-actions', '2012-08-25T00:00:00+00:00', 'Enable admin actions.'],
  ['AvailabilityZones', 'os-availability-zone', '2013-06-27T00:00:00+00:00', 'Describe Availability Zones.'],
  ['Backups', 'backups', '2012-12-12T00:00:00+00:00', 'Backups support.'],
  ['ExtendedSnapshotAttributes', 'os-extended-snapshot-attributes', '2012-06-19T00:00:00+00:00', 'Extended SnapshotAttributes support.'],
  ['Quotas', 'os-quota-sets', '2011-08-08T00:00:00+00:00', 'Quota management support.'],
  ['SchedulerHints', 'OS-SCH-HNT', '2013-04-18T00:00:00+00:00', 'Pass arbitrary key/value pairs to the scheduler.'],
  ['SnapshotActions', 'os-snapshot-actions', '2013-07-16T00:00:00+00:00', 'Enable snapshot manager actions.'],
  ['TypesExtraSpecs', 'os-types-extra-specs', '2011-08-24T00:00:00+00:00', 'Type extra specs support.'],
  ['TypesManage', 'os-types-manage', '2011-08-24T00:00:00+00:00', 'Types manage support.'],
  ['UsedLimits', 'os-used-limits', '2013-10-03T00:00:00+00:00', 'Provide data on limited resources that are being used.'],
  ['VolumeActions', 'os-volume-actions', '2012-05-31T00:00:00+00:00', 'Enable volume actions.'],
  ['VolumeHostAttribute', 'os-vol-host-attr', '2011-11-03T00:00:00+00:00', 'Expose host as an attribute of a volume.'],
  ['VolumeImageMetadata', 'os-vol-image-meta', '2012-12-07T00:00:00+00:00', 'Show image metadata associated with the volume.'],
  ['VolumeMigStatusAttribute', 'os-vol-mig-status-attr', '2013-08-08T00:00:00+00:00', 'Expose migration_status as an attribute of a volume.'],
  ['VolumeTenantAttribute', 'os-vol-tenant-attr', '2011-11-03T00:00:00+00:00', 'Expose the internal project_id as an attribute of a volume.'],
  ['VolumeTypeAccess', 'os-volume-type-access', '2014-06-26T00:00:00Z', 'Volume type access support.'],
];

const view = ([name, alias, updated, description]: (typeof EXTENSIONS)[number]) => ({ name, alias, description, updated, links: [] });

export function listExtensions(c: Context<GatewayEnv>): Response {
  return c.json({ extensions: EXTENSIONS.map(view) });
}

export function showExtension(c: Context<GatewayEnv>): Response {
  const alias = c.req.param('alias');
  const ext = EXTENSIONS.find((e) => e[1] === alias);
  if (!ext) throw notFound('The resource could not be found.');
  return c.json({ extension: view(ext) });
}
