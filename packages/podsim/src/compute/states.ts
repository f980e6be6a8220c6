// Server status from (vm_state, task_state), copied in spirit from nova/api/openstack/
// common.py _STATE_MAP, plus the reverse lookup used by the `status` list filter.

const STATE_MAP: Record<string, Record<string, string>> = {
  active: {
    default: 'ACTIVE',
    rebooting: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    updating_password: 'PASSWORD',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
    migrating: 'MIGRATING',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
  },
  building: { default: 'BUILD' },
  stopped: {
    default: 'SHUTOFF',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
  },
  resized: { default: 'VERIFY_RESIZE', resize_reverting: 'REVERT_RESIZE' },
  paused: { default: 'PAUSED', migrating: 'MIGRATING' },
  suspended: { default: 'SUSPENDED' },
  rescued: { default: 'RESCUE' },
  error: { default: 'ERROR', rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD', rebuild_spawning: 'REBUILD' },
  deleted: { default: 'DELETED' },
  soft_deleted: { default: 'SOFT_DELETED' },
  shelved: { default: 'SHELVED' },
  shelved_offloaded: { default: 'SHELVED_OFFLOADED' },
};

export function statusFromState(vmState: string, taskState: string | null): string {
  const m = STATE_MAP[vmState];
  if (!m) return 'UNKNOWN';
  return (taskState !== null ? m[taskState] : undefined) ?? m.default;
}

/**
 * vm_states (and task_states, 'default' meaning "any") a list of statuses maps to.
 * Empty vmStates means no status matched (Nova: 400 from 2.38, empty list before).
 */
export function statesFromStatuses(statuses: string[]): { vmStates: Set<string>; taskStates: Set<string> } {
  const wanted = new Set(statuses.map((s) => s.toLowerCase()));
  const vmStates = new Set<string>();
  const taskStates = new Set<string>();
  for (const [vm, tasks] of Object.entries(STATE_MAP)) {
    for (const [task, status] of Object.entries(tasks)) {
      if (wanted.has(status.toLowerCase())) {
        vmStates.add(vm);
        taskStates.add(task);
      }
    }
  }
  return { vmStates, taskStates };
}

/** True when a server in (vm, task) passes a status filter built by statesFromStatuses. */
export function matchesStatusFilter(vm: string, task: string | null, f: ReturnType<typeof statesFromStatuses>): boolean {
  if (!f.vmStates.has(vm)) return false;
  if (f.taskStates.has('default')) return true;
  return task !== null && f.taskStates.has(task);
}
