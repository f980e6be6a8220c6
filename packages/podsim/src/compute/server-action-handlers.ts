// The table of server actions Nova accepts in POST /servers/{id}/action, with Nova's
// allowed states (nova/compute/api.py) and the state each one ends in.
import { randomBytes } from 'node:crypto';
import { badRequest, conflict, forbidden, since } from './context';
import { flavorSnapshot } from './flavor-store';
import { enforceQuota } from './quota';
import { glanceTime, snapshotImage } from '../image/images';
import { lastMigration, recordMigration, setMigration } from './migrations';
import { transition, type ActionSpec } from './action-spec';
import { showServer, updateViewOptions } from './server-view';
import { destroy } from './servers';
import { touch } from './server-lookup';
import { computeHostZone } from './deps';
import { isoSeconds, POWER, type SimServer } from './state';
import { diskConfig, objectField, requiredString, stringMap } from './validate';

/**
 * Writes a snapshot of `s` straight into the pod's Glance (Nova snapshots through Glance too):
 * queued at once, active after the transition, then `done`.
 */
function snapshot(deps: Parameters<ActionSpec['run']>[1], s: SimServer, name: string, props: Record<string, string>, done?: () => void): string {
  const img = snapshotImage({ name, owner: s.projectId, min_disk: s.flavor.disk, properties: { instance_uuid: s.id, ...props } });
  deps.images.images.set(img.id, img);
  transition(deps, s, 'image_snapshot', () => {
    img.status = 'active';
    img.updated_at = glanceTime();
    done?.();
  });
  return img.id;
}

/** 2.45 names the image in the body; before, only the Location header does. */
function snapshotAnswer(c: Parameters<ActionSpec['run']>[0], id: string): Response {
  if (since(c, '2.45')) return c.json({ image_id: id }, 202);
  return c.body(null, 202, { Location: `${new URL(c.req.url).origin}/image/v2/images/${id}` });
}

const ALLOW_REBOOT_TASKS = [null, 'rebooting', 'reboot_pending', 'reboot_started', 'suspending', 'resize_migrating',
  'rebooting_hard', 'reboot_pending_hard', 'reboot_started_hard', 'pausing', 'unpausing', 'resuming', 'powering-on', 'powering-off'];

const to = (vm: string, power: number) => (s: SimServer) => {
  s.vmState = vm;
  s.powerState = power;
};

function consoleLines(s: SimServer): string[] {
  return [
    `[    0.000000] Linux version 5.15.0-sim (${s.hostname})`,
    '[    0.100000] Command line: console=ttyS0',
    `cirros-ds 'net' up at 1.00`,
    `=== ${s.name} (${s.id}) ===`,
    `${s.hostname} login:`,
  ];
}

export const ACTION_HANDLERS: Record<string, ActionSpec> = {
  'os-start': {
    label: 'start', record: 'start', vmStates: ['stopped'], lock: true,
    run: (_c, deps, s) => void transition(deps, s, 'powering-on', to('active', POWER.RUNNING)),
  },
  'os-stop': {
    label: 'stop', record: 'stop', vmStates: ['active', 'error'], lock: true,
    run: (_c, deps, s) => void transition(deps, s, 'powering-off', to('stopped', POWER.SHUTDOWN)),
  },
  reboot: {
    label: 'reboot', record: 'reboot', lock: true, vmStates: ['active', 'stopped', 'paused', 'suspended', 'error'], taskStates: 'any',
    run: (_c, deps, s, arg) => {
      const type = String((arg as { type?: unknown } | null)?.type ?? '').toUpperCase();
      if (type !== 'SOFT' && type !== 'HARD') {
        throw badRequest(`Invalid input for field/attribute type. Value: ${JSON.stringify((arg as { type?: unknown } | null)?.type ?? null)}. is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']`);
      }
      if (type === 'SOFT' && (s.vmState !== 'active' || s.taskState !== null)) {
        const [attr, state] = s.vmState !== 'active' ? ['vm_state', s.vmState] : ['task_state', s.taskState];
        throw conflictReboot(s, attr, state);
      }
      if (type === 'HARD' && !ALLOW_REBOOT_TASKS.includes(s.taskState)) throw conflictReboot(s, 'task_state', s.taskState);
      // The API's task state; the compute's later ones (reboot_pending, reboot_started) pass quickly.
      transition(deps, s, type === 'SOFT' ? 'rebooting' : 'rebooting_hard', to('active', POWER.RUNNING));
      return undefined;
    },
  },
  pause: { label: 'pause', record: 'pause', vmStates: ['active'], lock: true, run: (_c, deps, s) => void transition(deps, s, 'pausing', to('paused', POWER.PAUSED)) },
  unpause: { label: 'unpause', record: 'unpause', vmStates: ['paused'], lock: true, run: (_c, deps, s) => void transition(deps, s, 'unpausing', to('active', POWER.RUNNING)) },
  suspend: { label: 'suspend', record: 'suspend', vmStates: ['active'], lock: true, run: (_c, deps, s) => void transition(deps, s, 'suspending', to('suspended', POWER.SUSPENDED)) },
  resume: { label: 'resume', record: 'resume', vmStates: ['suspended'], lock: true, run: (_c, deps, s) => void transition(deps, s, 'resuming', to('active', POWER.RUNNING)) },
  lock: {
    label: 'lock', record: 'lock', taskStates: 'any', launched: false,
    run: (c, _deps, s, arg) => {
      const reason = arg && typeof arg === 'object' ? (arg as { locked_reason?: unknown }).locked_reason : undefined;
      if (reason !== undefined && !since(c, '2.73')) throw badRequest(`Invalid input for field/attribute lock. Value: ${JSON.stringify(arg)}. ${JSON.stringify(arg)} is not of type 'null'`);
      const who = c.get('identity');
      s.lockedBy = s.projectId === who.projectId ? 'owner' : 'admin';
      s.lockedReason = typeof reason === 'string' ? reason : null;
      return undefined;
    },
  },
  unlock: {
    label: 'unlock', record: 'unlock', taskStates: 'any', launched: false,
    run: (c, _deps, s) => {
      const who = c.get('identity');
      const expected = s.lockedBy === null || (s.lockedBy === 'owner') === (s.projectId === who.projectId);
      if (!expected && !who.isAdmin) throw forbidden("Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.");
      s.lockedBy = null;
      s.lockedReason = null;
      return undefined;
    },
  },
  shelve: {
    label: 'shelve', record: 'shelve', vmStates: ['active', 'stopped', 'paused', 'suspended'], lock: true,
    // Nova's default shelved_offload_time is 0: the compute offloads right after shelving, so
    // the server ends SHELVED_OFFLOADED (with no host), never resting in SHELVED.
    run: (_c, deps, s) => void transition(deps, s, 'shelving', to('shelved_offloaded', POWER.SHUTDOWN)),
  },
  shelveOffload: {
    label: 'shelveOffload', record: 'shelveOffload', vmStates: ['shelved'], lock: true,
    run: (_c, deps, s) => void transition(deps, s, 'shelving_offloading', to('shelved_offloaded', POWER.SHUTDOWN)),
  },
  unshelve: {
    label: 'unshelve', record: 'unshelve', vmStates: ['shelved', 'shelved_offloaded'], lock: true,
    run: (_c, deps, s, arg) => {
      const az = arg && typeof arg === 'object' ? (arg as { availability_zone?: unknown }).availability_zone : undefined;
      if (typeof az === 'string' && az !== computeHostZone(deps)) throw badRequest('The requested availability zone is not available');
      // Unshelving an offloaded server spawns it again: unshelving, then spawning, then ACTIVE.
      transition(deps, s, 'unshelving', (x) => {
        x.taskState = 'spawning';
        deps.state.later(() => {
          if (x.taskState !== 'spawning') return;
          x.taskState = null;
          to('active', POWER.RUNNING)(x);
          touch(x);
        });
      });
      return undefined;
    },
  },
  resize: {
    label: 'resize', record: 'resize', vmStates: ['active', 'stopped'], lock: true,
    run: (_c, deps, s, arg) => {
      const r = objectField({ resize: arg }, 'resize');
      const ref = requiredString(r, 'flavorRef', 'resize');
      const disk = diskConfig(r['OS-DCF:diskConfig'], s.diskConfig);
      const f = deps.state.flavors.get(ref.split('/').pop() ?? '');
      if (!f) throw badRequest(`Flavor ${ref} could not be found.`);
      if (f.id === s.flavor.id) throw badRequest('When resizing, instances must change flavor!');
      // Only an upsize needs quota headroom, as in Nova.
      enforceQuota(deps, s.projectId, { cores: f.vcpus - s.flavor.vcpus, ram: f.ram - s.flavor.ram });
      const from = { flavor: s.flavor, vmState: s.vmState, powerState: s.powerState };
      const migration = recordMigration(deps, s, f.id);
      transition(deps, s, 'resize_prep', (x) => {
        setMigration(migration, 'finished');
        x.resizeFrom = from;
        x.flavor = flavorSnapshot(f);
        x.diskConfig = disk;
        x.vmState = 'resized';
      });
      return undefined;
    },
  },
  confirmResize: {
    label: 'confirmResize', record: 'confirmResize', vmStates: ['resized'], lock: true,
    // 204 at once; the compute confirms afterwards, so VERIFY_RESIZE (no task state) lasts a
    // moment more before the server is ACTIVE again.
    run: (c, deps, s) => {
      const from = s.resizeFrom;
      deps.state.later(() => {
        if (s.vmState !== 'resized' || s.resizeFrom !== from) return;
        setMigration(lastMigration(deps, s.id), 'confirmed');
        s.vmState = from?.vmState ?? 'active';
        s.resizeFrom = null;
        s.updatedAt = isoSeconds();
      });
      return c.body(null, 204);
    },
  },
  revertResize: {
    label: 'revertResize', record: 'revertResize', vmStates: ['resized'], lock: true,
    run: (_c, deps, s) => {
      const from = s.resizeFrom;
      transition(deps, s, 'resize_reverting', (x) => {
        setMigration(lastMigration(deps, s.id), 'reverted');
        if (from) {
          x.flavor = from.flavor;
          x.vmState = from.vmState;
          x.powerState = from.powerState;
        } else x.vmState = 'active';
        x.resizeFrom = null;
      });
      return undefined;
    },
  },
  rebuild: {
    label: 'rebuild', record: 'rebuild', vmStates: ['active', 'stopped', 'error'], lock: true,
    run: (c, deps, s, arg) => {
      const r = objectField({ rebuild: arg }, 'rebuild');
      const ref = requiredString(r, 'imageRef', 'rebuild');
      const imageId = ref.split('/').pop() ?? '';
      if (!deps.images.get(imageId)) throw badRequest('Cannot find image for rebuild');
      if (typeof r.name === 'string') s.name = r.name;
      s.diskConfig = diskConfig(r['OS-DCF:diskConfig'], s.diskConfig);
      if (r.metadata !== undefined) s.metadata = stringMap(r.metadata, 'metadata');
      if (since(c, '2.19') && 'description' in r) s.description = (r.description as string | null) ?? null;
      if (since(c, '2.54') && 'key_name' in r) {
        // compute/api.py rebuild: the caller's keypair by name, KeypairNotFound → 400.
        if (typeof r.key_name === 'string' && !deps.state.keypairs.get(c.get('identity').userId)?.has(r.key_name)) throw badRequest('Invalid key_name provided.');
        s.keyName = (r.key_name as string | null) ?? null;
      }
      if (since(c, '2.57') && 'user_data' in r) s.userData = (r.user_data as string | null) ?? null;
      if (s.imageId) s.imageId = imageId;
      const pass = typeof r.adminPass === 'string' ? r.adminPass : randomBytes(9).toString('base64url');
      const prev = { vm: s.vmState, power: s.powerState };
      transition(deps, s, 'rebuilding', to(prev.vm === 'error' ? 'active' : prev.vm, prev.vm === 'error' ? POWER.RUNNING : prev.power));
      const view = showServer(c, s, { ...updateViewOptions(c), showKeypair: since(c, '2.54'), showUserData: false });
      view.adminPass = pass;
      if (since(c, '2.57')) view.user_data = s.userData;
      return c.json({ server: view }, 202);
    },
  },
  createImage: {
    label: 'createImage', record: 'createImage', vmStates: ['active', 'stopped', 'paused', 'suspended'],
    run: (c, deps, s, arg) => {
      const r = objectField({ createImage: arg }, 'createImage');
      const name = requiredString(r, 'name', 'createImage');
      const meta = r.metadata === undefined ? {} : stringMap(r.metadata, 'metadata');
      return snapshotAnswer(c, snapshot(deps, s, name, { image_type: 'snapshot', ...meta }));
    },
  },
  // createBackup: a snapshot with image_type backup; once it is active, the instance's backups
  // of that backup_type beyond `rotation` are deleted, oldest first (compute manager
  // _rotate_backups).
  createBackup: {
    label: 'createBackup', record: 'createBackup', vmStates: ['active', 'stopped', 'paused', 'suspended'],
    run: (c, deps, s, arg) => {
      const r = objectField({ createBackup: arg }, 'createBackup');
      const name = requiredString(r, 'name', 'createBackup');
      const backupType = requiredString(r, 'backup_type', 'createBackup');
      const rotation = Number(r.rotation);
      if (r.rotation === undefined || !Number.isInteger(rotation) || rotation < 0) throw badRequest(`Invalid input for field/attribute rotation. Value: ${JSON.stringify(r.rotation ?? null)}.`);
      const meta = r.metadata === undefined ? {} : stringMap(r.metadata, 'metadata');
      const id = snapshot(deps, s, name, { image_type: 'backup', backup_type: backupType, ...meta }, () => {
        const mine = [...deps.images.images.values()]
          .filter((i) => i.properties.instance_uuid === s.id && i.properties.image_type === 'backup' && i.properties.backup_type === backupType)
          // Newest first; Glance shows whole seconds, so ties go by creation (the store's order).
          .reverse()
          .sort((x, y) => y.created_at.localeCompare(x.created_at));
        for (const old of mine.slice(rotation)) deps.images.images.delete(old.id);
      });
      return snapshotAnswer(c, id);
    },
  },
  changePassword: {
    label: 'changePassword', record: 'changePassword', vmStates: ['active'], lock: true,
    run: (_c, deps, s, arg) => {
      s.adminPass = requiredString(objectField({ changePassword: arg }, 'changePassword'), 'adminPass', 'changePassword');
      transition(deps, s, 'updating_password', () => undefined);
      return undefined;
    },
  },
  rescue: {
    label: 'rescue', record: 'rescue', vmStates: ['active', 'stopped', 'error'], lock: true,
    run: (c, deps, s, arg) => {
      const given = arg && typeof arg === 'object' ? (arg as { adminPass?: unknown }).adminPass : undefined;
      const pass = typeof given === 'string' ? given : randomBytes(9).toString('base64url');
      transition(deps, s, 'rescuing', to('rescued', POWER.RUNNING));
      return c.json({ adminPass: pass }, 200);
    },
  },
  unrescue: { label: 'unrescue', record: 'unrescue', vmStates: ['rescued'], lock: true, run: (_c, deps, s) => void transition(deps, s, 'unrescuing', to('active', POWER.RUNNING)) },
  'os-resetState': {
    label: 'os-resetState', adminRule: 'os_compute_api:os-admin-actions:reset_state', taskStates: 'any', launched: false,
    run: (_c, _deps, s, arg) => {
      const state = (arg as { state?: unknown } | null)?.state;
      if (state !== 'active' && state !== 'error') {
        throw badRequest(`Invalid input for field/attribute state. Value: ${JSON.stringify(state ?? null)}. ${JSON.stringify(state ?? null)} is not one of ['active', 'error']`);
      }
      s.vmState = state;
      s.taskState = null;
      s.updatedAt = isoSeconds();
      return undefined;
    },
  },
  forceDelete: {
    label: 'forceDelete', record: 'delete', taskStates: 'any', launched: false, lock: true,
    run: (_c, deps, s) => {
      destroy(deps, s.id);
      return undefined;
    },
  },
  restore: { label: 'restore', record: 'restore', vmStates: ['soft_deleted'], lock: true, run: (_c, _d, s) => void to('active', POWER.RUNNING)(s) },
  'os-getConsoleOutput': {
    label: 'get_console_output', taskStates: 'any', launched: false,
    run: (c, _deps, s, arg) => {
      const len = (arg as { length?: unknown } | null)?.length;
      let lines = consoleLines(s);
      if (len !== undefined && len !== null) {
        const n = Number(len);
        if (!Number.isInteger(n) || n < -1) throw badRequest(`Invalid input for field/attribute length. Value: ${JSON.stringify(len)}. ${JSON.stringify(len)} is not valid under any of the given schemas`);
        if (n >= 0) lines = lines.slice(Math.max(0, lines.length - n));
      }
      return c.json({ output: lines.join('\n') }, 200);
    },
  },
  addSecurityGroup: {
    label: 'addSecurityGroup', taskStates: 'any', launched: false,
    run: (_c, _deps, s, arg) => {
      const name = requiredString(objectField({ addSecurityGroup: arg }, 'addSecurityGroup'), 'name', 'addSecurityGroup');
      if (s.securityGroups.includes(name)) throw badRequest(`Security group ${name} is already associated with the instance ${s.id}`);
      s.securityGroups.push(name);
      return undefined;
    },
  },
  removeSecurityGroup: {
    label: 'removeSecurityGroup', taskStates: 'any', launched: false,
    run: (_c, _deps, s, arg) => {
      const name = requiredString(objectField({ removeSecurityGroup: arg }, 'removeSecurityGroup'), 'name', 'removeSecurityGroup');
      if (!s.securityGroups.includes(name)) throw badRequest(`Security group ${name} not associated with the instance ${s.id}`);
      s.securityGroups = s.securityGroups.filter((g) => g !== name);
      return undefined;
    },
  },
};

function conflictReboot(s: SimServer, attr: string, state: string | null) {
  return conflict(`Cannot 'reboot' instance ${s.id} while it is in ${attr} ${state}`);
}
