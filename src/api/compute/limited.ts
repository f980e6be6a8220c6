/**
 * Nova's `common.limited` (nova/api/openstack/common.py): the `offset` and `limit` of a list Nova
 * pages by position, not by marker (server groups, the volume proxy). Both are non-negative
 * integers; `limit` is capped at `[api] max_limit`.
 */
import { badRequest } from '../../http';

export function limited<T>(maxLimit: number, params: URLSearchParams, items: T[]): T[] {
  const int = (name: string): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) throw badRequest(`Invalid input for query parameters ${name}. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`);
    return Number(raw);
  };
  const offset = int('offset') ?? 0;
  const limit = Math.min(int('limit') ?? maxLimit, maxLimit);
  return items.slice(offset, offset + limit);
}
