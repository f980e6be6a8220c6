// Pod-level Nova resources: os-availability-zone, limits, os-quota-sets, os-aggregates and
// os-server-external-events (os-services and os-hypervisors: services.ts). One compute host per pod.
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, jsonBody, notFound, requireAdmin, since, type NovaContext } from './context';
import { computeHostZone, type NovaApi, type NovaDeps } from './deps';
import { isoSeconds } from './state';

/** Nova's default quotas (nova/conf/quota.py). */
export const DEFAULT_QUOTAS: Record<string, number> = {
  instances: 10, cores: 20, ram: 51200, metadata_items: 128, key_pairs: 100, server_groups: 10,
  server_group_members: 10, injected_files: 5, injected_file_content_bytes: 10240, injected_file_path_bytes: 255,
};
const NETWORK_QUOTAS = { fixed_ips: -1, floating_ips: -1, security_group_rules: -1, security_groups: -1 };

function quotaView(c: NovaContext, values: Record<string, number>): Record<string, number> {
  const v: Record<string, number> = { ...values };
  if (!since(c, '2.36')) Object.assign(v, NETWORK_QUOTAS);
  if (since(c, '2.57')) {
    delete v.injected_files;
    delete v.injected_file_content_bytes;
    delete v.injected_file_path_bytes;
  }
  return v;
}

const hostName = (deps: NovaDeps) => `${deps.env.podName.toLowerCase()}-compute-1`;

export function usage(deps: NovaDeps, project: string) {
  const mine = [...deps.state.servers.values()].filter((s) => s.projectId === project);
  return {
    instances: mine.length,
    cores: mine.reduce((n, s) => n + s.flavor.vcpus, 0),
    ram: mine.reduce((n, s) => n + s.flavor.ram, 0),
  };
}

export function registerPodResources(api: NovaApi, deps: NovaDeps): void {
  const host = hostName(deps);
  const started = isoSeconds();
  api.get('/os-availability-zone', (c) =>
    c.json({ availabilityZoneInfo: [{ zoneName: computeHostZone(deps), zoneState: { available: true }, hosts: null }] }));
  api.get('/os-availability-zone/detail', (c) => {
    requireAdmin(c, 'os_compute_api:os-availability-zone:detail');
    const svc = (name: string) => ({ [name]: { available: true, active: true, updated_at: started } });
    return c.json({
      availabilityZoneInfo: [
        { zoneName: 'internal', zoneState: { available: true }, hosts: { [`${host}-ctl`]: { ...svc('nova-scheduler'), ...svc('nova-conductor') } } },
        { zoneName: computeHostZone(deps), zoneState: { available: true }, hosts: { [host]: svc('nova-compute') } },
      ],
    });
  });

  api.get('/limits', (c) => {
    const project = c.get('identity').isAdmin && c.req.query('tenant_id') ? c.req.query('tenant_id')! : c.get('identity').projectId;
    const q = { ...DEFAULT_QUOTAS, ...deps.state.quotas.get(project) };
    const u = usage(deps, project);
    const absolute: Record<string, number> = {
      maxImageMeta: 128, maxPersonality: 5, maxPersonalitySize: 10240, maxSecurityGroupRules: -1, maxSecurityGroups: -1,
      maxServerGroupMembers: q.server_group_members, maxServerGroups: q.server_groups, maxServerMeta: q.metadata_items,
      maxTotalCores: q.cores, maxTotalFloatingIps: -1, maxTotalInstances: q.instances, maxTotalKeypairs: q.key_pairs,
      maxTotalRAMSize: q.ram, totalCoresUsed: u.cores, totalFloatingIpsUsed: 0, totalInstancesUsed: u.instances,
      totalRAMUsed: u.ram, totalSecurityGroupsUsed: 0, totalServerGroupsUsed: 0,
    };
    if (since(c, '2.36')) {
      for (const k of ['maxSecurityGroupRules', 'maxSecurityGroups', 'maxTotalFloatingIps', 'totalFloatingIpsUsed', 'totalSecurityGroupsUsed']) delete absolute[k];
    }
    // The image-metadata proxy is gone from 2.39, and its limit with it.
    if (since(c, '2.39')) delete absolute.maxImageMeta;
    if (since(c, '2.57')) {
      delete absolute.maxPersonality;
      delete absolute.maxPersonalitySize;
    }
    return c.json({ limits: { rate: [], absolute } });
  });

  api.get('/os-quota-sets/:project/defaults', (c) =>
    c.json({ quota_set: { id: c.req.param('project'), ...quotaView(c, DEFAULT_QUOTAS) } }));
  api.get('/os-quota-sets/:project/detail', (c) => {
    const p = c.req.param('project');
    if (p !== c.get('identity').projectId) requireAdmin(c, 'os_compute_api:os-quota-sets:detail');
    const limits = quotaView(c, { ...DEFAULT_QUOTAS, ...deps.state.quotas.get(p) });
    const used: Record<string, number> = usage(deps, p);
    const detail = Object.fromEntries(Object.entries(limits).map(([k, limit]) => [k, { limit, in_use: used[k] ?? 0, reserved: 0 }]));
    return c.json({ quota_set: { id: p, ...detail } });
  });
  api.get('/os-quota-sets/:project', (c) => {
    const p = c.req.param('project');
    if (p !== c.get('identity').projectId) requireAdmin(c, 'os_compute_api:os-quota-sets:show');
    return c.json({ quota_set: { id: p, ...quotaView(c, { ...DEFAULT_QUOTAS, ...deps.state.quotas.get(p) }) } });
  });
  api.put('/os-quota-sets/:project', async (c) => {
    requireAdmin(c, 'os_compute_api:os-quota-sets:update');
    const p = c.req.param('project');
    const qs = (await jsonBody(c)).quota_set as Record<string, unknown> | undefined;
    if (!qs || typeof qs !== 'object') throw badRequest("Invalid input for field/attribute quota_set. 'quota_set' is a required property");
    const cur = { ...deps.state.quotas.get(p) };
    for (const [k, v] of Object.entries(qs)) {
      if (k === 'force') continue;
      // Before 2.36 Nova still accepts the nova-network quotas, and ignores them.
      if (!since(c, '2.36') && Object.hasOwn(NETWORK_QUOTAS, k) && Number.isInteger(Number(v))) continue;
      if (!Object.hasOwn(DEFAULT_QUOTAS, k) || !Number.isInteger(Number(v)) || Number(v) < -1) {
        throw badRequest(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(v)}.`);
      }
      cur[k] = Number(v);
    }
    deps.state.quotas.set(p, cur);
    return c.json({ quota_set: quotaView(c, { ...DEFAULT_QUOTAS, ...cur }) });
  });
  api.delete('/os-quota-sets/:project', (c) => {
    requireAdmin(c, 'os_compute_api:os-quota-sets:delete');
    deps.state.quotas.delete(c.req.param('project'));
    return c.body(null, 202);
  });

  // os-aggregates (aggregates.py): the aggregates an admin makes (create, show, update, delete,
  // add_host, remove_host, set_metadata), with Nova's conflicts and not-founds. The compute host
  // starts in no aggregate, in the pod's default zone (default_availability_zone, as the real-pods
  // bed configures Nova); an aggregate's `availability_zone` moves it to that zone, with Nova's
  // checks (nova/compute/api.py is_safe_to_update_az and
  // ensure_no_instances_need_to_move_az_when_host_added, from Nova 30). Removing a host with
  // instances from its zone's aggregate is allowed, as the real-pods bed's Nova 26 allows it (its
  // instances then show the default zone); Nova 30 refuses that too (..._when_host_removed).
  interface SimAggregate { id: number; uuid: string; name: string; created_at: string; updated_at: string | null; hosts: string[]; metadata: Record<string, string> }
  const aggregates: SimAggregate[] = [];
  // Nova's ids come from an autoincrement column: a deleted aggregate's id is never given again.
  let lastAggregateId = 0;
  const zoneOfHost = () => aggregates.find((a) => a.hosts.includes(host) && a.metadata.availability_zone)?.metadata.availability_zone ?? null;
  const syncHostZone = () => void (deps.state.hostAggregateZone = zoneOfHost());
  // Nova counts the instances on the host (InstanceList.get_by_host): a shelved-offloaded one has none.
  const hostedServers = () => [...deps.state.servers.values()].filter((s) => s.host === host && s.vmState !== 'shelved_offloaded').length;
  const hasServers = () => hostedServers() > 0;
  /** Nova's reason for refusing a host with instances a new zone (its message, Python's None included). */
  const zoneMoveRefusal = (from: string | null, to: string) =>
    `The host cannot be added to the aggregate as the availability zone of the host would change from '${from ?? 'None'}' to '${to}' but the host already has ${hostedServers()} instance(s). Changing the AZ of an existing instance is not supported by this action. Move the instances away from this host then try again. If you need to move the instances between AZs then you can use shelve_offload and unshelve to achieve this.`;
  /** Nova's refusals of a zone for aggregate `a` holding `hosts`; `refuse` words them per call. */
  const checkZone = (a: SimAggregate, zone: string | null | undefined, hosts: string[], refuse: (reason: string) => Error, changing: boolean) => {
    if (zone === undefined) return;
    if (!zone) throw refuse(`Aggregate ${a.name} does not support empty named availability zone`);
    const others = aggregates.filter((x) => x !== a && x.metadata.availability_zone && x.metadata.availability_zone !== zone && x.hosts.some((h) => hosts.includes(h)));
    if (others.length > 0) throw refuse(`One or more hosts already in availability zone(s) [${others.map((x) => `'${x.metadata.availability_zone}'`).join(', ')}]`);
    if (changing && hosts.length > 0 && hasServers() && a.metadata.availability_zone !== zone) throw refuse('One or more hosts contain instances in this zone');
  };
  const aggView = (c: NovaContext, a: SimAggregate, full = true) => {
    const v: Record<string, unknown> = { id: a.id, name: a.name, availability_zone: a.metadata.availability_zone ?? null, created_at: a.created_at, updated_at: a.updated_at, deleted_at: null, deleted: false };
    if (full) Object.assign(v, { hosts: a.hosts, metadata: a.metadata });
    if (since(c, '2.41')) v.uuid = a.uuid;
    return v;
  };
  const aggregate = (c: NovaContext) => {
    const id = c.req.param('id');
    const a = aggregates.find((x) => String(x.id) === id);
    if (!a) throw notFound(`Aggregate ${id} could not be found.`);
    return a;
  };
  const nameFree = (name: string, self?: SimAggregate) => {
    if (aggregates.some((x) => x !== self && x.name === name)) throw conflict(`Aggregate ${name} already exists.`);
  };
  api.get('/os-aggregates', (c) => {
    requireAdmin(c, 'os_compute_api:os-aggregates:index');
    return c.json({ aggregates: aggregates.map((a) => aggView(c, a)) });
  });
  api.post('/os-aggregates', async (c) => {
    requireAdmin(c, 'os_compute_api:os-aggregates:create');
    const b = (await jsonBody(c)).aggregate as { name?: unknown; availability_zone?: unknown } | undefined;
    if (!b || typeof b.name !== 'string' || b.name.trim() === '') throw badRequest("Invalid input for field/attribute aggregate. 'name' is a required property");
    // Nova's schema (schemas/aggregates.py): name and availability_zone of 1 to 255 characters.
    if (b.name.length > 255) throw badRequest(`Invalid input for field/attribute name. Value: ${b.name}. '${b.name}' is too long`);
    nameFree(b.name);
    if (b.availability_zone === '') throw badRequest(`Cannot update aggregate None. Reason: Aggregate ${b.name} does not support empty named availability zone.`);
    const a: SimAggregate = { id: ++lastAggregateId, uuid: randomUUID(), name: b.name, created_at: isoSeconds(), updated_at: null, hosts: [], metadata: typeof b.availability_zone === 'string' ? { availability_zone: b.availability_zone } : {} };
    aggregates.push(a);
    return c.json({ aggregate: aggView(c, a, false) });
  });
  api.get('/os-aggregates/:id', (c) => {
    requireAdmin(c, 'os_compute_api:os-aggregates:show');
    return c.json({ aggregate: aggView(c, aggregate(c)) });
  });
  api.put('/os-aggregates/:id', async (c) => {
    requireAdmin(c, 'os_compute_api:os-aggregates:update');
    const b = ((await jsonBody(c)).aggregate ?? {}) as { name?: string; availability_zone?: string | null };
    const a = aggregate(c);
    if (b.name !== undefined) {
      nameFree(b.name, a);
      a.name = b.name;
    }
    checkZone(a, b.availability_zone, a.hosts, (r) => badRequest(`Cannot update aggregate ${a.id}. Reason: ${r}.`), true);
    if (b.availability_zone !== undefined) a.metadata.availability_zone = b.availability_zone!;
    syncHostZone();
    a.updated_at = isoSeconds();
    return c.json({ aggregate: aggView(c, a) });
  });
  api.delete('/os-aggregates/:id', (c) => {
    requireAdmin(c, 'os_compute_api:os-aggregates:delete');
    const a = aggregate(c);
    if (a.hosts.length > 0) throw badRequest(`Cannot remove host from aggregate ${a.id}. Reason: Host aggregate is not empty.`);
    aggregates.splice(aggregates.indexOf(a), 1);
    return c.body(null, 200);
  });
  api.post('/os-aggregates/:id/action', async (c) => {
    const body = await jsonBody(c);
    const [action] = Object.keys(body);
    const arg = (body[action!] ?? {}) as { host?: unknown; metadata?: Record<string, string | null> };
    if (action === 'add_host') {
      requireAdmin(c, 'os_compute_api:os-aggregates:add_host');
      const a = aggregate(c);
      if (arg.host !== host) throw notFound(`Compute host ${String(arg.host)} could not be found.`);
      if (a.hosts.includes(host)) throw conflict(`Aggregate ${a.id} already has host ${host}.`);
      const refuse = (r: string) => conflict(`Cannot add host to aggregate ${a.id}. Reason: ${r}.`);
      const zone = a.metadata.availability_zone;
      if (zone) checkZone(a, zone, [host], refuse, false);
      const from = zoneOfHost();
      if (zone && hasServers() && from !== zone) throw refuse(zoneMoveRefusal(from, zone));
      a.hosts.push(host);
      syncHostZone();
      return c.json({ aggregate: aggView(c, a) });
    }
    if (action === 'remove_host') {
      requireAdmin(c, 'os_compute_api:os-aggregates:remove_host');
      const a = aggregate(c);
      if (!a.hosts.includes(String(arg.host))) throw notFound(`Cannot remove host ${String(arg.host)} in aggregate ${a.id}`);
      a.hosts = a.hosts.filter((h) => h !== arg.host);
      syncHostZone();
      return c.json({ aggregate: aggView(c, a) });
    }
    if (action === 'set_metadata') {
      requireAdmin(c, 'os_compute_api:os-aggregates:set_metadata');
      const a = aggregate(c);
      if (arg.metadata && 'availability_zone' in arg.metadata) {
        checkZone(a, arg.metadata.availability_zone, a.hosts, (r) => badRequest(`Cannot update metadata of aggregate ${a.id}. Reason: ${r}.`), true);
      }
      for (const [k, v] of Object.entries(arg.metadata ?? {})) {
        if (v === null) delete a.metadata[k];
        else a.metadata[k] = v;
      }
      syncHostZone();
      a.updated_at = isoSeconds();
      return c.json({ aggregate: aggView(c, a) });
    }
    throw badRequest(`Invalid input for field/attribute ${String(action)}. Additional properties are not allowed`);
  });

  api.post('/os-server-external-events', async (c) => {
    requireAdmin(c, 'os_compute_api:os-server-external-events:create');
    const events = (await jsonBody(c)).events;
    if (!Array.isArray(events) || events.length === 0) throw badRequest("Invalid input for field/attribute events.");
    const out = events.map((e: Record<string, unknown>) => {
      const found = deps.state.servers.has(String(e.server_uuid));
      return { ...e, status: found ? (e.status ?? 'completed') : 'failed', code: found ? 200 : 404 };
    });
    const ok = out.filter((e) => e.code === 200).length;
    if (ok === 0) throw notFound('No instances found for any event');
    return c.json({ events: out }, ok === out.length ? 200 : 207);
  });
}
