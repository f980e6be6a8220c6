// Small read-mostly resources: os-availability-zone, limits (with the
// used_limits extension's totals) and os-quota-sets (show, usage, defaults,
// admin update/delete). Limits an admin sets for a project are enforced (quota.ts).
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, member, readBody, requireAdmin } from './context';
import { policyDenied } from './faults';
import type { CinderState } from './state';

/** Cinder's default quotas (cinder/quota.py options). */
export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  volumes: 10,
  snapshots: 10,
  gigabytes: 1000,
  backups: 10,
  backup_gigabytes: 1000,
  per_volume_gigabytes: -1,
  groups: 10,
};

export function usage(st: CinderState, projectId: string): Record<string, number> {
  const vols = [...st.volumes.values()].filter((v) => v.projectId === projectId);
  const snaps = [...st.snapshots.values()].filter((s) => s.projectId === projectId);
  const backups = [...st.backups.values()].filter((b) => b.projectId === projectId);
  const used: Record<string, number> = {
    volumes: vols.length,
    snapshots: snaps.length,
    gigabytes: vols.reduce((n, v) => n + v.size, 0) + snaps.reduce((n, s) => n + s.size, 0),
    backups: backups.length,
    backup_gigabytes: backups.reduce((n, b) => n + b.size, 0),
    per_volume_gigabytes: 0,
    groups: 0,
  };
  for (const t of st.types.values()) {
    const ofType = vols.filter((v) => v.volumeTypeId === t.id);
    used[`volumes_${t.name}`] = ofType.length;
    used[`gigabytes_${t.name}`] = ofType.reduce((n, v) => n + v.size, 0);
    used[`snapshots_${t.name}`] = snaps.filter((s) => st.volumes.get(s.volumeId)?.volumeTypeId === t.id).length;
  }
  return used;
}

export function miscRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const overrides = st.quotaOverrides;
  const limitsOf = (projectId: string): Record<string, number> => {
    const out: Record<string, number> = { ...DEFAULT_QUOTAS };
    for (const t of st.types.values()) {
      out[`volumes_${t.name}`] = -1;
      out[`gigabytes_${t.name}`] = -1;
      out[`snapshots_${t.name}`] = -1;
    }
    return { ...out, ...overrides.get(projectId) };
  };
  const target = (c: Ctx): string => {
    const pid = c.req.param('target')!;
    const who = identity(c);
    if (!who.isAdmin && pid !== who.projectId) throw policyDenied('volume_extension:quotas:show');
    return pid;
  };

  r.get('/os-availability-zone', (c) =>
    c.json({ availabilityZoneInfo: [{ zoneName: st.env.az, zoneState: { available: true } }] }),
  );
  r.get('/limits', (c) => {
    const pid = identity(c).projectId;
    const q = limitsOf(pid);
    const u = usage(st, pid);
    return c.json({
      limits: {
        rate: [],
        absolute: {
          maxTotalVolumes: q.volumes,
          maxTotalSnapshots: q.snapshots,
          maxTotalVolumeGigabytes: q.gigabytes,
          maxTotalBackups: q.backups,
          maxTotalBackupGigabytes: q.backup_gigabytes,
          totalVolumesUsed: u.volumes,
          totalGigabytesUsed: u.gigabytes,
          totalSnapshotsUsed: u.snapshots,
          totalBackupsUsed: u.backups,
          totalBackupGigabytesUsed: u.backup_gigabytes,
        },
      },
    });
  });
  r.get('/os-quota-sets/:target/defaults', (c) => c.json({ quota_set: { id: c.req.param('target'), ...limitsOf('') } }));
  r.get('/os-quota-sets/:target', (c) => {
    const pid = target(c);
    const q = limitsOf(pid);
    if ((c.req.query('usage') ?? '').toLowerCase() !== 'true') return c.json({ quota_set: { id: pid, ...q } });
    const u = usage(st, pid);
    const withUsage: Record<string, unknown> = { id: pid };
    for (const [k, limit] of Object.entries(q)) withUsage[k] = { limit, in_use: u[k] ?? 0, reserved: 0, allocated: 0 };
    return c.json({ quota_set: withUsage });
  });
  r.put('/os-quota-sets/:target', async (c) => {
    requireAdmin(c, 'volume_extension:quotas:update');
    const pid = c.req.param('target');
    const qs = member(await readBody(c), 'quota_set');
    const known = limitsOf(pid);
    const next: Record<string, number> = { ...overrides.get(pid) };
    for (const [k, v] of Object.entries(qs)) {
      if (k === 'tenant_id' || k === 'id') continue;
      if (!Object.hasOwn(known, k)) throw fieldError('quota_set', qs, `Bad key(s) in quota set: ${k}`);
      if (typeof v !== 'number' && !(typeof v === 'string' && /^-?\d+$/.test(v))) {
        throw fieldError(k, v, `${JSON.stringify(v)} is not of type 'integer'`);
      }
      if (Number(v) < -1) throw fieldError(k, v, `${JSON.stringify(v)} is less than the minimum of -1`);
      next[k] = Number(v);
    }
    overrides.set(pid, next);
    return c.json({ quota_set: limitsOf(pid) });
  });
  r.delete('/os-quota-sets/:target', (c) => {
    requireAdmin(c, 'volume_extension:quotas:delete');
    overrides.delete(c.req.param('target'));
    return c.body(null, 200);
  });
  return r;
}
