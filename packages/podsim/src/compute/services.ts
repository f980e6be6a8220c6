// os-services (list, 2.53 update by uuid, the legacy enable/disable/disable-log-reason/force-down
// updates by host and binary, delete) and os-hypervisors (list, detail, show, uptime, statistics,
// the pre-2.53 search and servers routes), as Nova's services.py and hypervisors.py answer them.
// os-hosts (below 2.43, as Nova's hosts.py): the enabled services' hosts, a compute host's
// resources, and the host updates and power actions answered as nova.virt.fake's driver does.
// One pod: a controller host (scheduler, conductor) and one compute host with one compute node.
// Ids: integers below 2.53, UUIDs from it (random per pod, as every real deployment's are).
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, jsonBody, notFound, requireAdmin, since, type NovaContext } from './context';
import { computeHostZone, type NovaApi, type NovaDeps } from './deps';
import { isoSeconds } from './state';

const NOT_FOUND = 'The resource could not be found.';
const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

interface SimService {
  id: number;
  uuid: string;
  binary: string;
  host: string;
  zone: string;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  updatedAt: string;
}

function strictBool(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}.`);
}

export function registerServices(api: NovaApi, deps: NovaDeps): void {
  const host = `${deps.env.podName.toLowerCase()}-compute-1`;
  const now = isoSeconds();
  const services: SimService[] = [
    ['nova-scheduler', `${host}-ctl`, 'internal'],
    ['nova-conductor', `${host}-ctl`, 'internal'],
    ['nova-compute', host, deps.env.az],
  ].map(([binary, h, zone], i) => ({ id: i + 1, uuid: randomUUID(), binary: binary!, host: h!, zone: zone!, disabled: false, disabledReason: null, forcedDown: false, updatedAt: now }));
  const node = { id: 1, uuid: randomUUID(), hostname: host, started: Date.now() };
  const computeService = () => services.find((s) => s.binary === 'nova-compute');
  // A compute service's zone is its host's, which host aggregates can change.
  const zoneOf = (s: SimService) => (s.binary === 'nova-compute' ? computeHostZone(deps) : s.zone);

  const view = (c: NovaContext, s: SimService) => {
    const v: Record<string, unknown> = {
      id: since(c, '2.53') ? s.uuid : s.id, binary: s.binary, host: s.host, zone: zoneOf(s),
      status: s.disabled ? 'disabled' : 'enabled', state: s.forcedDown ? 'down' : 'up', updated_at: s.updatedAt, disabled_reason: s.disabledReason,
    };
    if (since(c, '2.11')) v.forced_down = s.forcedDown;
    return v;
  };

  api.get('/os-services', (c) => {
    requireAdmin(c, 'os_compute_api:os-services:list');
    // Nova filters by ?host= and ?binary= (exact match; unknown values give an empty list).
    const hostQ = c.req.query('host');
    const binary = c.req.query('binary');
    return c.json({ services: services.filter((r) => (hostQ === undefined || r.host === hostQ) && (binary === undefined || r.binary === binary)).map((s) => view(c, s)) });
  });

  const onlyCompute = (binary: string) => {
    if (binary !== 'nova-compute') throw badRequest(`Updating a ${binary} service is not supported. Only nova-compute services can be updated.`);
  };

  api.put('/os-services/:id', async (c) => {
    requireAdmin(c, 'os_compute_api:os-services:update');
    const id = c.req.param('id');
    const body = await jsonBody(c);
    if (since(c, '2.53')) {
      if (!UUID.test(id)) throw badRequest(`Invalid uuid ${id}`);
      const s = services.find((x) => x.uuid === id);
      if (!s) throw notFound(`Service ${id} could not be found.`);
      onlyCompute(s.binary);
      let changed = false;
      if ('status' in body) {
        if (body.status !== 'enabled' && body.status !== 'disabled') throw badRequest(`Invalid input for field/attribute status. Value: ${JSON.stringify(body.status)}. ${JSON.stringify(body.status)} is not one of ['enabled', 'disabled']`);
        if (body.status === 'enabled' && body.disabled_reason) throw badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        s.disabled = body.status === 'disabled';
        s.disabledReason = s.disabled ? ((body.disabled_reason as string | undefined) ?? null) : null;
        changed = true;
      }
      if ('forced_down' in body) {
        s.forcedDown = strictBool(body.forced_down, 'forced_down');
        changed = true;
      }
      if (!changed) throw badRequest("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
      s.updatedAt = isoSeconds();
      return c.json({ service: view(c, s) });
    }
    const actions = ['enable', 'disable', 'disable-log-reason', ...(since(c, '2.11') ? ['force-down'] : [])];
    if (!actions.includes(id)) throw notFound('Unknown action');
    if (typeof body.host !== 'string' || typeof body.binary !== 'string') throw badRequest("Invalid input for field/attribute host. 'host' is a required property");
    const { host: h, binary } = body as { host: string; binary: string };
    const reply: Record<string, unknown> = { host: h, binary };
    const apply = (fn: (s: SimService) => void) => {
      onlyCompute(binary);
      const s = services.find((x) => x.host === h && x.binary === binary);
      if (!s) throw notFound(`Could not find binary ${binary} on host ${h}.`);
      fn(s);
      s.updatedAt = isoSeconds();
    };
    if (id === 'force-down') {
      if (!('forced_down' in body)) throw badRequest('Missing forced_down field');
      const down = strictBool(body.forced_down, 'forced_down');
      apply((s) => (s.forcedDown = down));
      return c.json({ service: { ...reply, forced_down: down } });
    }
    if (id === 'disable-log-reason' && !('disabled_reason' in body)) throw badRequest('Missing disabled reason field');
    const disable = id !== 'enable';
    const reason = id === 'disable-log-reason' ? String(body.disabled_reason) : null;
    apply((s) => {
      s.disabled = disable;
      s.disabledReason = reason;
    });
    return c.json({ service: { ...reply, status: disable ? 'disabled' : 'enabled', ...(reason ? { disabled_reason: reason } : {}) } });
  });

  api.delete('/os-services/:id', (c) => {
    requireAdmin(c, 'os_compute_api:os-services:delete');
    const id = c.req.param('id');
    let s: SimService | undefined;
    if (since(c, '2.53')) {
      if (!UUID.test(id)) throw badRequest(`Invalid uuid ${id}`);
      s = services.find((x) => x.uuid === id);
    } else {
      if (!/^-?\d+$/.test(id)) throw badRequest('Invalid input received: id must be an integer');
      s = services.find((x) => x.id === Number(id));
    }
    if (!s) throw notFound(`Service ${id} not found.`);
    if (s.binary === 'nova-compute' && [...deps.state.servers.values()].some((x) => x.host === s.host)) {
      throw conflict('Unable to delete compute service that is hosting instances. Migrate or delete the instances first.');
    }
    services.splice(services.indexOf(s), 1);
    return c.body(null, 204);
  });

  // Hypervisors: the one compute node of the pod, shown while its compute service exists.
  const nodeView = (c: NovaContext, detail: boolean, withServers = false) => {
    const svc = computeService()!;
    const v: Record<string, unknown> = { id: since(c, '2.53') ? node.uuid : node.id, hypervisor_hostname: node.hostname, state: svc.forcedDown ? 'down' : 'up', status: svc.disabled ? 'disabled' : 'enabled' };
    if (detail) {
      Object.assign(v, { hypervisor_type: 'fake', hypervisor_version: 1000, host_ip: '127.0.0.1', service: { id: since(c, '2.53') ? svc.uuid : svc.id, host: svc.host, disabled_reason: svc.disabledReason } });
      if (!since(c, '2.88')) Object.assign(v, { ...stats(), cpu_info: since(c, '2.28') ? {} : '{}' });
      else v.uptime = null;
    }
    const here = [...deps.state.servers.values()].filter((s) => s.host === svc.host).map((s) => ({ name: s.name, uuid: s.id }));
    if (here.length && withServers) v.servers = here;
    else if (withServers && since(c, '2.75')) v.servers = [];
    return v;
  };
  const stats = () => {
    const used = [...deps.state.servers.values()].filter((s) => s.host === host);
    const vcpusUsed = used.reduce((n, s) => n + s.flavor.vcpus, 0);
    const ramUsed = 512 + used.reduce((n, s) => n + s.flavor.ram, 0);
    const diskUsed = used.reduce((n, s) => n + s.flavor.disk + s.flavor.ephemeral, 0);
    return {
      vcpus: 1000, memory_mb: 8_000_000, local_gb: 600_000, vcpus_used: vcpusUsed, memory_mb_used: ramUsed, local_gb_used: diskUsed,
      free_ram_mb: 8_000_000 - ramUsed, free_disk_gb: 600_000 - diskUsed, current_workload: 0, running_vms: used.length, disk_available_least: 600_000 - diskUsed,
    };
  };
  const nodes = () => (computeService() ? [node] : []);
  const withServersOf = (c: NovaContext) => since(c, '2.53') && TRUE.includes((c.req.query('with_servers') ?? '').toLowerCase());
  const patternMatch = (c: NovaContext) => {
    const pattern = since(c, '2.53') ? c.req.query('hypervisor_hostname_pattern') : undefined;
    const found = nodes().filter((n) => pattern === undefined || n.hostname.includes(pattern));
    if (pattern !== undefined && found.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
    return found;
  };
  const missing = (id: string) => notFound(`Hypervisor with ID '${id}' could not be found.`);
  const byId = (c: NovaContext) => {
    const id = c.req.param('id')!;
    if (since(c, '2.53')) {
      if (!UUID.test(id)) throw badRequest(`Invalid uuid ${id}`);
      if (id !== node.uuid || !computeService()) throw missing(id);
    } else if (!/^\d+$/.test(id) || Number(id) !== node.id || !computeService()) throw missing(id);
  };

  api.get('/os-hypervisors', (c) => {
    requireAdmin(c, 'os_compute_api:os-hypervisors:list');
    return c.json({ hypervisors: patternMatch(c).map(() => nodeView(c, false, withServersOf(c))) });
  });
  api.get('/os-hypervisors/detail', (c) => {
    requireAdmin(c, 'os_compute_api:os-hypervisors:list-detail');
    return c.json({ hypervisors: patternMatch(c).map(() => nodeView(c, true, withServersOf(c))) });
  });
  api.get('/os-hypervisors/statistics', (c) => {
    requireAdmin(c, 'os_compute_api:os-hypervisors:statistics');
    if (since(c, '2.88')) throw notFound(NOT_FOUND);
    return c.json({ hypervisor_statistics: { count: nodes().length, ...stats() } });
  });
  api.get('/os-hypervisors/:id', (c) => {
    requireAdmin(c, 'os_compute_api:os-hypervisors:show');
    byId(c);
    return c.json({ hypervisor: nodeView(c, true, withServersOf(c)) });
  });
  api.get('/os-hypervisors/:id/uptime', (c) => {
    requireAdmin(c, 'os_compute_api:os-hypervisors:uptime');
    if (since(c, '2.88')) throw notFound(NOT_FOUND);
    byId(c);
    const up = Math.floor((Date.now() - node.started) / 1000);
    return c.json({ hypervisor: { ...nodeView(c, false), uptime: ` 00:00:00 up ${Math.floor(up / 60)} min,  1 user,  load average: 0.00, 0.00, 0.00` } });
  });
  // os-instance_usage_audit_log: no compute host of a pod runs the (disabled by default) usage
  // audit, so every period shows the compute host as not run (instance_usage_audit_log.py).
  const auditLog = (before: Date) => {
    const end = new Date(Date.UTC(before.getUTCFullYear(), before.getUTCMonth(), 1));
    const begin = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
    const str = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
    const hosts = services.filter((x) => x.binary === 'nova-compute').map((x) => x.host);
    return {
      period_beginning: str(begin), period_ending: str(end), num_hosts: hosts.length, num_hosts_done: 0, num_hosts_running: 0,
      num_hosts_not_run: hosts.length, hosts_not_run: hosts, total_instances: 0, total_errors: 0,
      overall_status: `${hosts.length === 0 ? 'ALL' : `0 of ${hosts.length}`} hosts done. 0 errors.`, log: {},
    };
  };
  api.get('/os-instance_usage_audit_log', (c) => {
    requireAdmin(c, 'os_compute_api:os-instance-usage-audit-log:list');
    return c.json({ instance_usage_audit_logs: auditLog(new Date()) });
  });
  api.get('/os-instance_usage_audit_log/:before', (c) => {
    requireAdmin(c, 'os_compute_api:os-instance-usage-audit-log:show');
    const raw = c.req.param('before');
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{1,6})?$/.exec(raw);
    const at = m ? new Date(`${m[1]}T${m[2]}Z`) : new Date(NaN);
    if (Number.isNaN(at.getTime())) throw badRequest(`Invalid timestamp for date ${raw}`);
    return c.json({ instance_usage_audit_log: auditLog(at) });
  });

  // os-hosts. Nova lists the hosts of the enabled services (API services left out), each with
  // its service's topic and zone; `?zone=` (if not empty) keeps that zone's. A host that is not a
  // compute host is "not mapped to any cell" for show, update and the power actions.
  const hostsGone = (c: NovaContext) => {
    if (since(c, '2.43')) throw notFound(NOT_FOUND);
  };
  const mappedHost = (c: NovaContext) => {
    const name = c.req.param('host')!;
    if (!services.some((s) => s.binary === 'nova-compute' && s.host === name)) throw notFound(`Host '${name}' is not mapped to any cell`);
    return name;
  };
  api.get('/os-hosts', (c) => {
    hostsGone(c);
    requireAdmin(c, 'os_compute_api:os-hosts:list');
    const zone = c.req.query('zone');
    const hosts = services.filter((s) => !s.disabled && (!zone || zoneOf(s) === zone)).map((s) => ({ host_name: s.host, service: s.binary.replace(/^nova-/, ''), zone: zoneOf(s) }));
    return c.json({ hosts });
  });
  api.get('/os-hosts/:host', (c) => {
    hostsGone(c);
    requireAdmin(c, 'os_compute_api:os-hosts:show');
    const name = mappedHost(c);
    const st = stats();
    const here = [...deps.state.servers.values()].filter((s) => s.host === name);
    const res = (project: string, cpu: number, memory_mb: number, disk_gb: number) => ({ resource: { host: name, project, cpu, memory_mb, disk_gb } });
    const sum = (list: typeof here) => [list.reduce((n, s) => n + s.flavor.vcpus, 0), list.reduce((n, s) => n + s.flavor.ram, 0), list.reduce((n, s) => n + s.flavor.disk + s.flavor.ephemeral, 0)] as const;
    const projects = [...new Set(here.map((s) => s.projectId))];
    return c.json({
      host: [
        res('(total)', st.vcpus, st.memory_mb, st.local_gb),
        res('(used_now)', st.vcpus_used, st.memory_mb_used, st.local_gb_used),
        res('(used_max)', ...sum(here)),
        ...projects.map((p) => res(p, ...sum(here.filter((s) => s.projectId === p)))),
      ],
    });
  });
  const ENABLE = ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE'];
  api.put('/os-hosts/:host', async (c) => {
    hostsGone(c);
    const body = await jsonBody(c);
    for (const k of Object.keys(body)) {
      if (k !== 'status' && k !== 'maintenance_mode') throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
      const v = body[k];
      // Python's str() and repr() of the value, as jsonschema's message shows it.
      const [str, repr] = v === null ? ['None', 'None'] : typeof v === 'string' ? [v, `'${v}'`] : [JSON.stringify(v), JSON.stringify(v)];
      if (typeof v !== 'string') throw badRequest(`Invalid input for field/attribute ${k}. Value: ${str}. ${repr} is not of type 'string'`);
      if (!ENABLE.includes(v)) throw badRequest(`Invalid input for field/attribute ${k}. Value: ${str}. ${repr} is not one of ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']`);
    }
    requireAdmin(c, 'os_compute_api:os-hosts:update');
    const name = c.req.param('host')!;
    const on = (k: string) => (body[k] as string).toLowerCase() === 'enable';
    const reply: Record<string, unknown> = { host: name };
    if ('status' in body) {
      mappedHost(c);
      reply.status = on('status') ? 'enabled' : 'disabled';
    }
    if ('maintenance_mode' in body) {
      mappedHost(c);
      reply.maintenance_mode = on('maintenance_mode') ? 'on_maintenance' : 'off_maintenance';
    }
    return c.json(reply);
  });
  for (const [action, rule] of [['startup', 'start'], ['shutdown', 'shutdown'], ['reboot', 'reboot']] as const) {
    api.get(`/os-hosts/:host/${action}`, (c) => {
      hostsGone(c);
      requireAdmin(c, `os_compute_api:os-hosts:${rule}`);
      return c.json({ host: mappedHost(c), power_action: action });
    });
  }

  for (const what of ['search', 'servers'] as const) {
    api.get(`/os-hypervisors/:pattern/${what}`, (c) => {
      requireAdmin(c, `os_compute_api:os-hypervisors:${what}`);
      if (since(c, '2.53')) throw notFound(NOT_FOUND);
      const pattern = c.req.param('pattern');
      const found = nodes().filter((n) => n.hostname.includes(pattern));
      if (found.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
      return c.json({ hypervisors: found.map(() => nodeView(c, false, what === 'servers')) });
    });
  }
}
