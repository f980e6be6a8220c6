/**
 * The admin CLI's commands: one table, each entry naming its arguments and options (which the
 * parser and --help read) and the admin API calls it makes. Pods are accepted by id or name.
 */
import type { AdminClient } from './client';
import { ApiCallError } from './client';
import type { Result, Row } from './output';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Repeatable (`--service-endpoint a=b --service-endpoint c=d`). */
  multiple?: boolean;
  metavar?: string;
  help: string;
}

export interface ArgSpec {
  name: string;
  /** One or more values (`pod delete POD [POD ...]`). */
  many?: boolean;
  help: string;
}

export interface Invocation {
  args: string[];
  opts: Record<string, string | boolean | string[] | undefined>;
}

export interface Command {
  /** The words that name it, e.g. `pod list`. */
  name: string;
  summary: string;
  args: ArgSpec[];
  options: Record<string, OptionSpec>;
  run(api: AdminClient, call: Invocation): Promise<Result>;
}

/** A usage mistake found while running (exit 2), e.g. `--enable` with `--disable`. */
export class CommandUsageError extends Error {}

const POD_COLUMNS = ['pod_id', 'pod_name', 'az_name', 'pod_az_name', 'dc_name', 'enabled'];
const BINDING_COLUMNS = ['id', 'tenant_id', 'pod_id', 'az_name', 'is_binding', 'created_at'];
const ROUTING_COLUMNS = ['id', 'top_id', 'bottom_id', 'pod_id', 'project_id', 'resource_type', 'status', 'updated_at'];
const JOB_COLUMNS = ['id', 'type', 'status', 'resource_id', 'attempts', 'last_error', 'updated_at'];
const STATUS_COLUMNS = ['pod_name', 'az_name', 'enabled', 'reachable', 'breaker', 'compute', 'volume', 'routings', 'last_error'];

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
const enc = encodeURIComponent;

/** A query string of the options that are set. */
function query(pairs: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(pairs).filter((e): e is [string, string] => e[1] !== undefined));
  return q.size ? `?${q}` : '';
}

/** A pod by id, else by name (the admin API addresses pods by id). */
async function findPod(api: AdminClient, ref: string): Promise<Row> {
  try {
    return (await api.call<{ pod: Row }>('GET', `/pods/${enc(ref)}`)).pod;
  } catch (err) {
    if (!(err instanceof ApiCallError) || err.status !== 404) throw err;
  }
  const { pods } = await api.call<{ pods: Row[] }>('GET', '/pods');
  const named = pods.find((p) => p.pod_name === ref);
  if (!named) throw new ApiCallError(`No pod with id or name "${ref}" exists.`, 404);
  return named;
}

const podId = async (api: AdminClient, ref: string | undefined) => (ref === undefined ? undefined : String((await findPod(api, ref)).pod_id));

/** `--service-endpoint compute=URL` (repeatable) → `{compute: URL}`. */
function endpoints(values: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new CommandUsageError(`--service-endpoint wants SERVICE=URL (compute, volumev3 or image), got "${v}"`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** Deletes each id in turn; like `openstack ... delete`, reports how many failed and fails if any did. */
async function deleteEach(ids: string[], remove: (id: string) => Promise<void>, what: string): Promise<Result> {
  const failures: string[] = [];
  for (const id of ids) {
    try {
      await remove(id);
    } catch (err) {
      if (!(err instanceof ApiCallError)) throw err;
      failures.push(`${what} ${id}: ${err.message}`);
    }
  }
  if (failures.length) throw new ApiCallError(`${failures.join('\n')}\nFailed to delete ${failures.length} of ${ids.length} ${what}s.`, null);
  return { kind: 'none' };
}

/** A paged admin list filtered by `filters`: one page with --limit, else every page. */
async function pagedList(api: AdminClient, resource: 'routings' | 'jobs', columns: string[], opts: Invocation['opts'], filters: Record<string, string | undefined>): Promise<Result> {
  const q = query({ ...filters, limit: str(opts.limit), marker: str(opts.marker) });
  return { kind: 'list', columns, rows: await api.listAll<Row>(`/${resource}${q}`, resource, opts.limit !== undefined) };
}

/** `<noun> delete ID [ID ...]` for a resource addressed by its id only. */
function deleteById(noun: 'binding' | 'routing', summary: string): Command {
  return {
    name: `${noun} delete`,
    summary,
    args: [{ name: noun.toUpperCase(), many: true, help: `${noun} id` }],
    options: {},
    run: (api, { args }) => deleteEach(args, async (id) => void (await api.call('DELETE', `/${noun}s/${enc(id)}`)), noun),
  };
}

/** `--pod POD`: accepted by id or name. */
const podOption = (help: string): OptionSpec => ({ type: 'string', metavar: 'POD', help });

const podFields = {
  'az-name': { type: 'string', metavar: 'AZ', help: 'availability zone the pod serves (empty: the top region)' },
  'pod-az-name': { type: 'string', metavar: 'AZ', help: "the pod's own availability zone name" },
  'dc-name': { type: 'string', metavar: 'DC', help: 'data centre name' },
  'service-endpoint': { type: 'string', multiple: true, metavar: 'SERVICE=URL', help: 'endpoint override (compute, volumev3, image); repeatable; else the catalog of region POD_NAME' },
} as const satisfies Record<string, OptionSpec>;

const paging = {
  limit: { type: 'string', metavar: 'N', help: 'one page of at most N (default: every page)' },
  marker: { type: 'string', metavar: 'ID', help: 'start after this id' },
} as const satisfies Record<string, OptionSpec>;

/** `{min, max}` as `min–max`, or empty before discovery. */
const range = (r: unknown) => (r && typeof r === 'object' ? `${(r as { min: string | null }).min ?? '?'}-${(r as { max: string }).max}` : '');

export const COMMANDS: Command[] = [
  {
    name: 'pod list',
    summary: 'list pods',
    args: [],
    options: {},
    run: async (api) => ({ kind: 'list', columns: POD_COLUMNS, rows: (await api.call<{ pods: Row[] }>('GET', '/pods')).pods }),
  },
  {
    name: 'pod show',
    summary: 'show one pod',
    args: [{ name: 'POD', help: 'pod id or name' }],
    options: {},
    run: async (api, { args }) => ({ kind: 'record', record: await findPod(api, args[0]!) }),
  },
  {
    name: 'pod create',
    summary: 'register a pod (a Keystone region); without --az-name, the top region',
    args: [{ name: 'POD_NAME', help: 'Keystone region name of the pod' }],
    options: { ...podFields, disable: { type: 'boolean', help: 'register it disabled (no new resources scheduled to it)' } },
    run: async (api, { args, opts }) => {
      const pod = {
        pod_name: args[0],
        az_name: str(opts['az-name']),
        pod_az_name: str(opts['pod-az-name']),
        dc_name: str(opts['dc-name']),
        ...(opts.disable ? { enabled: false } : {}),
        endpoints: endpoints(list(opts['service-endpoint'])),
      };
      return { kind: 'record', record: (await api.call<{ pod: Row }>('POST', '/pods', { pod })).pod };
    },
  },
  {
    name: 'pod set',
    summary: 'change a pod',
    args: [{ name: 'POD', help: 'pod id or name' }],
    options: {
      ...podFields,
      enable: { type: 'boolean', help: 'schedule new resources to it' },
      disable: { type: 'boolean', help: 'schedule no new resources to it' },
      'no-service-endpoint': { type: 'boolean', help: 'drop the endpoint overrides (use the catalog)' },
    },
    run: async (api, { args, opts }) => {
      if (opts.enable && opts.disable) throw new CommandUsageError('--enable and --disable exclude each other');
      if (opts['no-service-endpoint'] && list(opts['service-endpoint']).length) throw new CommandUsageError('--service-endpoint and --no-service-endpoint exclude each other');
      const pod: Record<string, unknown> = { az_name: str(opts['az-name']), pod_az_name: str(opts['pod-az-name']), dc_name: str(opts['dc-name']) };
      if (opts.enable || opts.disable) pod.enabled = opts.enable === true;
      if (opts['no-service-endpoint']) pod.endpoints = null;
      else if (list(opts['service-endpoint']).length) pod.endpoints = endpoints(list(opts['service-endpoint']));
      const id = await podId(api, args[0]);
      return { kind: 'record', record: (await api.call<{ pod: Row }>('PUT', `/pods/${enc(id!)}`, { pod })).pod };
    },
  },
  {
    name: 'pod delete',
    summary: 'remove pods (refused while bindings or routings use them)',
    args: [{ name: 'POD', many: true, help: 'pod id or name' }],
    options: {},
    run: (api, { args }) => deleteEach(args, async (ref) => void (await api.call('DELETE', `/pods/${enc((await podId(api, ref))!)}`)), 'pod'),
  },
  {
    name: 'binding list',
    summary: 'list tenant-pod bindings',
    args: [],
    options: {
      'tenant-id': { type: 'string', metavar: 'PROJECT', help: 'only this project' },
      pod: podOption('only this pod (id or name)'),
      active: { type: 'boolean', help: 'only active bindings (not history)' },
    },
    run: async (api, { opts }) => {
      const q = query({ tenant_id: str(opts['tenant-id']), pod_id: await podId(api, str(opts.pod)), is_binding: opts.active ? 'true' : undefined });
      return { kind: 'list', columns: BINDING_COLUMNS, rows: (await api.call<{ pod_bindings: Row[] }>('GET', `/bindings${q}`)).pod_bindings };
    },
  },
  {
    name: 'binding create',
    summary: "bind a project to a pod (its pod in that pod's availability zone)",
    args: [],
    options: {
      'tenant-id': { type: 'string', metavar: 'PROJECT', help: 'project id (required)' },
      pod: podOption('pod id or name (required)'),
    },
    run: async (api, { opts }) => {
      const tenant = str(opts['tenant-id']);
      const pod = str(opts.pod);
      if (!tenant || !pod) throw new CommandUsageError('--tenant-id and --pod are required');
      const body = { pod_binding: { tenant_id: tenant, pod_id: await podId(api, pod) } };
      return { kind: 'record', record: (await api.call<{ pod_binding: Row }>('POST', '/bindings', body)).pod_binding };
    },
  },
  deleteById('binding', 'remove bindings'),
  {
    name: 'routing list',
    summary: 'list routings (which pod owns which id)',
    args: [],
    options: {
      'project-id': { type: 'string', metavar: 'PROJECT', help: 'only this project' },
      'resource-type': { type: 'string', metavar: 'TYPE', help: 'server, volume, snapshot, backup, attachment, ...' },
      pod: podOption('only this pod (id or name)'),
      'top-id': { type: 'string', metavar: 'ID', help: "only this resource's id" },
      status: { type: 'string', metavar: 'STATUS', help: 'pending, active or deleting' },
      ...paging,
    },
    run: async (api, { opts }) =>
      pagedList(api, 'routings', ROUTING_COLUMNS, opts, {
        project_id: str(opts['project-id']),
        resource_type: str(opts['resource-type']),
        pod_id: await podId(api, str(opts.pod)),
        top_id: str(opts['top-id']),
        status: str(opts.status),
      }),
  },
  {
    name: 'routing show',
    summary: 'show one routing',
    args: [{ name: 'ROUTING', help: 'routing id' }],
    options: {},
    run: async (api, { args }) => ({ kind: 'record', record: (await api.call<{ routing: Row }>('GET', `/routings/${enc(args[0]!)}`)).routing }),
  },
  deleteById('routing', 'remove routings (the resources in the pods are not touched)'),
  {
    name: 'routing adopt',
    summary: 'route a resource a pod already has (checked with the pod)',
    args: [],
    options: {
      'top-id': { type: 'string', metavar: 'ID', help: "the resource's id (required)" },
      pod: podOption('the pod that has it, id or name (required)'),
      'resource-type': { type: 'string', metavar: 'TYPE', help: 'server, volume, ... (required)' },
      'project-id': { type: 'string', metavar: 'PROJECT', help: 'owner (default: what the pod says)' },
    },
    run: async (api, { opts }) => {
      const [topId, pod, type] = [str(opts['top-id']), str(opts.pod), str(opts['resource-type'])];
      if (!topId || !pod || !type) throw new CommandUsageError('--top-id, --pod and --resource-type are required');
      const routing = { top_id: topId, pod_id: await podId(api, pod), resource_type: type, project_id: str(opts['project-id']) };
      return { kind: 'record', record: (await api.call<{ routing: Row }>('POST', '/routings', { routing })).routing };
    },
  },
  {
    name: 'job list',
    summary: 'list jobs (catalog sync, deletion tracking, reconciliation, adoption, pruning)',
    args: [],
    options: {
      status: { type: 'string', metavar: 'STATUS', help: 'new, running, success or fail' },
      type: { type: 'string', metavar: 'TYPE', help: 'job type, e.g. flavor_push' },
      'resource-id': { type: 'string', metavar: 'ID', help: 'only jobs about this resource' },
      ...paging,
    },
    run: (api, { opts }) => pagedList(api, 'jobs', JOB_COLUMNS, opts, { status: str(opts.status), type: str(opts.type), resource_id: str(opts['resource-id']) }),
  },
  {
    name: 'job show',
    summary: 'show one job with the history of its attempts',
    args: [{ name: 'JOB', help: 'job id' }],
    options: {},
    run: async (api, { args }) => {
      // The history is a list: one attempt per line in a table cell; json/yaml keep the objects.
      return { kind: 'record', record: (await api.call<{ job: Row }>('GET', `/jobs/${enc(args[0]!)}`)).job };
    },
  },
  {
    name: 'job retry',
    summary: 'run a finished job again',
    args: [{ name: 'JOB', help: 'job id' }],
    options: {},
    run: async (api, { args }) => ({ kind: 'record', record: (await api.call<{ job: Row }>('POST', `/jobs/${enc(args[0]!)}/retry`)).job }),
  },
  {
    name: 'status',
    summary: "each pod's reachability, breaker, microversions, routings and last error; the store's sync",
    args: [],
    options: {},
    run: async (api) => {
      const { status } = await api.call<{ status: { store: Row; pods: Row[] } }>('GET', '/status');
      const rows = status.pods.map((p) => ({
        ...p,
        compute: range(p.compute_microversions),
        volume: range(p.volume_microversions),
        last_error: p.last_error ? `${(p.last_error as Row).error} (${(p.last_error as Row).service}) at ${(p.last_error as Row).at}` : '',
      }));
      const s = status.store;
      const sync = s.mode === 'standalone' ? 'store: standalone (local file)' : `store: ${s.mode}, primary ${s.primary}, last sync ${s.sync_age_seconds === null ? 'never' : `${s.sync_age_seconds} s ago`}${s.last_sync_error ? `, last error: ${s.last_sync_error}` : ''}`;
      return { kind: 'list', columns: STATUS_COLUMNS, rows, footer: [sync], document: status };
    },
  },
];
