// Snapshot actions (POST /snapshots/{id}/action), after cinder/api/contrib/admin_actions.py
// (SnapshotAdminController: os-reset_status, os-force_delete) and snapshot_actions.py
// (os-update_snapshot_status, which a volume driver calls while a snapshot is being made).
import type { Ctx } from './context';
import { fieldError, identity, isObject } from './context';
import { badRequest, policyDenied } from './faults';
import type { CinderState } from './state';
import type { SimSnapshot } from './types';

/** Statuses an admin may reset a snapshot to (cinder.objects.fields.SnapshotStatus). */
const RESET_STATUSES = ['creating', 'available', 'deleting', 'error', 'error_deleting', 'unmanaging', 'backing-up', 'restoring'];
/** os-update_snapshot_status: the moves Cinder allows from each current status. */
const UPDATE_MOVES: Record<string, string[]> = {
  creating: ['creating', 'available', 'error'],
  deleting: ['deleting', 'error_deleting'],
};

function admin(c: Ctx, action: string): void {
  if (!identity(c).isAdmin) throw policyDenied(`volume_extension:snapshot_admin_actions:${action}`);
}

/**
 * Run one snapshot action; the body holds exactly one action key.
 * @returns 202 with no body, as Cinder answers all three
 */
export function snapshotAction(st: CinderState, c: Ctx, s: SimSnapshot, body: Record<string, unknown>): Response {
  if ('os-reset_status' in body) {
    admin(c, 'reset_status');
    const args = body['os-reset_status'];
    const status = isObject(args) && typeof args.status === 'string' ? args.status.toLowerCase() : undefined;
    if (!status) throw fieldError('os-reset_status', args ?? null, "'status' is a required property");
    if (!RESET_STATUSES.includes(status)) throw badRequest(`Invalid input received: Must specify a valid status`);
    s.status = status;
    s.progress = undefined;
  } else if ('os-force_delete' in body) {
    admin(c, 'force_delete');
    s.status = 'deleting';
    st.later(() => st.snapshots.delete(s.id));
  } else if ('os-update_snapshot_status' in body) {
    const args = body['os-update_snapshot_status'];
    const status = isObject(args) && typeof args.status === 'string' ? args.status : undefined;
    if (!status) throw fieldError('os-update_snapshot_status', args ?? null, "'status' is a required property");
    if (!(UPDATE_MOVES[s.status] ?? []).includes(status)) {
      throw badRequest(`Invalid snapshot: Snapshot status ${s.status} not allowed for update_snapshot_status`);
    }
    s.status = status;
    if (isObject(args) && typeof args.progress === 'string') s.progress = args.progress;
  } else {
    throw badRequest('Invalid request body: no recognised snapshot action');
  }
  st.touch(s);
  return c.body(null, 202);
}
