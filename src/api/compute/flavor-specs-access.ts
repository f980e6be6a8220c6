/**
 * `/flavors/{id}/os-extra_specs[/{key}]` and flavor access (`/flavors/{id}/os-flavor-access`,
 * `POST /flavors/{id}/action` add/removeTenantAccess), as Nova's flavors_extraspecs.py and
 * flavor_access.py answer them. `openstack flavor list` reads os-extra_specs for every flavor
 * without specs and fails on a 404, so a flavor without specs answers `{"extra_specs": {}}`.
 * Every change is pushed to the pods like the flavor itself.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { badRequest, conflict, isSupported, notFound, readJson, validate } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { pushFlavor, visibleFlavor } from './flavors';
import { METADATA_KEY } from './params';
import { can } from './policy';
import { storeWrite } from '../common';

/** Spec values may be strings or numbers; Nova stores them as strings and echoes the request. */
const specValue = v.union([v.pipe(v.string(), v.maxLength(255, 'is longer than 255 characters')), v.number()], 'must be a string or a number');
const specs = v.pipe(
  v.record(v.string(), specValue),
  v.check((m) => Object.keys(m).every((k) => METADATA_KEY.test(k)), "has a key that does not match '^[a-zA-Z0-9-_:. ]{1,255}$'"),
);
const specsCreate = v.strictObject({ extra_specs: specs });

function asStrings(m: Record<string, string | number>): Record<string, string> {
  // fromEntries defines own properties, so no key (not even `__proto__`) is lost on the way.
  return Object.fromEntries(
    Object.entries(m).map(([k, val]) => {
      const s = String(val);
      if (s.length > 255) throw badRequest(`Invalid input for field/attribute extra_specs value. Value: ${s}. is too long`);
      return [k, s];
    }),
  );
}

const flavorId = (c: Context<ComputeEnv>) => c.req.param('flavor_id')!;
const target = (c: Context<ComputeEnv>) => ({ project_id: c.get('projectId') });

export async function extraSpecsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-extra-specs:index', target(c));
  const f = await visibleFlavor(deps, c, flavorId(c));
  return c.json({ extra_specs: await deps.store.flavors.extraSpecs(f.flavorid) });
}

export async function extraSpecsCreate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-extra-specs:create', {});
  const body = validate(specsCreate, await readJson(c));
  const f = await visibleFlavor(deps, c, flavorId(c));
  await storeWrite(() => deps.store.flavors.putExtraSpecs(f.flavorid, asStrings(body.extra_specs)));
  await pushFlavor(deps, f.flavorid);
  return c.json(body);
}

export async function extraSpecShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-extra-specs:show', target(c));
  const f = await visibleFlavor(deps, c, flavorId(c));
  const key = c.req.param('key')!;
  const all = await deps.store.flavors.extraSpecs(f.flavorid);
  if (!Object.hasOwn(all, key)) throw notFound(`Flavor ${f.flavorid} has no extra specs with key ${key}.`);
  return c.json({ [key]: all[key] });
}

export async function extraSpecUpdate(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-extra-specs:update', {});
  const body = validate(v.pipe(specs, v.check((m) => Object.keys(m).length === 1, 'must have exactly one property')), await readJson(c));
  const key = c.req.param('key')!;
  if (!Object.hasOwn(body, key)) throw badRequest('Request body and URI mismatch');
  const f = await visibleFlavor(deps, c, flavorId(c));
  await storeWrite(() => deps.store.flavors.putExtraSpecs(f.flavorid, asStrings(body)));
  await pushFlavor(deps, f.flavorid);
  return c.json(body);
}

export async function extraSpecDelete(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-extra-specs:delete', {});
  const f = await visibleFlavor(deps, c, flavorId(c));
  const key = c.req.param('key')!;
  if (!(await storeWrite(() => deps.store.flavors.deleteExtraSpec(f.flavorid, key)))) {
    throw notFound(`Flavor ${f.flavorid} has no extra specs with key ${key}.`);
  }
  await pushFlavor(deps, f.flavorid);
  return c.body(null, 200);
}

async function accessBody(deps: ComputeDeps, flavorid: string): Promise<Record<string, unknown>> {
  const projects = await deps.store.flavors.projects(flavorid);
  return { flavor_access: projects.map((tenant_id) => ({ flavor_id: flavorid, tenant_id })) };
}

export async function flavorAccessIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-access');
  const f = await visibleFlavor(deps, c, flavorId(c));
  if (f.is_public) throw notFound('Access list not available for public flavors.');
  return c.json(await accessBody(deps, f.flavorid));
}

const tenant = v.strictObject({ tenant: v.pipe(v.string(), v.minLength(1), v.maxLength(255)) });
const FlavorAction = v.union([v.strictObject({ addTenantAccess: tenant }), v.strictObject({ removeTenantAccess: tenant })], 'must be addTenantAccess or removeTenantAccess');

/** `POST /flavors/{id}/action`: the two flavor-access actions. */
export async function flavorAction(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const raw = await readJson(c);
  const id = flavorId(c);
  const action = validate(FlavorAction, raw);
  if ('addTenantAccess' in action) {
    can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-access:add_tenant_access', {});
    const project = action.addTenantAccess.tenant;
    const f = await visibleFlavor(deps, c, id);
    if (isSupported(c.get('apiVersion'), '2.7') && f.is_public) throw conflict('Can not add access to a public flavor.');
    if (!(await storeWrite(() => deps.store.flavors.addAccess(f.flavorid, project)))) {
      throw conflict(`Flavor access already exists for flavor ${f.flavorid} and project ${project} combination.`);
    }
    await pushFlavor(deps, f.flavorid);
    return c.json(await accessBody(deps, f.flavorid));
  }
  can(deps.policy, c.get('auth'), 'os_compute_api:os-flavor-access:remove_tenant_access', {});
  const project = action.removeTenantAccess.tenant;
  const f = await visibleFlavor(deps, c, id);
  if (!(await storeWrite(() => deps.store.flavors.removeAccess(f.flavorid, project)))) {
    throw notFound(`Flavor access not found for ${f.flavorid} / ${project} combination.`);
  }
  await pushFlavor(deps, f.flavorid);
  return c.json(await accessBody(deps, f.flavorid));
}
