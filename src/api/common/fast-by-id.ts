/**
 * A by-id route a listener may serve below the framework (server/fast-path.ts): requests to one
 * resource by its routed id that the API's own handler forwards to the owning pod unchanged. The
 * API declares it next to its route table, with the same by-id options its handler uses, so both
 * paths forward the same way; everything the declaration does not cover takes the route table.
 */
import type { AuthenticateOptions } from '../../auth';
import type { MicroversionSpec } from '../../http';
import type { ByIdOptions, RoutedDeps } from '../../proxy';
import type { RouteRow } from './route-table';

export interface FastByIdRoute {
  /** The version segment the API is mounted under: `/v2.1`, `/v3`. */
  versionPrefix: string;
  /** The by-id options of the API's handler (type, collection, transform, routing events). */
  byId: Required<Pick<ByIdOptions, 'type' | 'service' | 'collection'>> & Pick<ByIdOptions, 'transform' | 'events'>;
  /**
   * Whether `POST …/{id}/action` naming `action` (the body's one key) is forwarded as sent: no
   * hook of the handler reads or changes it, before or after the pod answers.
   */
  passThroughAction(action: string): boolean;
  /** The API's route table: its literal segments are never taken for a project or an id. */
  rows: readonly RouteRow[];
  spec: MicroversionSpec;
  auth: AuthenticateOptions;
  deps: RoutedDeps;
  versionsReady?: () => Promise<void> | undefined;
}

/**
 * Path segments a project id or a resource id of the fast route must not be, because the route
 * table would send such a path elsewhere: every literal first segment of a row (the project-less
 * rows are matched first: `/v2.1/flavors/servers/x` is not a server), and every literal below the
 * collection (`/servers/detail`). Undefined when a row starts with a parameter or a wildcard:
 * then any path might be another row's, and no request takes the fast route.
 */
export function reservedSegments(rows: readonly RouteRow[], collection: string): { projects: Set<string>; ids: Set<string> } | undefined {
  const projects = new Set<string>();
  const ids = new Set<string>();
  for (const [, path] of rows) {
    const [first, second] = path.split('/').slice(1);
    if (first === undefined || first.startsWith(':') || first.includes('*')) return undefined;
    projects.add(first);
    if (first === collection && second !== undefined && !second.startsWith(':')) ids.add(second);
  }
  return { projects, ids };
}
