/**
 * The list request as the fan-out reads it: page size, marker, sort plan, filters, scope.
 * Parsing happens once, before any pod is asked, so a malformed request costs no pod call.
 */
import type { Context } from 'hono';
import { boolFromString, parseLimit, type GatewayEnv } from '../http';
import type { SortKey } from './sort';
import type { FanoutSpec } from './types';

/** Query parameters the gateway owns; the rest are filters passed to the pods. */
const PAGING = ['limit', 'marker'] as const;

export interface ListRequest {
  /** The request's own query parameters. */
  params: URLSearchParams;
  /** Items to return: min(limit, max_limit). */
  limit: number;
  /** The caller gave `limit` (Nova's 2.69 rule treats any paging as "paging"). */
  limitGiven: boolean;
  marker?: string;
  /** The total order, tie-breaker included. */
  plan: SortKey[];
  /** Filters for the pods: every parameter but paging and sorting (AZ still in, rewritten per pod). */
  filters: [string, string][];
  /** Admin asking for every project (`all_tenants`). */
  allTenants: boolean;
  projectId: string;
  /** Identity of the list for the cursor cache: scope, type, filters and order. */
  signature: string;
}

export function parseListRequest(c: Context<GatewayEnv>, spec: FanoutSpec, maxLimit: number): ListRequest {
  const params = new URL(c.req.url).searchParams;
  const { limit, given: limitGiven } = parseLimit(params.get('limit'), spec.limit, maxLimit);
  const marker = params.get('marker') ?? undefined;
  if (marker !== undefined && marker.trim() === '') throw spec.markerNotFound(marker);
  const plan = spec.sort.plan(params);
  const owned = new Set<string>([...PAGING, ...spec.sort.params]);
  const filters = [...params].filter(([k]) => !owned.has(k));
  const auth = c.get('auth');
  const at = params.get('all_tenants');
  // Any value but one of oslo's false words asks for every project.
  const allTenants = auth.isAdmin && at !== null && boolFromString(at) !== false;
  const projectId = c.get('projectId');
  const canonical = [...filters].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const signature = JSON.stringify([spec.resourceType, projectId, allTenants, canonical, plan]);
  return { params, limit, limitGiven, marker, plan, filters, allTenants, projectId, signature };
}
