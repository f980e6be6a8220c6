// /servers routes: list, detail, create, show, update (PUT), delete. Actions and
// sub-resources live in their own modules.
import { badRequest, conflict, jsonBody, since, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { createServer } from './server-create';
import { listServers } from './server-list';
import { findServer, recordAction, touch } from './server-lookup';
import { showServer, updateViewOptions } from './server-view';
import { isoSeconds } from './state';
import { accessIPv4, accessIPv6, diskConfig } from './validate';

/** Nova's check_instance_lock: a locked server refuses non-admin changes with 409. */
export function checkLock(c: NovaContext, s: { id: string; lockedBy: string | null }): void {
  if (s.lockedBy !== null && !c.get('identity').isAdmin) throw conflict(`Instance ${s.id} is locked`);
}

function update(c: NovaContext, deps: NovaDeps, id: string, body: Record<string, unknown>) {
  const s = findServer(c, deps, id);
  const sv = body.server;
  if (typeof sv !== 'object' || sv === null || Array.isArray(sv)) {
    throw badRequest(`Invalid input for field/attribute server. Value: ${JSON.stringify(sv ?? null)}. ${JSON.stringify(sv ?? null)} is not of type 'object'`);
  }
  const server = sv as Record<string, unknown>;
  const allowed = new Set(['name', 'accessIPv4', 'accessIPv6', 'OS-DCF:diskConfig']);
  if (since(c, '2.19')) allowed.add('description');
  if (since(c, '2.90')) allowed.add('hostname');
  const extra = Object.keys(server).filter((k) => !allowed.has(k));
  if (extra.length > 0) {
    throw badRequest(`Invalid input for field/attribute server. Value: ${JSON.stringify(server)}. Additional properties are not allowed ('${extra[0]}' was unexpected)`);
  }
  if ('name' in server) {
    const n = server.name;
    if (typeof n !== 'string' || n.length < 1 || n.length > 255 || n.trim() !== n) {
      throw badRequest(`Invalid input for field/attribute name. Value: ${JSON.stringify(n)}. ${JSON.stringify(n)} is not a valid name`);
    }
    s.name = n;
  }
  if ('description' in server) {
    const d = server.description;
    if (d !== null && (typeof d !== 'string' || d.length > 255)) {
      throw badRequest(`Invalid input for field/attribute description. Value: ${JSON.stringify(d)}. ${JSON.stringify(d)} is not valid under any of the given schemas`);
    }
    s.description = d;
  }
  if (typeof server.hostname === 'string') s.hostname = server.hostname;
  if (server.accessIPv4 !== undefined) s.accessIPv4 = accessIPv4(server.accessIPv4);
  s.diskConfig = diskConfig(server['OS-DCF:diskConfig'], s.diskConfig);
  if (server.accessIPv6 !== undefined) s.accessIPv6 = accessIPv6(server.accessIPv6);
  touch(s);
  return { server: showServer(c, s, updateViewOptions(c)) };
}

/** Delete: 204 now, gone after the transition (show answers 404 from then on). */
function remove(c: NovaContext, deps: NovaDeps, id: string): void {
  const s = findServer(c, deps, id);
  checkLock(c, s);
  if (s.taskState === 'deleting') return;
  s.taskState = 'deleting';
  touch(s);
  recordAction(c, s, 'delete');
  deps.state.later(() => destroy(deps, id));
}

/** Remove a server now: detach its volumes and keep a tombstone for changes-since. */
export function destroy(deps: NovaDeps, id: string): void {
  const s = deps.state.servers.get(id);
  if (!s) return;
  for (const v of s.volumes) {
    try {
      // Nova detaches each volume, then deletes those marked delete_on_termination.
      deps.volumes.detach(v.volumeId, id, () => {
        if (v.deleteOnTermination) deps.volumes.deleteForServer(v.volumeId);
      });
    } catch {
      // The volume may already be gone from Cinder; Nova ignores that on delete too.
    }
  }
  s.volumes = [];
  for (const gid of s.serverGroups) {
    const g = deps.state.serverGroups.get(gid);
    if (g) g.members = g.members.filter((m) => m !== id);
  }
  s.vmState = 'deleted';
  s.taskState = null;
  s.powerState = 0;
  const now = isoSeconds();
  s.updatedAt = now;
  deps.state.servers.delete(id);
  deps.state.deleted.push({ server: s, deletedAt: now });
}

export function registerServers(api: NovaApi, deps: NovaDeps): void {
  api.get('/servers', (c) => listServers(c, deps, false));
  api.get('/servers/detail', (c) => listServers(c, deps, true));
  api.post('/servers', (c) => createServer(c, deps));
  api.get('/servers/:id', (c) => {
    const s = findServer(c, deps, c.req.param('id'));
    return c.json({ server: showServer(c, s, { showServerGroups: since(c, '2.71') }) });
  });
  api.put('/servers/:id', async (c) => c.json(update(c, deps, c.req.param('id'), await jsonBody(c))));
  api.delete('/servers/:id', (c) => {
    remove(c, deps, c.req.param('id'));
    return c.body(null, 204);
  });
}
