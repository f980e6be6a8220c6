// Action preconditions and state transitions shared by the action table and dispatcher.
// Nova's check_instance_state defaults task_state to [None] and must_have_launched to true.
import { conflict, type NovaContext } from './context';
import type { NovaDeps } from './deps';
import { touch } from './server-lookup';
import type { SimServer } from './state';

export interface ActionSpec {
  /** Name Nova uses in its 409 message (e.g. 'start' for os-start). */
  label: string;
  /** Instance action recorded in os-instance-actions; none when absent. */
  record?: string;
  /** Allowed vm_states; undefined = any. */
  vmStates?: string[];
  /** Allowed task_states; undefined = [null] (Nova's default); 'any' = no check. */
  taskStates?: (string | null)[] | 'any';
  lock?: boolean;
  /** Policy rule name when admin-only. */
  adminRule?: string;
  /** Server must have been launched (Nova's must_have_launched, default true). */
  launched?: boolean;
  /** Does the work; returns a Response for a body, undefined for an empty 202. */
  run(c: NovaContext, deps: NovaDeps, s: SimServer, arg: unknown): Response | undefined | Promise<Response | undefined>;
}

export function checkState(spec: ActionSpec, s: SimServer): void {
  if (spec.vmStates && !spec.vmStates.includes(s.vmState)) {
    throw conflict(`Cannot '${spec.label}' instance ${s.id} while it is in vm_state ${s.vmState}`);
  }
  const tasks = spec.taskStates ?? [null];
  if (tasks !== 'any' && !tasks.includes(s.taskState)) {
    throw conflict(`Cannot '${spec.label}' instance ${s.id} while it is in task_state ${s.taskState}`);
  }
  if ((spec.launched ?? true) && s.launchedAt === null && spec.vmStates !== undefined) {
    throw conflict(`Cannot '${spec.label}' instance ${s.id} while it is in launched_at None`);
  }
}

/** Set a task state now and finish after the transition delay (if nothing changed meanwhile). */
export function transition(deps: NovaDeps, s: SimServer, task: string, finish: (s: SimServer) => void): void {
  s.taskState = task;
  touch(s);
  deps.state.later(() => {
    if (s.taskState !== task) return;
    s.taskState = null;
    finish(s);
    touch(s);
  });
}

