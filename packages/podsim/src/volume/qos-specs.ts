// QoS specs (admin), after cinder/api/contrib/qos_specs_manage.py, cinder/volume/qos_specs.py and
// cinder/api/views/qos_specs.py: create (name unique, consumer front-end/back-end/both), list,
// show, set keys, delete_keys, delete (400 while associated unless ?force), associations,
// associate/disassociate a volume type (GET with ?vol_type_id=), disassociate_all.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, member, readBody, requireAdmin, resourceLinks } from './context';
import { badRequest, CinderFault, notFound } from './faults';
import type { CinderState } from './state';

export interface SimQosSpec {
  id: string;
  name: string;
  consumer: string;
  specs: Record<string, string>;
}

const CONSUMERS = ['front-end', 'back-end', 'both'];
const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];

const qosNotFound = (id: string) => notFound(`No such QoS spec ${id}.`);

function stringSpecs(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== 'string' && typeof v !== 'number') throw fieldError(`qos_specs/${k}`, v, `${JSON.stringify(v)} is not of type 'string'`);
    out[k] = String(v);
  }
  return out;
}

function setConsumer(q: SimQosSpec, specs: Record<string, string>): void {
  if (!('consumer' in specs)) return;
  const consumer = specs.consumer!;
  if (!CONSUMERS.includes(consumer)) throw badRequest(`Invalid qos specs: Valid consumer of QoS specs are: ${JSON.stringify(CONSUMERS)}`);
  q.consumer = consumer;
  delete specs.consumer;
}

export function qosRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const admin = (c: Ctx, what: string) => requireAdmin(c, `volume_extension:qos_specs_manage:${what}`);
  const view = (c: Ctx, q: SimQosSpec) => ({ id: q.id, name: q.name, consumer: q.consumer, specs: { ...q.specs } });
  const find = (id: string) => {
    const q = st.qos.get(id);
    if (!q) throw qosNotFound(id);
    return q;
  };
  const typeOf = (c: Ctx) => {
    const id = c.req.query('vol_type_id');
    if (!id) throw badRequest('Volume Type id must not be None.');
    const t = st.types.get(id);
    if (!t) throw notFound(`Volume type ${id} could not be found.`);
    return t;
  };
  const associated = (q: SimQosSpec) => [...st.types.values()].filter((t) => t.qosSpecsId === q.id);

  r.get('/qos-specs', (c) => {
    admin(c, 'get_all');
    return c.json({ qos_specs: [...st.qos.values()].map((q) => view(c, q)) });
  });
  r.post('/qos-specs', async (c) => {
    admin(c, 'create');
    const body = member(await readBody(c), 'qos_specs');
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (name === '') throw fieldError('qos_specs', body, "'name' is a required property");
    const specs = stringSpecs(Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'name')));
    if ([...st.qos.values()].some((q) => q.name === name)) throw new CinderFault(409, `QoS Specs ${name} already exists.`);
    const q: SimQosSpec = { id: randomUUID(), name, consumer: 'back-end', specs: {} };
    setConsumer(q, specs);
    q.specs = specs;
    st.qos.set(q.id, q);
    return c.json({ qos_specs: view(c, q), links: resourceLinks(c, 'qos-specs', q.id) });
  });
  r.get('/qos-specs/:id', (c) => {
    admin(c, 'get');
    const q = find(c.req.param('id'));
    return c.json({ qos_specs: view(c, q), links: resourceLinks(c, 'qos-specs', q.id) });
  });
  r.put('/qos-specs/:id', async (c) => {
    admin(c, 'update');
    const q = find(c.req.param('id'));
    const body = member(await readBody(c), 'qos_specs');
    const specs = stringSpecs(body);
    setConsumer(q, { ...specs });
    delete specs.consumer;
    Object.assign(q.specs, specs);
    return c.json({ qos_specs: body });
  });
  r.put('/qos-specs/:id/delete_keys', async (c) => {
    admin(c, 'update');
    const q = find(c.req.param('id'));
    const keys = (await readBody(c)).keys;
    if (!Array.isArray(keys)) throw fieldError('keys', keys, "'keys' is a required property");
    for (const k of keys) if (!(String(k) in q.specs)) throw notFound(`QoS spec ${q.id} has no spec with key ${String(k)}.`);
    for (const k of keys) delete q.specs[String(k)];
    return c.body(null, 202);
  });
  r.delete('/qos-specs/:id', (c) => {
    admin(c, 'delete');
    const q = find(c.req.param('id'));
    const force = TRUE.includes((c.req.query('force') ?? '').toLowerCase());
    const users = associated(q);
    if (users.length > 0 && !force) throw badRequest('Qos specs still in use.');
    for (const t of users) t.qosSpecsId = null;
    st.qos.delete(q.id);
    return c.body(null, 202);
  });
  r.get('/qos-specs/:id/associations', (c) => {
    admin(c, 'get_all');
    const q = find(c.req.param('id'));
    return c.json({ qos_associations: associated(q).map((t) => ({ association_type: 'volume_type', name: t.name, id: t.id })) });
  });
  r.get('/qos-specs/:id/associate', (c) => {
    admin(c, 'update');
    const q = find(c.req.param('id'));
    const t = typeOf(c);
    if (t.qosSpecsId && t.qosSpecsId !== q.id) throw badRequest(`Invalid volume type: Type ${t.id} is already associated with another qos specs: ${t.qosSpecsId}`);
    t.qosSpecsId = q.id;
    return c.body(null, 202);
  });
  r.get('/qos-specs/:id/disassociate', (c) => {
    admin(c, 'update');
    const q = find(c.req.param('id'));
    const t = typeOf(c);
    if (t.qosSpecsId === q.id) t.qosSpecsId = null;
    return c.body(null, 202);
  });
  r.get('/qos-specs/:id/disassociate_all', (c) => {
    admin(c, 'update');
    for (const t of associated(find(c.req.param('id')))) t.qosSpecsId = null;
    return c.body(null, 202);
  });
  return r;
}

