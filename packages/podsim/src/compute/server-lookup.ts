// Finding a server the caller may see, and recording instance actions, shared by every
// /servers/{id}/... handler.
import { notFound, since, type NovaContext } from './context';
import type { NovaDeps } from './deps';
import { isoSeconds, naiveSeconds, type SimServer } from './state';

/** The server if the caller's project owns it or the caller is admin; else Nova's 404. */
export function findServer(c: NovaContext, deps: NovaDeps, id: string): SimServer {
  const s = deps.state.servers.get(id);
  const who = c.get('identity');
  if (!s || (s.projectId !== who.projectId && !who.isAdmin)) {
    throw notFound(`Instance ${id} could not be found.`);
  }
  return s;
}

/**
 * A server for os-instance-actions: from 2.21 Nova reads deleted instances too
 * (read_deleted='yes'), so a deleted server's create/delete history stays listable.
 */
export function findServerForActions(c: NovaContext, deps: NovaDeps, id: string): SimServer {
  if (!since(c, '2.21') || deps.state.servers.has(id)) return findServer(c, deps, id);
  const who = c.get('identity');
  const gone = deps.state.deleted.find((d) => d.server.id === id)?.server;
  if (!gone || (gone.projectId !== who.projectId && !who.isAdmin)) throw notFound(`Instance ${id} could not be found.`);
  return gone;
}

/** Append an instance action with one successful event, as os-instance-actions shows. */
export function recordAction(c: NovaContext, s: SimServer, action: string, event = `compute_${action}_instance`): void {
  const now = naiveSeconds();
  const who = c.get('identity');
  s.actions.push({
    action,
    request_id: c.get('requestId'),
    user_id: who.userId,
    project_id: who.projectId,
    start_time: now,
    updated_at: now,
    message: null,
    events: [{ event, start_time: now, finish_time: now, result: 'Success' }],
  });
}

export function touch(s: SimServer): void {
  s.updatedAt = isoSeconds();
}
