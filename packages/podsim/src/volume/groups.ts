// Generic volume groups, after cinder/api/v3/group_types.py, group_specs.py, groups.py,
// group_snapshots.py and their views: group types with group specs (3.11, admin changes), groups
// (3.13: create, list, show, update, delete action with delete-volumes; create-from-src 3.14),
// group snapshots (3.14). Creates go 'creating' → 'available' after a transition, deletes
// 'deleting' → gone; a group's volumes (made with `group_id`, 3.13) go with it only under
// `delete-volumes`. add_volumes/remove_volumes on update are accepted and ignored.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { fieldError, identity, isObject, member, mv, optString, readBody, requireAdmin, strictBool } from './context';
import { badRequest, CinderFault, notFound } from './faults';
import type { CinderState } from './state';
import { cinderTime } from './state';

export interface SimGroupType {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  specs: Record<string, string>;
}

export interface SimGroup {
  id: string;
  projectId: string;
  name: string | null;
  description: string | null;
  status: string;
  groupTypeId: string;
  volumeTypeIds: string[];
  groupSnapshotId: string | null;
  sourceGroupId: string | null;
  createdAt: string;
}

export interface SimGroupSnapshot {
  id: string;
  projectId: string;
  groupId: string;
  name: string | null;
  description: string | null;
  status: string;
  createdAt: string;
}

const notServed = () => notFound('The resource could not be found.');

/** The group type Cinder's migration makes for consistency groups (group_types.DEFAULT_CGSNAPSHOT_TYPE). */
const DEFAULT_CGSNAPSHOT_TYPE = 'default_cgsnapshot_type';

export function groupRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const since = (c: Ctx, v: string) => {
    if (!mv(c, v)) throw notServed();
  };
  const gtView = (c: Ctx, t: SimGroupType) => {
    const out: Record<string, unknown> = { id: t.id, name: t.name, description: t.description, is_public: t.isPublic };
    if (identity(c).isAdmin) out.group_specs = { ...t.specs };
    return out;
  };
  const groupType = (id: string) => {
    const t = st.groupTypes.get(id) ?? [...st.groupTypes.values()].find((x) => x.name === id);
    if (!t) throw notFound(`Group type ${id} could not be found.`);
    return t;
  };

  // group types and group specs (3.11)
  // Cinder's list (group_types.py _get_group_types): public types only unless an admin asks
  // is_public ('None': every type); sorted by `sort` or `sort_key`/`sort_dir`, newest first by default.
  r.get('/group_types', (c) => {
    since(c, '3.11');
    const asked = c.req.query('is_public');
    let isPublic: boolean | undefined = true;
    if (identity(c).isAdmin && asked !== undefined) isPublic = asked.toLowerCase() === 'none' ? undefined : strictBool('is_public', asked);
    const list = [...st.groupTypes.values()].filter((t) => isPublic === undefined || t.isPublic === isPublic).reverse();
    const sort = c.req.query('sort') ?? (c.req.query('sort_key') ? `${c.req.query('sort_key')}:${c.req.query('sort_dir') ?? 'desc'}` : '');
    const field = (t: SimGroupType, key: string) => String(({ id: t.id, name: t.name, description: t.description ?? '', is_public: t.isPublic } as Record<string, unknown>)[key] ?? '');
    const plan = sort.split(',').filter((p) => p.trim() !== '').map((p) => {
      const [key = '', dir = 'desc'] = p.split(':');
      return { key: key.trim(), sign: dir.trim() === 'asc' ? 1 : -1 };
    });
    list.sort((a, b) => {
      for (const k of plan) {
        const d = field(a, k.key).localeCompare(field(b, k.key));
        if (d !== 0) return d * k.sign;
      }
      return 0;
    });
    return c.json({ group_types: list.map((t) => gtView(c, t)) });
  });
  r.get('/group_types/:id', (c) => (since(c, '3.11'), c.json({ group_type: gtView(c, groupType(c.req.param('id'))) })));
  r.post('/group_types', async (c) => {
    since(c, '3.11');
    requireAdmin(c, 'group:group_types:create');
    const b = member(await readBody(c), 'group_type');
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    if (name === '') throw fieldError('group_type', b, "'name' is a required property");
    if ([...st.groupTypes.values()].some((t) => t.name === name)) throw new CinderFault(409, `Group Type ${name} already exists.`);
    const specs = isObject(b.group_specs) ? Object.fromEntries(Object.entries(b.group_specs).map(([k, v]) => [k, String(v)])) : {};
    const t: SimGroupType = { id: randomUUID(), name, description: optString(b, 'description') ?? null, isPublic: b.is_public === undefined ? true : strictBool('is_public', b.is_public), specs };
    st.groupTypes.set(t.id, t);
    // Cinder's create answers 202 Accepted (cinder/api/v3/group_types.py), as do group specs.
    return c.json({ group_type: gtView(c, t) }, 202);
  });
  r.put('/group_types/:id', async (c) => {
    since(c, '3.11');
    requireAdmin(c, 'group:group_types:update');
    const t = groupType(c.req.param('id'));
    const b = member(await readBody(c), 'group_type');
    if (typeof b.name === 'string') t.name = b.name;
    if (b.description !== undefined) t.description = optString(b, 'description') ?? null;
    if (b.is_public !== undefined) t.isPublic = strictBool('is_public', b.is_public);
    return c.json({ group_type: gtView(c, t) });
  });
  r.delete('/group_types/:id', (c) => {
    since(c, '3.11');
    requireAdmin(c, 'group:group_types:delete');
    const t = groupType(c.req.param('id'));
    if ([...st.groups.values()].some((g) => g.groupTypeId === t.id)) throw badRequest(`Target group type with ${t.id} is still in use.`);
    st.groupTypes.delete(t.id);
    return c.body(null, 202);
  });
  r.get('/group_types/:id/group_specs', (c) => (since(c, '3.11'), requireAdmin(c, 'group:group_types_specs:get_all'), c.json({ group_specs: { ...groupType(c.req.param('id')).specs } })));
  r.post('/group_types/:id/group_specs', async (c) => {
    since(c, '3.11');
    requireAdmin(c, 'group:group_types_specs:create');
    const t = groupType(c.req.param('id'));
    const b = (await readBody(c)).group_specs;
    if (!isObject(b)) throw fieldError('group_specs', b, "'group_specs' is a required property");
    for (const [k, v] of Object.entries(b)) t.specs[k] = String(v);
    return c.json({ group_specs: { ...b } }, 202);
  });
  r.delete('/group_types/:id/group_specs/:key', (c) => {
    since(c, '3.11');
    requireAdmin(c, 'group:group_types_specs:delete');
    const t = groupType(c.req.param('id'));
    const key = c.req.param('key');
    if (!(key in t.specs)) throw notFound(`Group Type ${t.id} has no specs with key ${key}.`);
    delete t.specs[key];
    return c.body(null, 202);
  });

  // groups (3.13)
  const group = (c: Ctx, id: string) => {
    const g = st.groups.get(id);
    if (!g || !st.canSee(identity(c), g.projectId)) throw notFound(`Group ${id} could not be found.`);
    return g;
  };
  const groupDetail = (c: Ctx, g: SimGroup) => {
    const out: Record<string, unknown> = { id: g.id, status: g.status, availability_zone: st.env.az, created_at: g.createdAt, name: g.name, description: g.description, group_type: g.groupTypeId, volume_types: [...g.volumeTypeIds] };
    if (mv(c, '3.14')) Object.assign(out, { group_snapshot_id: g.groupSnapshotId, source_group_id: g.sourceGroupId });
    if (mv(c, '3.38')) out.replication_status = 'disabled';
    if (mv(c, '3.58') && identity(c).isAdmin) out.project_id = g.projectId;
    return out;
  };
  const settle = (rec: { status: string }) =>
    st.later(() => {
      if (rec.status === 'creating') rec.status = 'available';
    });
  const newGroup = (c: Ctx, f: Pick<SimGroup, 'name' | 'description' | 'groupTypeId' | 'volumeTypeIds'> & Partial<SimGroup>) => {
    const g: SimGroup = { id: randomUUID(), projectId: identity(c).projectId, status: 'creating', groupSnapshotId: null, sourceGroupId: null, createdAt: cinderTime(), ...f };
    st.groups.set(g.id, g);
    settle(g);
    return g;
  };
  /** An update's name and description (groups and consistency groups alike; volumes are not changed). */
  const rename = (g: SimGroup, b: Record<string, unknown>) => {
    if (b.name !== undefined) g.name = optString(b, 'name') ?? null;
    if (b.description !== undefined) g.description = optString(b, 'description') ?? null;
  };
  /** A group made from a group snapshot or a source group: its type and volume types. */
  const cloneGroup = (c: Ctx, b: Record<string, unknown>, snapId: string | undefined, srcId: string | undefined) => {
    const src = srcId ? group(c, srcId) : group(c, groupSnapshot(c, snapId!).groupId);
    return newGroup(c, { name: optString(b, 'name') ?? null, description: optString(b, 'description') ?? null, groupTypeId: src.groupTypeId, volumeTypeIds: [...src.volumeTypeIds], groupSnapshotId: snapId ?? null, sourceGroupId: srcId ?? null });
  };
  /** 'deleting' at once, gone (with the volumes made in it) after a transition. */
  const removeGroup = (g: SimGroup) => {
    const members = [...st.volumes.values()].filter((v) => v.groupId === g.id);
    g.status = 'deleting';
    for (const v of members) (v.status = 'deleting'), (v.updatedAt = cinderTime());
    st.later(() => {
      for (const v of members) st.volumes.delete(v.id);
      st.groups.delete(g.id);
    });
  };
  const listOf = <T extends { id: string; projectId: string; createdAt: string }>(c: Ctx, all: Iterable<T>) => {
    const who = identity(c);
    const everyone = who.isAdmin && ['1', 'true', 'yes'].includes((c.req.query('all_tenants') ?? '').toLowerCase());
    return [...all].filter((x) => everyone || x.projectId === who.projectId).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  };
  r.get('/groups', (c) => (since(c, '3.13'), c.json({ groups: listOf(c, st.groups.values()).map((g) => ({ id: g.id, name: g.name })) })));
  r.get('/groups/detail', (c) => (since(c, '3.13'), c.json({ groups: listOf(c, st.groups.values()).map((g) => groupDetail(c, g)) })));
  r.get('/groups/:id', (c) => (since(c, '3.13'), c.json({ group: groupDetail(c, group(c, c.req.param('id'))) })));
  r.post('/groups', async (c) => {
    since(c, '3.13');
    const b = member(await readBody(c), 'group');
    if (typeof b.group_type !== 'string') throw fieldError('group', b, "'group_type' is a required property");
    if (!Array.isArray(b.volume_types) || b.volume_types.length === 0) throw fieldError('group', b, "'volume_types' is a required property");
    const az = typeof b.availability_zone === 'string' && b.availability_zone !== '' ? b.availability_zone : st.env.az;
    if (az !== st.env.az) throw badRequest(`Availability zone '${az}' is invalid.`);
    const gt = groupType(b.group_type);
    const vts = b.volume_types.map((ref) => st.typeByNameOrId(identity(c), String(ref)).id);
    const g = newGroup(c, { name: optString(b, 'name') ?? null, description: optString(b, 'description') ?? null, groupTypeId: gt.id, volumeTypeIds: vts });
    return c.json({ group: { id: g.id, name: g.name } }, 202);
  });
  r.put('/groups/:id', async (c) => {
    since(c, '3.13');
    const g = group(c, c.req.param('id'));
    rename(g, member(await readBody(c), 'group'));
    return c.body(null, 202);
  });
  r.post('/groups/action', async (c) => {
    since(c, '3.14');
    const b = member(await readBody(c), 'create-from-src');
    const snapId = typeof b.group_snapshot_id === 'string' ? b.group_snapshot_id : undefined;
    const srcId = typeof b.source_group_id === 'string' ? b.source_group_id : undefined;
    if (Boolean(snapId) === Boolean(srcId)) throw badRequest('Invalid input received: Either group_snapshot_id or source_group_id must be provided to create group from source.');
    const g = cloneGroup(c, b, snapId, srcId);
    return c.json({ group: { id: g.id, name: g.name } }, 202);
  });
  r.post('/groups/:id/action', async (c) => {
    since(c, '3.13');
    const g = group(c, c.req.param('id'));
    const body = await readBody(c);
    const [action] = Object.keys(body);
    if (action === 'delete') {
      if (!['available', 'error'].includes(g.status)) throw badRequest(`Invalid group: Group status must be available or error, but current status is: ${g.status}.`);
      const d = body.delete;
      const withVolumes = isObject(d) && d['delete-volumes'] !== undefined ? strictBool('delete-volumes', d['delete-volumes']) : false;
      if (!withVolumes && [...st.volumes.values()].some((v) => v.groupId === g.id)) throw badRequest(`Invalid group: Group ${g.id} still contains volumes. The delete-volumes flag is required to delete it.`);
      removeGroup(g);
      return c.body(null, 202);
    }
    if (action === 'reset_status') {
      requireAdmin(c, 'group:reset_status');
      const s = (body.reset_status as Record<string, unknown> | undefined)?.status;
      if (typeof s !== 'string') throw fieldError('reset_status', body.reset_status, "'status' is a required property");
      g.status = s;
      return c.body(null, 202);
    }
    throw badRequest(`Invalid input received: There is no such action: ${String(action)}`);
  });

  // group snapshots (3.14)
  const groupSnapshot = (c: Ctx, id: string) => {
    const s = st.groupSnapshots.get(id);
    if (!s || !st.canSee(identity(c), s.projectId)) throw notFound(`GroupSnapshot ${id} could not be found.`);
    return s;
  };
  const gsDetail = (c: Ctx, s: SimGroupSnapshot) => {
    const out: Record<string, unknown> = { id: s.id, group_id: s.groupId, status: s.status, created_at: s.createdAt, name: s.name, description: s.description, group_type_id: st.groups.get(s.groupId)?.groupTypeId ?? null };
    if (mv(c, '3.58') && identity(c).isAdmin) out.project_id = s.projectId;
    return out;
  };
  r.get('/group_snapshots', (c) => (since(c, '3.14'), c.json({ group_snapshots: listOf(c, st.groupSnapshots.values()).map((s) => ({ id: s.id, name: s.name })) })));
  r.get('/group_snapshots/detail', (c) => (since(c, '3.14'), c.json({ group_snapshots: listOf(c, st.groupSnapshots.values()).map((s) => gsDetail(c, s)) })));
  r.get('/group_snapshots/:id', (c) => (since(c, '3.14'), c.json({ group_snapshot: gsDetail(c, groupSnapshot(c, c.req.param('id'))) })));
  r.post('/group_snapshots', async (c) => {
    since(c, '3.14');
    const b = member(await readBody(c), 'group_snapshot');
    if (typeof b.group_id !== 'string') throw fieldError('group_snapshot', b, "'group_id' is a required property");
    const g = group(c, b.group_id);
    if (g.status !== 'available') throw badRequest(`Invalid group: Group ${g.id} status must be available, but current status is: ${g.status}.`);
    const s: SimGroupSnapshot = { id: randomUUID(), projectId: g.projectId, groupId: g.id, name: optString(b, 'name') ?? null, description: optString(b, 'description') ?? null, status: 'creating', createdAt: cinderTime() };
    st.groupSnapshots.set(s.id, s);
    settle(s);
    return c.json({ group_snapshot: { id: s.id, name: s.name } }, 202);
  });
  r.delete('/group_snapshots/:id', (c) => {
    since(c, '3.14');
    const s = groupSnapshot(c, c.req.param('id'));
    s.status = 'deleting';
    st.later(() => st.groupSnapshots.delete(s.id));
    return c.body(null, 202);
  });

  // Consistency groups and cgsnapshots (cinder/api/contrib/consistencygroups.py, cgsnapshots.py,
  // still served by Cinder at every microversion): the same group records, made with the group
  // type `default_cgsnapshot_type` that Cinder's database migration creates (here on first use),
  // `volume_types` as one comma-separated string; delete is `POST /consistencygroups/{id}/delete`.
  const cgType = () => {
    const found = [...st.groupTypes.values()].find((t) => t.name === DEFAULT_CGSNAPSHOT_TYPE);
    if (found) return found;
    const t: SimGroupType = { id: randomUUID(), name: DEFAULT_CGSNAPSHOT_TYPE, description: 'Default group type for migrating cgsnapshot', isPublic: true, specs: { consistent_group_snapshot_enabled: '<is> True' } };
    st.groupTypes.set(t.id, t);
    return t;
  };
  const cgDetail = (g: SimGroup) => ({ id: g.id, status: g.status, availability_zone: st.env.az, created_at: g.createdAt, name: g.name, description: g.description, volume_types: [...g.volumeTypeIds] });
  const cgSummary = (g: { id: string; name: string | null }) => ({ id: g.id, name: g.name });
  r.get('/consistencygroups', (c) => c.json({ consistencygroups: listOf(c, st.groups.values()).map(cgSummary) }));
  r.get('/consistencygroups/detail', (c) => c.json({ consistencygroups: listOf(c, st.groups.values()).map(cgDetail) }));
  r.get('/consistencygroups/:id', (c) => c.json({ consistencygroup: cgDetail(group(c, c.req.param('id'))) }));
  r.post('/consistencygroups', async (c) => {
    const b = member(await readBody(c), 'consistencygroup');
    const name = optString(b, 'name') ?? null;
    if (typeof b.volume_types !== 'string' || b.volume_types === '') throw badRequest(`volume_types must be provided to create consistency group ${name}.`);
    const az = typeof b.availability_zone === 'string' && b.availability_zone !== '' ? b.availability_zone : st.env.az;
    if (az !== st.env.az) throw badRequest(`Availability zone '${az}' is invalid.`);
    const vts = b.volume_types.replace(/,$/, '').split(',').map((ref) => st.typeByNameOrId(identity(c), ref).id);
    const g = newGroup(c, { name, description: optString(b, 'description') ?? null, groupTypeId: cgType().id, volumeTypeIds: vts });
    return c.json({ consistencygroup: cgSummary(g) }, 202);
  });
  r.post('/consistencygroups/create_from_src', async (c) => {
    const b = member(await readBody(c), 'consistencygroup-from-src');
    const name = optString(b, 'name') ?? null;
    const snapId = typeof b.cgsnapshot_id === 'string' ? b.cgsnapshot_id : undefined;
    const srcId = typeof b.source_cgid === 'string' ? b.source_cgid : undefined;
    if (!snapId && !srcId) throw badRequest(`Either 'cgsnapshot_id' or 'source_cgid' must be provided to create consistency group ${name} from source.`);
    if (snapId && srcId) throw badRequest(`Cannot provide both 'cgsnapshot_id' and 'source_cgid' to create consistency group ${name} from source.`);
    return c.json({ consistencygroup: cgSummary(cloneGroup(c, b, snapId, srcId)) }, 202);
  });
  r.put('/consistencygroups/:id', async (c) => {
    const g = group(c, c.req.param('id'));
    rename(g, member(await readBody(c), 'consistencygroup'));
    return c.body(null, 202);
  });
  r.post('/consistencygroups/:id/delete', async (c) => {
    const g = group(c, c.req.param('id'));
    const text = await c.req.text();
    const body = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const cg = isObject(body.consistencygroup) ? body.consistencygroup : {};
    const force = cg.force === undefined ? false : strictBool('force', cg.force);
    if (!force && !['available', 'error'].includes(g.status)) throw badRequest(`Invalid group: Group status must be available or error, but current status is: ${g.status}.`);
    if (!force && [...st.volumes.values()].some((v) => v.groupId === g.id)) throw badRequest(`Invalid group: Group ${g.id} still contains volumes. The delete-volumes flag is required to delete it.`);
    removeGroup(g);
    return c.body(null, 202);
  });
  const cgsDetail = (s: SimGroupSnapshot) => ({ id: s.id, consistencygroup_id: s.groupId, status: s.status, created_at: s.createdAt, name: s.name, description: s.description });
  r.get('/cgsnapshots', (c) => c.json({ cgsnapshots: listOf(c, st.groupSnapshots.values()).map(cgSummary) }));
  r.get('/cgsnapshots/detail', (c) => c.json({ cgsnapshots: listOf(c, st.groupSnapshots.values()).map(cgsDetail) }));
  r.get('/cgsnapshots/:id', (c) => c.json({ cgsnapshot: cgsDetail(groupSnapshot(c, c.req.param('id'))) }));
  r.post('/cgsnapshots', async (c) => {
    const b = member(await readBody(c), 'cgsnapshot');
    if (typeof b.consistencygroup_id !== 'string') throw badRequest("'consistencygroup_id' must be specified");
    const g = group(c, b.consistencygroup_id);
    if (g.status !== 'available') throw badRequest(`Invalid group: Group ${g.id} status must be available, but current status is: ${g.status}.`);
    const snap: SimGroupSnapshot = { id: randomUUID(), projectId: g.projectId, groupId: g.id, name: optString(b, 'name') ?? null, description: optString(b, 'description') ?? null, status: 'creating', createdAt: cinderTime() };
    st.groupSnapshots.set(snap.id, snap);
    settle(snap);
    return c.json({ cgsnapshot: cgSummary(snap) }, 202);
  });
  r.delete('/cgsnapshots/:id', (c) => {
    const snap = groupSnapshot(c, c.req.param('id'));
    snap.status = 'deleting';
    st.later(() => st.groupSnapshots.delete(snap.id));
    return c.body(null, 202);
  });
  return r;
}
