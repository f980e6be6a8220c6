// POST /servers/{id}/action: the action table. Each entry states Nova's preconditions
// (vm_state / task_state lists from nova/compute/api.py check_instance_state, lock check,
// admin policy) and what it does: an immediate task_state, then the final state after the
// pod's transition delay. A failed precondition is Nova's 409:
// "Cannot '<action>' instance <id> while it is in vm_state <state>".
import { badRequest, forbidden, jsonBody, type NovaContext } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { checkState } from './action-spec';
import { findServer, recordAction } from './server-lookup';
import { checkLock } from './servers';
import { ACTION_HANDLERS } from './server-action-handlers';

async function dispatch(c: NovaContext, deps: NovaDeps, id: string): Promise<Response> {
  const s = findServer(c, deps, id);
  const body = await jsonBody(c);
  const keys = Object.keys(body);
  const name = keys.find((k) => Object.hasOwn(ACTION_HANDLERS, k));
  if (!name) throw badRequest(`There is no such action: ${keys[0] ?? ''}`);
  const spec = ACTION_HANDLERS[name];
  if (spec.adminRule && !c.get('identity').isAdmin) {
    throw forbidden(`Policy doesn't allow ${spec.adminRule} to be performed.`);
  }
  if (spec.lock) checkLock(c, s);
  checkState(spec, s);
  const res = await spec.run(c, deps, s, body[name]);
  if (spec.record) recordAction(c, s, spec.record);
  return res ?? c.body(null, 202);
}

export function registerServerActions(api: NovaApi, deps: NovaDeps): void {
  api.post('/servers/:id/action', (c) => dispatch(c, deps, c.req.param('id')));
}
