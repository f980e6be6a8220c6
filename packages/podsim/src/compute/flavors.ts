// /flavors: list/detail/show per microversion (description 2.55, extra_specs 2.61, swap 0
// instead of "" from 2.75), minRam/minDisk/is_public filters, marker paging; admin create/
// delete/update; os-extra_specs CRUD; os-flavor-access.
import { badRequest, conflict, jsonBody, notFound, requireAdmin, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { newFlavor } from './flavor-store';
import { collectionLinks, limitAndMarker, resourceLinks } from './links';
import type { SimFlavor } from './state';
import { booleanLike, stringMap } from './validate';

/** Nova's flavor query: admins see every flavor, others public ones and those shared with them. */
export function visible(c: NovaContext, f: SimFlavor): boolean {
  const who = c.get('identity');
  return f.is_public || who.isAdmin || f.access.has(who.projectId);
}

function find(c: NovaContext, deps: NovaDeps, id: string): SimFlavor {
  const f = deps.state.flavors.get(id);
  if (!f || !visible(c, f)) throw notFound(`Flavor ${id} could not be found.`);
  return f;
}

export function flavorView(c: NovaContext, f: SimFlavor, detail: boolean): Record<string, unknown> {
  const v: Record<string, unknown> = { id: f.id, name: f.name };
  if (detail) {
    Object.assign(v, {
      ram: f.ram, disk: f.disk, swap: f.swap === 0 && !since(c, '2.75') ? '' : f.swap, vcpus: f.vcpus,
      'OS-FLV-EXT-DATA:ephemeral': f.ephemeral, 'OS-FLV-DISABLED:disabled': f.disabled,
      'os-flavor-access:is_public': f.is_public, rxtx_factor: f.rxtx_factor,
    });
  }
  v.links = resourceLinks(c, 'flavors', f.id);
  if (since(c, '2.55')) v.description = f.description;
  if (detail && since(c, '2.61')) v.extra_specs = { ...f.extra_specs };
  return v;
}

function list(c: NovaContext, deps: NovaDeps, detail: boolean): Response {
  const q = (k: string) => c.req.query(k);
  const minRam = Number(q('minRam') ?? 0);
  const minDisk = Number(q('minDisk') ?? 0);
  if (Number.isNaN(minRam) || Number.isNaN(minDisk)) throw badRequest('Invalid minRam or minDisk filter');
  const isPublic = q('is_public');
  const who = c.get('identity');
  let rows = [...deps.state.flavors.values()].filter((f) => !f.disabled && f.ram >= minRam && f.disk >= minDisk);
  // Nova's _parse_is_public: absent -> public (plus flavors shared with the project);
  // 'none' -> all (admin); true/false -> that visibility (admin). Non-admins always get
  // public plus shared.
  const mode = !who.isAdmin || isPublic === undefined ? 'public' : isPublic.toLowerCase() === 'none' ? 'all'
    : ['1', 'true', 't', 'yes', 'y', 'on'].includes(isPublic.toLowerCase()) ? 'public' : 'private';
  rows = rows.filter((f) => mode === 'all' || (mode === 'private' ? !f.is_public : f.is_public || f.access.has(who.projectId)));
  const key = q('sort_key') ?? 'flavorid';
  const dir = (q('sort_dir') ?? 'asc') === 'desc' ? -1 : 1;
  const get: Record<string, (f: SimFlavor) => string | number> = {
    flavorid: (f) => f.id, id: (f) => f.seq, name: (f) => f.name, memory_mb: (f) => f.ram, ram: (f) => f.ram,
    vcpus: (f) => f.vcpus, root_gb: (f) => f.disk, disk: (f) => f.disk, swap: (f) => f.swap,
    ephemeral_gb: (f) => f.ephemeral, rxtx_factor: (f) => f.rxtx_factor, is_public: (f) => Number(f.is_public),
    created_at: (f) => f.seq, description: (f) => f.description ?? '', flavor_id: (f) => f.id,
  };
  if (!get[key]) throw badRequest(`Invalid input for query parameters sort_key. Value: ${key}.`);
  rows.sort((a, b) => (get[key](a) < get[key](b) ? -dir : get[key](a) > get[key](b) ? dir : a.seq - b.seq));
  const { limit, marker } = limitAndMarker(c, badRequest);
  if (marker !== undefined) {
    const i = rows.findIndex((f) => f.id === marker);
    if (i < 0) throw badRequest(`marker [${marker}] not found`);
    rows = rows.slice(i + 1);
  }
  rows = rows.slice(0, limit);
  const flavors = rows.map((f) => flavorView(c, f, detail));
  const links = collectionLinks(c, detail ? 'flavors/detail' : 'flavors', rows.length, rows.at(-1)?.id);
  return c.json(links.length ? { flavors, flavors_links: links } : { flavors });
}

async function create(c: NovaContext, deps: NovaDeps): Promise<Response> {
  requireAdmin(c, 'os_compute_api:os-flavor-manage:create');
  const body = await jsonBody(c);
  const f = body.flavor as Record<string, unknown> | undefined;
  if (!f || typeof f !== 'object') throw badRequest("Invalid input for field/attribute flavor. 'flavor' is a required property");
  for (const k of ['name', 'ram', 'vcpus', 'disk']) {
    if (f[k] === undefined) throw badRequest(`Invalid input for field/attribute flavor. Value: ${JSON.stringify(f)}. '${k}' is a required property`);
  }
  const id = f.id === undefined || f.id === null ? crypto.randomUUID() : String(f.id);
  if (deps.state.flavors.has(id)) throw conflict(`Flavor with ID ${id} already exists.`);
  if ([...deps.state.flavors.values()].some((x) => x.name === f.name)) throw conflict(`Flavor with name ${String(f.name)} already exists.`);
  const flavor = newFlavor(deps.state, {
    id, name: String(f.name), ram: Number(f.ram), vcpus: Number(f.vcpus), disk: Number(f.disk),
    swap: Number(f.swap || 0), ephemeral: Number(f['OS-FLV-EXT-DATA:ephemeral'] ?? 0),
    rxtx_factor: Number(f.rxtx_factor ?? 1),
    is_public: booleanLike(f['os-flavor-access:is_public'], 'os-flavor-access:is_public') ?? true,
    description: since(c, '2.55') ? ((f.description as string | null | undefined) ?? null) : null,
  });
  deps.state.flavors.set(id, flavor);
  return c.json({ flavor: flavorView(c, flavor, true) });
}

export function registerFlavors(api: NovaApi, deps: NovaDeps): void {
  api.get('/flavors', (c) => list(c, deps, false));
  api.get('/flavors/detail', (c) => list(c, deps, true));
  api.post('/flavors', (c) => create(c, deps));
  api.get('/flavors/:id', (c) => c.json({ flavor: flavorView(c, find(c, deps, c.req.param('id')), true) }));
  api.put('/flavors/:id', async (c) => {
    requireAdmin(c, 'os_compute_api:os-flavor-manage:update');
    const f = find(c, deps, c.req.param('id'));
    const body = (await jsonBody(c)).flavor as { description?: string | null } | undefined;
    if (!since(c, '2.55') || !body || !('description' in body)) throw badRequest('Invalid flavor update');
    f.description = body.description ?? null;
    return c.json({ flavor: flavorView(c, f, true) });
  });
  api.delete('/flavors/:id', (c) => {
    requireAdmin(c, 'os_compute_api:os-flavor-manage:delete');
    const f = find(c, deps, c.req.param('id'));
    deps.state.flavors.delete(f.id);
    return c.body(null, 202);
  });
  registerExtraSpecs(api, deps);
}

function registerExtraSpecs(api: NovaApi, deps: NovaDeps): void {
  const base = '/flavors/:id/os-extra_specs';
  api.get(base, (c) => c.json({ extra_specs: { ...find(c, deps, c.req.param('id')).extra_specs } }));
  api.post(base, async (c) => {
    requireAdmin(c, 'os_compute_api:os-flavor-extra-specs:create');
    const f = find(c, deps, c.req.param('id'));
    const specs = stringMap((await jsonBody(c)).extra_specs, 'extra_specs');
    Object.assign(f.extra_specs, specs);
    return c.json({ extra_specs: specs });
  });
  api.get(`${base}/:key`, (c) => {
    const f = find(c, deps, c.req.param('id'));
    const key = c.req.param('key');
    if (!Object.hasOwn(f.extra_specs, key)) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
    return c.json({ [key]: f.extra_specs[key] });
  });
  api.put(`${base}/:key`, async (c) => {
    requireAdmin(c, 'os_compute_api:os-flavor-extra-specs:update');
    const f = find(c, deps, c.req.param('id'));
    const key = c.req.param('key');
    const body = stringMap(await jsonBody(c), 'extra_specs');
    if (!Object.hasOwn(body, key) || Object.keys(body).length !== 1) throw badRequest('Request body and URI mismatch');
    f.extra_specs[key] = body[key];
    return c.json(body);
  });
  api.delete(`${base}/:key`, (c) => {
    requireAdmin(c, 'os_compute_api:os-flavor-extra-specs:delete');
    const f = find(c, deps, c.req.param('id'));
    const key = c.req.param('key');
    if (!Object.hasOwn(f.extra_specs, key)) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
    delete f.extra_specs[key];
    return c.body(null, 200);
  });
  const access = (f: SimFlavor) => ({ flavor_access: [...f.access].map((tenant_id) => ({ flavor_id: f.id, tenant_id })) });
  api.get('/flavors/:id/os-flavor-access', (c) => {
    const f = find(c, deps, c.req.param('id'));
    if (f.is_public) throw notFound('Access list not available for public flavors.');
    return c.json(access(f));
  });
  api.post('/flavors/:id/action', async (c) => {
    requireAdmin(c, 'os_compute_api:os-flavor-access:add_tenant_access');
    const f = find(c, deps, c.req.param('id'));
    const body = await jsonBody(c);
    const add = body.addTenantAccess as { tenant?: string } | undefined;
    const rm = body.removeTenantAccess as { tenant?: string } | undefined;
    if (f.is_public) throw conflict(`Can not add access to a public flavor.`);
    if (add?.tenant) {
      if (f.access.has(add.tenant)) throw conflict(`Flavor access already exists for flavor ${f.id} and project ${add.tenant} combination.`);
      f.access.add(add.tenant);
    } else if (rm?.tenant) {
      if (!f.access.delete(rm.tenant)) throw notFound(`Flavor access not found for ${f.id} / ${rm.tenant} combination.`);
    } else throw badRequest('There is no such action');
    return c.json(access(f));
  });
}
