/**
 * `os-aggregates` (https://docs.openstack.org/api-ref/compute/#host-aggregates-os-aggregates):
 * host aggregates kept at the top, admin only for every call as in Nova, 400/404/409 where the
 * original answered 500, and a set_metadata that stores the metadata. Each bottom pod has an
 * aggregate `ag_<pod_name>` carrying its top AZ, created the first time aggregates are read after
 * the pod appears and dropped once the pod is gone; it cannot be deleted, renamed or moved to
 * another AZ by hand. Compute hosts join and leave aggregates as in Nova, mirrored into their
 * pods with the metadata, the availability zone included (aggregate-hosts.ts): an aggregate's zone
 * is a zone inside its hosts' pod (aggregate-zones.ts). A change is mirrored before it is stored,
 * so a pod's refusal leaves the top as it was.
 * Shapes: Nova's Aggregate fields; `uuid` from 2.41; create answers without hosts and metadata.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import type { Aggregate } from '../../store';
import { isUnavailable } from '../../store';
import { badRequest, isSupported, notFound, readJson, validate } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { novaName } from './params';
import { can } from './policy';
import type { ComputeRule } from './policy-rules';
import { storeWrite } from '../common';
import { addHost, checkEmpty, checkZone, checkZoneName, pushMetadata, removeHost } from './aggregate-hosts';
import { AZ_KEY, hostsByAggregate } from './aggregate-members';
import { forgetInnerZones } from './aggregate-zones';

const azName = v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(255)));
const AggregateCreate = v.strictObject({ aggregate: v.strictObject({ name: novaName, availability_zone: v.optional(azName) }) });
const AggregateUpdate = v.strictObject({
  aggregate: v.pipe(v.strictObject({ name: v.optional(novaName), availability_zone: v.optional(azName) }), v.check((a) => Object.keys(a).length > 0, 'must not be empty')),
});
const AggregateAction = v.union(
  [
    v.strictObject({ add_host: v.strictObject({ host: v.string() }) }),
    v.strictObject({ remove_host: v.strictObject({ host: v.string() }) }),
    v.strictObject({ set_metadata: v.strictObject({ metadata: v.record(v.pipe(v.string(), v.maxLength(255)), v.nullable(v.pipe(v.string(), v.maxLength(255)))) }) }),
  ],
  'must be one of add_host, remove_host, set_metadata',
);

function view(c: Context<ComputeEnv>, a: Aggregate, hosts?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    availability_zone: a.metadata[AZ_KEY] ?? null,
    created_at: a.created_at,
    deleted: false,
    deleted_at: null,
    id: a.id,
    name: a.name,
    updated_at: a.updated_at,
  };
  if (hosts) Object.assign(out, { hosts, metadata: a.metadata });
  if (isSupported(c.get('apiVersion'), '2.41')) out.uuid = a.uuid;
  return out;
}

/** Brings the pod aggregates in line with the pods; a store that cannot be written skips this. */
async function syncPodAggregates(deps: ComputeDeps): Promise<void> {
  const pods = (await deps.podDir.list()).filter((p) => p.az_name !== '');
  const rows = (await deps.store.aggregates.list()).filter((a) => a.pod_id !== null);
  try {
    for (const a of rows) if (!pods.some((p) => p.pod_id === a.pod_id)) await deps.store.aggregates.delete(a.id);
    for (const p of pods) {
      const a = rows.find((r) => r.pod_id === p.pod_id);
      if (!a) await deps.store.aggregates.create(`ag_${p.pod_name}`, { [AZ_KEY]: p.az_name }, p.pod_id).catch(() => undefined);
      else if (a.metadata[AZ_KEY] !== p.az_name) await deps.store.aggregates.updateMetadata(a.id, { [AZ_KEY]: p.az_name });
    }
  } catch (err) {
    if (!isUnavailable(err)) throw err;
  }
}

async function load(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Aggregate> {
  const raw = c.req.param('id')!;
  if (!/^-?\d+$/.test(raw)) throw badRequest('Invalid input received: id must be an integer');
  await syncPodAggregates(deps);
  const a = await deps.store.aggregates.get(Number(raw));
  if (!a) throw notFound(`Aggregate ${raw} could not be found.`);
  return a;
}

type AggregateOp = 'index' | 'create' | 'show' | 'update' | 'delete' | 'add_host' | 'remove_host' | 'set_metadata';
const rule = (op: AggregateOp): ComputeRule => `os_compute_api:os-aggregates:${op}`;
const exists = (name: string) => () => `Aggregate ${name} already exists.`;

export async function aggregateIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), rule('index'), {});
  await syncPodAggregates(deps);
  const hosts = await hostsByAggregate(deps);
  return c.json({ aggregates: (await deps.store.aggregates.list()).map((a) => view(c, a, hosts.get(a.id) ?? [])) });
}

export async function aggregateCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), rule('create'), {});
  const { aggregate: b } = validate(AggregateCreate, await readJson(c));
  const meta: Record<string, string> = b.availability_zone ? { [AZ_KEY]: b.availability_zone.trim() } : {};
  if (meta[AZ_KEY]) await checkZoneName(deps, meta[AZ_KEY], (reason) => badRequest(`Cannot create aggregate ${b.name.trim()}. Reason: ${reason}.`));
  const a = await storeWrite(() => deps.store.aggregates.create(b.name.trim(), meta), exists(b.name.trim()));
  return c.json({ aggregate: view(c, a) });
}

export async function aggregateShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), rule('show'), {});
  return c.json({ aggregate: await fullView(deps, c, await load(deps, c)) });
}

/** An aggregate as Nova shows it after a change or by id: with its hosts and metadata. */
async function fullView(deps: ComputeDeps, c: Context<ComputeEnv>, a: Aggregate): Promise<Record<string, unknown>> {
  return view(c, a, (await hostsByAggregate(deps)).get(a.id) ?? []);
}

function refusePod(a: Aggregate, what: string): void {
  if (a.pod_id) throw badRequest(`Cannot ${what} aggregate ${a.id}: it stands for a pod and follows the pod's availability zone.`);
}

export async function aggregateUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), rule('update'), {});
  const { aggregate: b } = validate(AggregateUpdate, await readJson(c));
  const a = await load(deps, c);
  refusePod(a, 'update');
  const zone = b.availability_zone?.trim() ?? b.availability_zone;
  if (zone !== undefined) await checkZone(deps, a, zone, 'update');
  if (b.name !== undefined) await storeWrite(() => deps.store.aggregates.rename(a.id, b.name!.trim()), exists(b.name.trim()));
  if (zone !== undefined) {
    await pushMetadata(deps, c, a, { [AZ_KEY]: zone });
    await storeWrite(() => deps.store.aggregates.updateMetadata(a.id, { [AZ_KEY]: zone }));
    forgetInnerZones(deps);
  }
  return c.json({ aggregate: await fullView(deps, c, (await deps.store.aggregates.get(a.id))!) });
}

export async function aggregateDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), rule('delete'), {});
  const a = await load(deps, c);
  refusePod(a, 'delete');
  await checkEmpty(deps, a);
  await storeWrite(() => deps.store.aggregates.delete(a.id));
  return c.body(null, 200);
}

export async function aggregateAction(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const action = validate(AggregateAction, await readJson(c));
  const auth = c.get('auth');
  if ('add_host' in action) {
    can(deps.policy, auth, rule('add_host'), {});
    const a = await load(deps, c);
    refusePod(a, 'add a host to');
    await addHost(deps, c, a, action.add_host.host);
    forgetInnerZones(deps);
    return c.json({ aggregate: await fullView(deps, c, a) });
  }
  if ('remove_host' in action) {
    can(deps.policy, auth, rule('remove_host'), {});
    const a = await load(deps, c);
    await removeHost(deps, c, a, action.remove_host.host);
    forgetInnerZones(deps);
    return c.json({ aggregate: await fullView(deps, c, a) });
  }
  can(deps.policy, auth, rule('set_metadata'), {});
  const a = await load(deps, c);
  const changes = action.set_metadata.metadata;
  if (a.pod_id && AZ_KEY in changes) refusePod(a, 'move');
  const zoneChange = Object.hasOwn(changes, AZ_KEY);
  if (zoneChange) await checkZone(deps, a, changes[AZ_KEY] ?? null, 'set_metadata');
  await pushMetadata(deps, c, a, changes);
  await storeWrite(() => deps.store.aggregates.updateMetadata(a.id, changes));
  if (zoneChange) forgetInnerZones(deps);
  return c.json({ aggregate: await fullView(deps, c, (await deps.store.aggregates.get(a.id))!) });
}
