/**
 * Paging, boolean and sort parameters in each API's own words. The parsing is one piece of code
 * (src/http/query.ts); what differs between the APIs — which spellings pass and how the 400
 * reads — is the dialect below. Clients and Tempest compare these messages, so each one is the
 * service's own and none is shared across services.
 */
import type { Context } from 'hono';
import { badRequest, boolFromString, parseLimit, parseSortDir, type IntRule, type SortDir } from '../../http';

/** How one API spells and words its query parameters. */
export interface QueryDialect {
  /** `limit` of the lists the API answers itself. */
  limit: IntRule;
  /** The 400 message for a sort direction that is neither `asc` nor `desc`. */
  sortDir(d: string): string;
  /** The 400 message for a boolean parameter that is not one of oslo's words. */
  bool(name: string, raw: string): string;
}

const novaBadLimit = (raw: string) => `Invalid input for query parameters limit. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`;

/**
 * Nova: `limit` must match its schema (parameter_types.non_negative_integer); a bad `sort_dir`
 * is an enum error; a bad boolean filter reads "Invalid <name> filter [<value>]" (flavors.py).
 */
export const NOVA_QUERY: QueryDialect = {
  limit: { pattern: /^[0-9]+$/, invalid: novaBadLimit },
  sortDir: (d) => `Invalid input for query parameters sort_dir. Value: ${d}. '${d}' is not one of ['asc', 'desc']`,
  bool: (name, raw) => `Invalid ${name} filter [${raw}]`,
};

/**
 * `limit` of the lists merged across pods (servers, volumes, snapshots, backups): Nova's words,
 * surrounding space ignored as Python's int() ignores it.
 */
export const FANOUT_LIMIT: IntRule = { pattern: /^\s*[0-9]+\s*$/, invalid: novaBadLimit };

/**
 * Cinder: `limit` is int() then checked for sign (cinder/api/common.py _get_limit_param); the
 * sort direction and boolean words are those of cinder.db process_sort_params and
 * types_manage.py.
 */
export const CINDER_QUERY: QueryDialect = {
  limit: { pattern: /^-?\d+$/, invalid: () => 'limit param must be an integer', min: 0, belowMin: () => 'limit param must be positive' },
  sortDir: () => "Unknown sort direction, must be 'desc' or 'asc'.",
  bool: (name, raw) => `Invalid value '${raw}' for ${name}. Accepted values: True or False.`,
};

/** The admin API's integers: `limit` (0 allowed), markers and routing ids (positive). */
export function adminInt(name: string, allowZero = false): IntRule {
  const invalid = (raw: string) => `Invalid ${name}: ${raw} must be a ${allowZero ? 'non-negative' : 'positive'} integer`;
  return { pattern: /^\d+$/, invalid, min: allowZero ? 0 : 1 };
}

/** The admin API (Trio2o's own, no sorting): `limit` is a non-negative integer; booleans are oslo's words. */
export const ADMIN_QUERY: Pick<QueryDialect, 'limit' | 'bool'> = {
  limit: adminInt('limit', true),
  bool: (name, raw) => `Invalid value for ${name}: ${raw} is not a boolean`,
};

export interface Page {
  /** Items to return: `limit` capped at `[api] max_limit`. */
  limit: number;
  /** The caller gave `limit`. */
  limitGiven: boolean;
  /** The caller's `marker`, as given. */
  marker?: string;
}

/** `limit` and `marker` of a list request, `limit` checked under `rule`. */
export function pageParams(params: URLSearchParams, rule: IntRule, maxLimit: number): Page {
  const { limit, given } = parseLimit(params.get('limit'), rule, maxLimit);
  return { limit, limitGiven: given, marker: params.get('marker') ?? undefined };
}

/** The request's query parameters. */
export function queryOf(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** A sort direction in the dialect's words (not trimmed: callers that trim do so first). */
export function sortDirection(raw: string, dialect: Pick<QueryDialect, 'sortDir'>): SortDir {
  return parseSortDir(raw, dialect.sortDir);
}

/** A boolean query parameter: one of oslo's words, else a 400 in the dialect's words. */
export function queryBool(raw: string, name: string, dialect: Pick<QueryDialect, 'bool'>): boolean {
  const b = boolFromString(raw);
  if (b === undefined) throw badRequest(dialect.bool(name, raw));
  return b;
}

/** Nova's and Cinder's `is_none_string`: `None` in any case means "no filter". */
export function isNoneString(raw: string): boolean {
  return raw.toLowerCase() === 'none';
}
