// Per-project default volume types (3.62, admin), after cinder/api/v3/default_types.py and its
// view: set (PUT, the type by name or id), show, list, unset (204). A project's default is what
// a volume create without a type gets, and what /types/default shows.
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, member, mv, readBody, requireAdmin } from './context';
import { notFound } from './faults';
import type { CinderState } from './state';

export function defaultTypeRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const gate = (c: Ctx, rule: string) => {
    if (!mv(c, '3.62')) throw notFound('The resource could not be found.');
    requireAdmin(c, `volume_extension:${rule}`);
  };
  const view = (projectId: string, typeId: string) => ({ project_id: projectId, volume_type_id: typeId });
  r.put('/default-types/:project', async (c) => {
    gate(c, 'default_set_or_update');
    const body = member(await readBody(c), 'default_type');
    if (typeof body.volume_type !== 'string') throw fieldError('default_type', body, "'volume_type' is a required property");
    const t = st.typeByNameOrId(identity(c), body.volume_type);
    st.defaultTypes.set(c.req.param('project'), t.id);
    return c.json({ default_type: view(c.req.param('project'), t.id) });
  });
  r.get('/default-types', (c) => {
    gate(c, 'default_get_all');
    return c.json({ default_types: [...st.defaultTypes].map(([p, t]) => view(p, t)) });
  });
  r.get('/default-types/:project', (c) => {
    gate(c, 'default_get');
    const p = c.req.param('project');
    const t = st.defaultTypes.get(p);
    if (!t) throw notFound(`Default type for project ${p} not found.`);
    return c.json({ default_type: view(p, t) });
  });
  r.delete('/default-types/:project', (c) => {
    gate(c, 'default_unset');
    st.defaultTypes.delete(c.req.param('project'));
    return c.body(null, 204);
  });
  return r;
}
