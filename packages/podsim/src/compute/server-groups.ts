// /os-server-groups: create/list/show/delete per microversion (policies list until 2.63,
// policy + rules from 2.64, project_id/user_id from 2.13, soft policies from 2.15), and the
// `group` scheduler hint that makes a new server a member. Policies are recorded, not
// scheduled: a pod has one host, and a second anti-affinity member is not sent to ERROR.
import { randomUUID } from 'node:crypto';
import { badRequest, jsonBody, notFound, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import type { SimServerGroup } from './state';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const POLICIES = ['affinity', 'anti-affinity'];
const SOFT_POLICIES = ['soft-affinity', 'soft-anti-affinity'];

function view(c: NovaContext, g: SimServerGroup): Record<string, unknown> {
  const v: Record<string, unknown> = { id: g.id, name: g.name };
  if (since(c, '2.64')) {
    v.policy = g.policy;
    v.rules = { ...g.rules };
  } else {
    v.policies = [g.policy];
    v.metadata = {};
  }
  v.members = [...g.members];
  if (since(c, '2.13')) {
    v.project_id = g.projectId;
    v.user_id = g.userId;
  }
  return v;
}

function invalid(field: string, value: unknown, why: string): never {
  throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${why}`);
}

function readPolicy(c: NovaContext, sg: Record<string, unknown>): { policy: string; rules: Record<string, unknown> } {
  const allowed = since(c, '2.15') ? [...POLICIES, ...SOFT_POLICIES] : POLICIES;
  if (since(c, '2.64')) {
    const p = sg.policy;
    if (typeof p !== 'string' || !allowed.includes(p)) invalid('policy', p ?? null, `${JSON.stringify(p ?? null)} is not one of ${JSON.stringify(allowed)}`);
    const rules = sg.rules === undefined ? {} : sg.rules;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) invalid('rules', rules, "is not of type 'object'");
    if (p !== 'anti-affinity' && Object.keys(rules).length > 0) throw badRequest('Only anti-affinity policy supports rules.');
    return { policy: p, rules: rules as Record<string, unknown> };
  }
  const list = sg.policies;
  if (!Array.isArray(list) || list.length !== 1 || typeof list[0] !== 'string' || !allowed.includes(list[0])) {
    invalid('policies', list ?? null, `must be a list of exactly one of ${JSON.stringify(allowed)}`);
  }
  return { policy: list[0] as string, rules: {} };
}

/**
 * Add a new server to the group named by its `group` scheduler hint (validated before create).
 * @returns the group, or undefined when no hint was given
 */
export function groupFromHint(c: NovaContext, deps: NovaDeps, hints: unknown): SimServerGroup | undefined {
  if (typeof hints !== 'object' || hints === null) return undefined;
  const id = (hints as Record<string, unknown>).group;
  if (id === undefined) return undefined;
  if (typeof id !== 'string' || !UUID.test(id)) throw badRequest(`Invalid input for field/attribute group. Value: ${JSON.stringify(id)}. ${JSON.stringify(id)} is not a 'uuid'`);
  const g = deps.state.serverGroups.get(id);
  // InstanceGroupNotFound, which servers.py create turns into a 400.
  if (!g || g.projectId !== c.get('identity').projectId) throw badRequest(`Instance group ${id} could not be found.`);
  return g;
}

export function registerServerGroups(api: NovaApi, deps: NovaDeps): void {
  const find = (c: NovaContext): SimServerGroup => {
    const g = deps.state.serverGroups.get(c.req.param('id') ?? '');
    const who = c.get('identity');
    if (!g || (g.projectId !== who.projectId && !who.isAdmin)) throw notFound(`Instance group ${c.req.param('id')} could not be found.`);
    return g;
  };
  api.post('/os-server-groups', async (c) => {
    const sg = (await jsonBody(c)).server_group;
    if (typeof sg !== 'object' || sg === null || Array.isArray(sg)) invalid('body', {}, "'server_group' is a required property");
    const body = sg as Record<string, unknown>;
    const name = body.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255) invalid('name', name ?? null, 'is not a valid name');
    const { policy, rules } = readPolicy(c, body);
    const who = c.get('identity');
    const g: SimServerGroup = { id: randomUUID(), name, policy, rules, members: [], projectId: who.projectId, userId: who.userId };
    deps.state.serverGroups.set(g.id, g);
    return c.json({ server_group: view(c, g) });
  });
  api.get('/os-server-groups', (c) => {
    const who = c.get('identity');
    // Nova honours the parameter's presence, whatever its value, for an admin (server_groups.py index).
    const all = who.isAdmin && c.req.query('all_projects') !== undefined;
    let rows = [...deps.state.serverGroups.values()].filter((g) => all || g.projectId === who.projectId);
    const offset = Number(c.req.query('offset') ?? 0);
    const limit = c.req.query('limit');
    rows = rows.slice(Number.isInteger(offset) && offset > 0 ? offset : 0);
    if (limit !== undefined && /^\d+$/.test(limit)) rows = rows.slice(0, Number(limit));
    return c.json({ server_groups: rows.map((g) => view(c, g)) });
  });
  api.get('/os-server-groups/:id', (c) => c.json({ server_group: view(c, find(c)) }));
  api.delete('/os-server-groups/:id', (c) => {
    deps.state.serverGroups.delete(find(c).id);
    return c.body(null, 204);
  });
}
