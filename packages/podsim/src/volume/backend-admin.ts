// The pod's own backend, as an admin sees it, after cinder/api/v3/services.py, contrib/hosts.py,
// contrib/scheduler_stats.py, contrib/capabilities.py, v3/clusters.py, v3/workers.py,
// v3/resource_filters.py, v3/volume_manage.py, v3/snapshot_manage.py and contrib/*_manage.py:
// three services (scheduler, volume, backup) on one host, one LVM backend with one pool, no
// clusters, and a few volumes and snapshots on the backend that Cinder does not manage yet.
// Every route is admin-only by Cinder's default policy.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, isObject, member, mv, optString, readBody, requireAdmin } from './context';
import { badRequest, notFound } from './faults';
import type { CinderState } from './state';
import { asCreated, cinderTime, cinderTimeExact, rememberCreated } from './state';
import { newVolume } from './volume-create';
import { volumeDetail } from './volume-view';

/**
 * Cinder's host filter (cinder/db/sqlalchemy/api.py `_filter_host`): a value with `#` names one
 * pool (exact), with `@` a backend (itself or its pools), otherwise a host (itself, its backends
 * `host@…` and pools `host#…`).
 */
function hostMatches(stored: string, value: string): boolean {
  if (stored === value) return true;
  if (value.includes('#')) return false;
  if (value.includes('@')) return stored.startsWith(`${value}#`);
  return stored.startsWith(`${value}@`) || stored.startsWith(`${value}#`);
}

interface SimService {
  binary: 'cinder-scheduler' | 'cinder-volume' | 'cinder-backup';
  host: string;
  disabled: boolean;
  disabledReason: string | null;
  frozen: boolean;
  updatedAt: string;
}

/** A volume or snapshot on the backend that Cinder does not manage (yet). */
interface Unmanaged {
  name: string;
  size: number;
  cinderId: string | null;
  /** Snapshots: the backend volume they were taken of. */
  source?: string;
}

/** cinder/etc/cinder/resource_filters.json as shipped. */
const RESOURCE_FILTERS: Record<string, string[]> = {
  volume: ['name', 'status', 'metadata', 'bootable', 'migration_status', 'availability_zone', 'group_id', 'size', 'created_at', 'updated_at', 'consumes_quota'],
  backup: ['name', 'status', 'volume_id'],
  snapshot: ['name', 'status', 'volume_id', 'metadata', 'availability_zone', 'consumes_quota'],
  group: ['name'],
  group_snapshot: ['name', 'status', 'group_id'],
  attachment: ['volume_id', 'status', 'instance_id', 'attach_status'],
  message: ['resource_uuid', 'resource_type', 'event_id', 'request_id', 'message_level'],
  pool: ['name', 'volume_type'],
  volume_type: ['is_public', 'extra_specs'],
};

const notServed = () => notFound('The resource could not be found.');

export class BackendState {
  readonly services: SimService[];
  readonly unmanagedVolumes: Unmanaged[];
  readonly unmanagedSnapshots: Unmanaged[];
  constructor(readonly st: CinderState) {
    const base = st.host.split('@')[0]!;
    const now = cinderTime();
    const svc = (binary: SimService['binary'], host: string): SimService => ({ binary, host, disabled: false, disabledReason: null, frozen: false, updatedAt: now });
    this.services = [svc('cinder-scheduler', base), svc('cinder-volume', `${base}@${st.backendName}`), svc('cinder-backup', base)];
    this.unmanagedVolumes = [
      { name: 'legacy-volume-1', size: 2, cinderId: null },
      { name: 'legacy-volume-2', size: 1, cinderId: null },
    ];
    this.unmanagedSnapshots = [{ name: 'legacy-snapshot-1', size: 1, cinderId: null, source: 'legacy-volume-1' }];
  }
  /** The volume service's host ('host@backend'). */
  get volumeHost(): string {
    return this.services[1]!.host;
  }
  /** Whether `host` names this backend: 'host', 'host@backend' or 'host@backend#pool'. */
  isMine(host: string): boolean {
    const bare = host.split('#')[0]!;
    return this.services.some((s) => s.host === bare);
  }
}

function serviceView(c: Ctx, b: BackendState, s: SimService): Record<string, unknown> {
  const out: Record<string, unknown> = { binary: s.binary, host: s.host, zone: b.st.env.az, status: s.disabled ? 'disabled' : 'enabled', state: 'up', updated_at: s.updatedAt };
  if (mv(c, '3.49') && s.binary === 'cinder-volume') out.backend_state = 'up';
  if (mv(c, '3.7')) out.cluster = null;
  out.disabled_reason = s.disabledReason;
  if (s.binary === 'cinder-volume') Object.assign(out, { replication_status: 'disabled', active_backend_id: null, frozen: s.frozen });
  return out;
}

function hostField(body: Record<string, unknown>): string {
  const host = body.host;
  if (typeof host !== 'string' || host === '') throw fieldError('host', body, "'host' is a required property");
  return host;
}

export function backendAdminRoutes(st: CinderState): Hono<CinderEnv> {
  const b = new BackendState(st);
  const r = new Hono<CinderEnv>();
  const admin = (c: Ctx, rule: string) => requireAdmin(c, rule);

  // os-services (volume_extension:services:index / :update).
  r.get('/os-services', (c) => {
    admin(c, 'volume_extension:services:index');
    const q = new URL(c.req.url).searchParams;
    const host = q.get('host');
    const list = b.services.filter((s) => (host === null || hostMatches(s.host, host)) && (!q.has('binary') || s.binary === q.get('binary')));
    return c.json({ services: list.map((s) => serviceView(c, b, s)) });
  });
  for (const action of ['enable', 'disable', 'disable-log-reason'] as const) {
    r.put(`/os-services/${action}`, async (c) => {
      admin(c, 'volume_extension:services:update');
      const body = await readBody(c);
      const host = hostField(body);
      const binary = typeof body.binary === 'string' ? body.binary : '';
      const service = typeof body.service === 'string' ? body.service : '';
      const s = b.services.find((x) => x.host === host && x.binary === (binary || service));
      if (!s) throw notFound(`Could not find binary ${binary || service} on host ${host}.`);
      s.disabled = action !== 'enable';
      if (action === 'disable-log-reason') {
        const reason = optString(body, 'disabled_reason');
        if (!reason) throw badRequest('Invalid input received: Disabled reason contains invalid characters or is too long');
        s.disabledReason = reason;
      } else if (action === 'enable') s.disabledReason = null;
      s.updatedAt = cinderTime();
      const out: Record<string, unknown> = { host, service, binary, status: s.disabled ? 'disabled' : 'enabled', disabled: s.disabled };
      if (action === 'disable-log-reason') out.disabled_reason = s.disabledReason;
      return c.json(out);
    });
  }
  for (const action of ['freeze', 'thaw'] as const) {
    r.put(`/os-services/${action}`, async (c) => {
      admin(c, 'volume_extension:services:update');
      const host = hostField(await readBody(c));
      const s = b.services.find((x) => x.binary === 'cinder-volume' && x.host === host);
      if (!s) throw badRequest(`Invalid input received: Service ${host} could not be found.`);
      s.frozen = action === 'freeze';
      return c.body(null, 200);
    });
  }

  // os-hosts (volume_extension:hosts), as cinder/api/contrib/hosts.py `_list_hosts`: disabled
  // services are left out; `service-status` says whether the service is alive (every simulated
  // one is), `service-state` whether it is enabled; `?zone=` keeps the services of that zone.
  r.get('/os-hosts', (c) => {
    admin(c, 'volume_extension:hosts');
    const zone = c.req.query('zone');
    const listed = zone && zone !== st.env.az ? [] : b.services.filter((s) => !s.disabled);
    return c.json({
      hosts: listed.map((s) => ({ 'service-status': 'available', service: s.binary, zone: st.env.az, 'service-state': 'enabled', host_name: s.host, 'last-update': s.updatedAt })),
    });
  });
  r.get('/os-hosts/:host', (c) => {
    admin(c, 'volume_extension:hosts');
    const host = c.req.param('host');
    if (!b.isMine(host) || !b.services.some((s) => s.binary === 'cinder-volume' && s.host.split('@')[0] === host.split('@')[0])) throw notFound(`Host ${host} could not be found.`);
    const vols = [...st.volumes.values()];
    const snaps = [...st.snapshots.values()];
    const total = { host, project: '(total)', volume_count: String(vols.length), total_volume_gb: String(vols.reduce((n, v) => n + v.size, 0)), snapshot_count: String(snaps.length), total_snapshot_gb: String(snaps.reduce((n, s) => n + s.size, 0)) };
    return c.json({ host: [{ resource: total }] });
  });

  // scheduler-stats (scheduler_extension:scheduler_stats:get_pools) and capabilities.
  r.get('/scheduler-stats/get_pools', (c) => {
    admin(c, 'scheduler_extension:scheduler_stats:get_pools');
    const detail = ['1', 't', 'true', 'on', 'y', 'yes'].includes((c.req.query('detail') ?? '').toLowerCase());
    const name = `${b.volumeHost}#${st.backendName}`;
    const pool: Record<string, unknown> = { name };
    if (detail) {
      const used = [...st.volumes.values()].reduce((n, v) => n + v.size, 0);
      pool.capabilities = { pool_name: st.backendName, volume_backend_name: st.backendName, vendor_name: 'Open Source', driver_version: '3.0.0', storage_protocol: 'iSCSI', total_capacity_gb: 1000, free_capacity_gb: 1000 - used, allocated_capacity_gb: used, reserved_percentage: 0, thin_provisioning_support: true, multiattach: true, timestamp: cinderTime() };
    }
    return c.json({ pools: [pool] });
  });
  r.get('/capabilities/:host', (c) => {
    admin(c, 'volume_extension:capabilities');
    const host = c.req.param('host');
    if (host !== b.volumeHost) throw notFound(`Service ${host} could not be found.`);
    return c.json({
      namespace: `OS::Storage::Capabilities::${host}`,
      vendor_name: 'Open Source',
      volume_backend_name: st.backendName,
      pool_name: null,
      driver_version: '3.0.0',
      storage_protocol: 'iSCSI',
      display_name: null,
      description: null,
      visibility: null,
      replication_targets: [],
      properties: {
        compression: { title: 'Compression', description: 'Enables compression.', type: 'boolean' },
        thin_provisioning: { title: 'Thin Provisioning', description: 'Sets thin provisioning.', type: 'boolean' },
      },
    });
  });

  // clusters (3.7): this backend is not clustered, so there are none.
  const clustersGate = (c: Ctx) => {
    if (!mv(c, '3.7')) throw notServed();
  };
  r.get('/clusters', (c) => (clustersGate(c), admin(c, 'clusters:get_all'), c.json({ clusters: [] })));
  r.get('/clusters/detail', (c) => (clustersGate(c), admin(c, 'clusters:get_all'), c.json({ clusters: [] })));
  r.get('/clusters/:name', (c) => {
    clustersGate(c);
    admin(c, 'clusters:get');
    throw notFound(`Cluster ${c.req.param('name')} could not be found.`);
  });
  for (const action of ['enable', 'disable']) {
    r.put(`/clusters/${action}`, async (c) => {
      clustersGate(c);
      admin(c, 'clusters:update');
      const body = await readBody(c);
      if (typeof body.name !== 'string') throw fieldError('name', body, "'name' is a required property");
      throw notFound(`Cluster ${body.name} could not be found.`);
    });
  }

  // workers/cleanup (3.24): every service of this host is up, so each is told to clean.
  r.post('/workers/cleanup', async (c) => {
    if (!mv(c, '3.24')) throw notServed();
    admin(c, 'workers:cleanup');
    const body = c.req.header('content-length') === '0' ? {} : await readBody(c);
    const host = typeof body.host === 'string' ? body.host : undefined;
    const cleaning = b.services
      .filter((s) => s.binary !== 'cinder-scheduler' && (!host || s.host === host) && (typeof body.binary !== 'string' || s.binary === body.binary))
      .map((s, i) => ({ id: i + 1, host: s.host, binary: s.binary, cluster_name: null }));
    return c.json({ cleaning, unavailable: [] }, 202);
  });

  // resource_filters (3.33): the shipped resource_filters.json.
  r.get('/resource_filters', (c) => {
    if (!mv(c, '3.33')) throw notServed();
    const want = c.req.query('resource');
    const entries = Object.entries(RESOURCE_FILTERS).filter(([k]) => !want || k === want);
    return c.json({ resource_filters: entries.map(([resource, filters]) => ({ resource, filters })) });
  });

  // manageable volumes and snapshots (3.8) and manage.
  const manageableOf = (c: Ctx, kind: 'volumes' | 'snapshots', detail: boolean) => {
    if (!mv(c, '3.8')) throw notServed();
    admin(c, kind === 'volumes' ? 'volume_extension:list_manageable' : 'snapshot_extension:list_manageable');
    const host = c.req.query('host');
    // cinder/api/common.py get_cluster_host: a cluster may be named from 3.16.
    const clustered = mv(c, '3.16');
    if (clustered ? Boolean(host) === Boolean(c.req.query('cluster')) : !host) {
      throw badRequest(`Invalid input received: ${clustered ? 'One and only one of cluster and host must be set.' : 'Host field is missing.'}`);
    }
    if (host && !b.isMine(host)) throw notFound(`Service ${host} could not be found.`);
    const items = kind === 'volumes' ? b.unmanagedVolumes : b.unmanagedSnapshots;
    return items.map((u) => {
      const out: Record<string, unknown> = { reference: { 'source-name': u.name }, size: u.size, safe_to_manage: u.cinderId === null };
      if (u.source) out.source_reference = { 'source-name': u.source };
      if (detail) Object.assign(out, { reason_not_safe: u.cinderId === null ? null : 'already managed', cinder_id: u.cinderId, extra_info: null });
      return out;
    });
  };
  r.get('/manageable_volumes', (c) => c.json({ 'manageable-volumes': manageableOf(c, 'volumes', false) }));
  r.get('/manageable_volumes/detail', (c) => c.json({ 'manageable-volumes': manageableOf(c, 'volumes', true) }));
  r.get('/manageable_snapshots', (c) => c.json({ 'manageable-snapshots': manageableOf(c, 'snapshots', false) }));
  r.get('/manageable_snapshots/detail', (c) => c.json({ 'manageable-snapshots': manageableOf(c, 'snapshots', true) }));

  const adopt = (list: Unmanaged[], ref: unknown): Unmanaged => {
    if (!isObject(ref)) throw fieldError('ref', ref, "'ref' is a required property");
    const name = ref['source-name'];
    const u = list.find((x) => x.name === name);
    if (!u) throw badRequest(`Manage existing volume failed due to invalid backend reference ${JSON.stringify(ref)}: Specified logical volume does not exist.`);
    if (u.cinderId !== null) throw badRequest(`Invalid volume: ${name} is already managed.`);
    return u;
  };
  r.post('/os-volume-manage', async (c) => {
    admin(c, 'volume_extension:volume_manage');
    const who = identity(c);
    const v = member(await readBody(c), 'volume');
    const host = hostField(v);
    // contrib/volume_manage.py turns ServiceNotFound into ServiceUnavailable, an Invalid (400).
    if (!b.isMine(host)) throw badRequest(`Host '${host}' not found`);
    const az = typeof v.availability_zone === 'string' && v.availability_zone !== '' ? v.availability_zone : st.env.az;
    if (az !== st.env.az) throw badRequest(`Availability zone '${az}' is invalid.`);
    const u = adopt(b.unmanagedVolumes, v.ref);
    const type = typeof v.volume_type === 'string' ? st.typeByNameOrId(who, v.volume_type) : st.types.get(st.defaultTypeId)!;
    const vol = newVolume(st, { projectId: who.projectId, userId: who.userId, name: optString(v, 'name') ?? null, description: optString(v, 'description') ?? null, size: u.size, availabilityZone: az, volumeTypeId: type.id, bootable: v.bootable === true });
    st.volumes.set(vol.id, vol);
    u.cinderId = vol.id;
    st.later(() => {
      if (vol.status === 'creating') (vol.status = 'available'), st.touch(vol);
    });
    return c.json({ volume: volumeDetail(st, c, vol) }, 202);
  });
  r.post('/os-snapshot-manage', async (c) => {
    admin(c, 'snapshot_extension:snapshot_manage');
    const who = identity(c);
    const s = member(await readBody(c), 'snapshot');
    if (typeof s.volume_id !== 'string') throw fieldError('volume_id', s, "'volume_id' is a required property");
    const vol = st.volume(who, s.volume_id);
    const u = adopt(b.unmanagedSnapshots, s.ref);
    const exact = cinderTimeExact();
    const snapshot = { id: randomUUID(), projectId: vol.projectId, userId: who.userId, volumeId: vol.id, name: optString(s, 'name') ?? null, description: optString(s, 'description') ?? null, size: u.size, status: 'creating', metadata: {}, createdAt: cinderTime(exact), updatedAt: null };
    rememberCreated(snapshot, exact);
    st.snapshots.set(snapshot.id, snapshot);
    u.cinderId = snapshot.id;
    st.later(() => {
      if (snapshot.status === 'creating') (snapshot.status = 'available'), st.touch(snapshot);
    });
    const view = { id: snapshot.id, created_at: snapshot.createdAt, updated_at: null, name: snapshot.name, description: snapshot.description, volume_id: vol.id, status: snapshot.status, size: snapshot.size, metadata: {} };
    return c.json({ snapshot: asCreated(snapshot, view) }, 202);
  });
  return r;
}
