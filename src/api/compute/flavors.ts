/**
 * `/flavors`: the flavor catalog the gateway owns, answered as Nova answers it
 * (https://docs.openstack.org/api-ref/compute/#flavors) — Nova's field names, filters, paging,
 * sorting, admin-only mutations, 400 (where the original answered 500) on bad input.
 *
 * A flavor must exist with the same id in every pod, since `flavorRef` is forwarded verbatim on
 * server create. Every change therefore records one `flavor_push` job per enabled bottom pod; the
 * job reads the flavor when it runs and makes the pod match (or deletes the pod's copy), so
 * repeated or reordered jobs are harmless.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import type { Flavor } from '../../store';
import { FLAVOR_SORT_COLUMNS, flavorSortColumn, isUniqueViolation } from '../../store';
import { badRequest, isSupported, notFound, readJson, validate } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { flavorBrief, flavorDetail } from './flavor-view';
import { enqueueFlavorPush } from '../../jobs';
import { listBody, nextLinks, novaPage, type Link } from './links';
import { intLike, novaBoolean, novaName } from './params';
import { allowed, can } from './policy';
import { isNoneString, NOVA_QUERY, queryBool, sortDirection, storeWrite } from '../common';

const flavorCreate_2_1 = {
  name: novaName,
  id: v.optional(
    v.nullable(
      v.pipe(
        v.union([v.string(), v.number()]),
        v.transform(String),
        v.regex(/^(?! )[a-zA-Z0-9. _-]{1,255}(?<! )$/, "does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'"),
      ),
    ),
  ),
  ram: intLike(1),
  vcpus: intLike(1),
  disk: intLike(0),
  'OS-FLV-EXT-DATA:ephemeral': v.optional(intLike(0)),
  swap: v.optional(intLike(0)),
  rxtx_factor: v.optional(
    v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^[0-9]+(\.[0-9]+)?$/), v.transform(Number))]), v.minValue(Number.MIN_VALUE, 'must be > 0'), v.maxValue(3.40282e38)),
  ),
  'os-flavor-access:is_public': v.optional(novaBoolean),
};
const description = v.nullable(v.pipe(v.string(), v.maxLength(65535)));
const flavorCreate_2_55 = { ...flavorCreate_2_1, description: v.optional(description) };
const { rxtx_factor: _dropped, ...flavorCreate_2_102 } = flavorCreate_2_55;

function createSchema(c: Context<ComputeEnv>) {
  const ver = c.get('apiVersion');
  const entries = isSupported(ver, '2.102') ? flavorCreate_2_102 : isSupported(ver, '2.55') ? flavorCreate_2_55 : flavorCreate_2_1;
  return v.strictObject({ flavor: v.strictObject(entries) });
}
const flavorUpdate_2_55 = v.strictObject({ flavor: v.strictObject({ description }) });

/** The flavor as the caller may see it; private flavors are visible to admins and granted projects. */
export async function visibleFlavor(deps: ComputeDeps, c: Context<ComputeEnv>, id: string): Promise<Flavor> {
  const f = await deps.store.flavors.get(id);
  const auth = c.get('auth');
  if (!f || (!f.is_public && !auth.isAdmin && !(await deps.store.flavors.hasAccess(id, c.get('projectId'))))) {
    throw notFound(`Flavor ${id} could not be found.`);
  }
  return f;
}

/** Whether extra specs go in flavor bodies (2.61+ and the caller may read them). */
function showsSpecs(deps: ComputeDeps, c: Context<ComputeEnv>): boolean {
  return isSupported(c.get('apiVersion'), '2.61') && allowed(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-extra-specs:index', { project_id: c.get('projectId') });
}

const LIST_PARAMS = new Set(['limit', 'marker', 'is_public', 'minRam', 'minDisk', 'sort_key', 'sort_dir']);

/** Nova's `_parse_is_public`: absent → public only, `none` → all, else a strict boolean. */
function parseIsPublic(raw: string | undefined): boolean | null {
  if (raw === undefined) return true;
  if (isNoneString(raw)) return null;
  return queryBool(raw, 'is_public', NOVA_QUERY);
}

function intFilter(c: Context<ComputeEnv>, name: 'minRam' | 'minDisk'): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  if (!/^\s*-?[0-9]+\s*$/.test(raw)) throw badRequest(`Invalid ${name} filter [${raw}]`);
  return Number(raw);
}

/** The page of flavors a list asks for, and the `flavors_links` that go with it. */
async function listFlavors(deps: ComputeDeps, c: Context<ComputeEnv>, collection: 'flavors' | 'flavors/detail'): Promise<{ flavors: Flavor[]; links: Link[] }> {
  const ver = c.get('apiVersion');
  const query = c.req.query();
  if (isSupported(ver, '2.75')) {
    const extra = Object.keys(query).filter((k) => !LIST_PARAMS.has(k) && !(isSupported(ver, '2.102') && k === 'name'));
    if (extra.length) throw badRequest(`Invalid input for query parameters. Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
  }
  const sortKey = query.sort_key || 'flavorid';
  if (flavorSortColumn(sortKey) === undefined || (sortKey === 'rxtx_factor' && isSupported(ver, '2.102'))) {
    throw badRequest(`Invalid input for query parameters sort_key. Value: ${sortKey}. '${sortKey}' is not one of [${Object.keys(FLAVOR_SORT_COLUMNS).map((k) => `'${k}'`).join(', ')}]`);
  }
  const sortDir = sortDirection(query.sort_dir || 'asc', NOVA_QUERY);
  const page = novaPage(deps, c);
  const auth = c.get('auth');
  const flavors = await deps.store.flavors.list({
    // Only admins choose; everyone else sees public flavors plus those granted to the project.
    isPublic: auth.isAdmin ? parseIsPublic(query.is_public) : true,
    projectId: auth.isAdmin && query.is_public !== undefined ? undefined : c.get('projectId'),
    enabledOnly: !auth.isAdmin,
    minRam: intFilter(c, 'minRam'),
    minDisk: intFilter(c, 'minDisk'),
    name: isSupported(ver, '2.102') ? query.name : undefined,
    sortKey,
    sortDir,
    marker: page.marker,
    limit: page.limit,
  });
  return { flavors, links: nextLinks(deps, c, collection, page, flavors.length, flavors.at(-1)?.flavorid) };
}

export async function flavorIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { flavors, links } = await listFlavors(deps, c, 'flavors');
  return c.json(listBody('flavors', flavors.map((f) => flavorBrief(deps, c, f)), links));
}

export async function flavorDetailList(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const { flavors, links } = await listFlavors(deps, c, 'flavors/detail');
  const specs = showsSpecs(deps, c) ? await deps.store.flavors.extraSpecsOf(flavors.map((f) => f.flavorid)) : undefined;
  return c.json(listBody('flavors', flavors.map((f) => flavorDetail(deps, c, f, specs?.get(f.flavorid))), links));
}

async function detailOf(deps: ComputeDeps, c: Context<ComputeEnv>, f: Flavor): Promise<Record<string, unknown>> {
  return flavorDetail(deps, c, f, showsSpecs(deps, c) ? await deps.store.flavors.extraSpecs(f.flavorid) : undefined);
}

export async function flavorShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const f = await visibleFlavor(deps, c, c.req.param('flavor_id')!);
  return c.json({ flavor: await detailOf(deps, c, f) });
}

/**
 * Records a push of the flavor's current state (or its removal) to every enabled bottom pod; the
 * job reads the flavor when it runs, so the latest change wins (src/jobs/flavor-sync.ts).
 */
export async function pushFlavor(deps: ComputeDeps, flavorid: string): Promise<void> {
  const pods = await deps.podDir.bottoms();
  await storeWrite(async () => {
    for (const pod of pods) await enqueueFlavorPush(deps, flavorid, pod.pod_id);
  });
}

export async function flavorCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-manage:create', {});
  const { flavor: b } = validate(createSchema(c), await readJson(c)) as { flavor: v.InferOutput<v.ObjectSchema<typeof flavorCreate_2_55, undefined>> };
  const flavorid = b.id ?? crypto.randomUUID();
  const name = b.name.trim();
  const created = await storeWrite(
    () =>
      deps.store.flavors.create({
        flavorid,
        name,
        memory_mb: b.ram,
        vcpus: b.vcpus,
        root_gb: b.disk,
        ephemeral_gb: b['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
        swap: b.swap ?? 0,
        rxtx_factor: b.rxtx_factor ?? 1.0,
        is_public: b['os-flavor-access:is_public'] ?? true,
        description: b.description ?? null,
      }),
    (err) => (isUniqueViolation(err, 'flavors.flavorid') ? `Flavor with ID ${flavorid} already exists.` : `Flavor with name ${name} already exists.`),
  );
  await pushFlavor(deps, flavorid);
  // Nova answers 200 (not 201) here; a new flavor has no extra specs yet.
  return c.json({ flavor: flavorDetail(deps, c, created, showsSpecs(deps, c) ? {} : undefined) }, 200);
}

export async function flavorUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  // Below 2.55 Nova has no such method: VersionNotFoundForAPIMethod renders as a plain 404.
  if (!isSupported(c.get('apiVersion'), '2.55')) throw notFound('The resource could not be found.');
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-manage:update', {});
  const { flavor: b } = validate(flavorUpdate_2_55, await readJson(c));
  const id = c.req.param('flavor_id')!;
  const updated = await storeWrite(() => deps.store.flavors.setDescription(id, b.description));
  if (!updated) throw notFound(`Flavor ${id} could not be found.`);
  await pushFlavor(deps, id);
  return c.json({ flavor: await detailOf(deps, c, updated) });
}

export async function flavorDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-manage:delete', {});
  const id = c.req.param('flavor_id')!;
  if (!(await storeWrite(() => deps.store.flavors.delete(id)))) throw notFound(`Flavor ${id} could not be found.`);
  await pushFlavor(deps, id);
  return c.body(null, 202);
}
