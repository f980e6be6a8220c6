/**
 * The `group` scheduler hint of server create (`os:scheduler_hints` or its legacy name
 * `OS-SCH-HNT:scheduler_hints`): Nova makes the new server a member of the group and applies its
 * policy, which only the group's own pod can do. So the server goes to the group's pod, whatever
 * the tenant's bindings say; asking for another AZ than that pod's is a 400 before any pod is
 * contacted (there is no cross-pod group), and so is a group the gateway does not route (Nova's
 * 400 for an unknown group, `InstanceGroupNotFound`).
 */
import { badRequest } from '../../http';
import type { Placement } from '../../scheduling';
import type { ComputeDeps } from './deps';

const HINT_KEYS = ['os:scheduler_hints', 'OS-SCH-HNT:scheduler_hints'] as const;

/** The group the create names, if any (the body is otherwise the pod's to validate). */
function groupOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  for (const key of HINT_KEYS) {
    const hints = Object.hasOwn(body, key) ? (body as Record<string, unknown>)[key] : undefined;
    if (!hints || typeof hints !== 'object' || !Object.hasOwn(hints, 'group')) continue;
    const group = (hints as Record<string, unknown>).group;
    // Nova's schema allows one uuid string (a list of one from 2.x clients is its to refuse).
    if (typeof group === 'string') return group;
  }
  return undefined;
}

/**
 * Where a create with a `group` hint must go, or undefined when it names none.
 * @param az the top AZ the create asked for ('' = none)
 * @param caller the create's project, and whether the caller is an admin
 */
export async function groupPlacement(deps: ComputeDeps, body: unknown, az: string, caller: { projectId: string; isAdmin: boolean }): Promise<Pick<Placement, 'pod' | 'podAz'> | undefined> {
  const group = groupOf(body);
  if (group === undefined) return undefined;
  const route = await deps.routes.lookup(group, 'server_group');
  const pod = route && (await deps.podDir.get(route.pod_id));
  // Another project's group is as unknown as a missing one (its AZ is not the caller's to learn).
  if (!route || !pod || (route.project_id !== caller.projectId && !caller.isAdmin)) throw badRequest(`Instance group ${group} could not be found.`);
  if (az !== '' && az !== pod.az_name) {
    throw badRequest(`Server group ${group} is in availability zone ${pod.az_name}; its members cannot be created in availability zone ${az}.`);
  }
  return { pod, podAz: pod.pod_az_name };
}
