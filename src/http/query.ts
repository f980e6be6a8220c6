/**
 * Query-string parsing shared by every listener and the fan-out: integers (`limit`, numeric
 * markers), booleans and sort directions. Only the mechanics live here; the words of each 400
 * come from the caller, because every API words these faults its own way (the wordings are
 * side by side in api/common/query.ts).
 */
import { badRequest } from './errors';

/** How one API spells an integer query parameter and words the 400 for a bad one. */
export interface IntRule {
  /** Accepted spellings, tested on the raw value. */
  pattern: RegExp;
  /** The 400 message for a value that does not match `pattern`. */
  invalid(raw: string): string;
  /** The smallest value accepted, and the 400 message below it (`invalid` when absent). */
  min?: number;
  belowMin?(raw: string): string;
}

/** `raw` as an integer under `rule`; a 400 in the rule's words otherwise. */
export function parseInteger(raw: string, rule: IntRule): number {
  if (!rule.pattern.test(raw)) throw badRequest(rule.invalid(raw));
  const n = Number(raw);
  if (rule.min !== undefined && n < rule.min) throw badRequest((rule.belowMin ?? rule.invalid)(raw));
  return n;
}

export interface PageLimit {
  /** Items to return: the caller's `limit` capped at `maxLimit`, or `maxLimit`. */
  limit: number;
  /** The caller gave `limit`. */
  given: boolean;
}

/** The page size of a list: `limit` under `rule`, capped at `[api] max_limit`. */
export function parseLimit(raw: string | null | undefined, rule: IntRule, maxLimit: number): PageLimit {
  if (raw === null || raw === undefined) return { limit: maxLimit, given: false };
  return { limit: Math.min(parseInteger(raw, rule), maxLimit), given: true };
}

export type SortDir = 'asc' | 'desc';

/** A sort direction exactly as given; anything but `asc`/`desc` is a 400 worded by `invalid`. */
export function parseSortDir(raw: string, invalid: (d: string) => string): SortDir {
  if (raw !== 'asc' && raw !== 'desc') throw badRequest(invalid(raw));
  return raw;
}

/** oslo.utils strutils TRUE_STRINGS and FALSE_STRINGS, the words Nova and Cinder read as booleans. */
export const TRUE_STRINGS: readonly string[] = ['1', 't', 'true', 'on', 'y', 'yes'];
export const FALSE_STRINGS: readonly string[] = ['0', 'f', 'false', 'off', 'n', 'no'];

/**
 * oslo's `bool_from_string`: true or false for one of its words (any case, surrounding space
 * ignored), undefined for anything else — the caller decides between a default and a 400.
 */
export function boolFromString(raw: string): boolean | undefined {
  const s = raw.trim().toLowerCase();
  if (TRUE_STRINGS.includes(s)) return true;
  if (FALSE_STRINGS.includes(s)) return false;
  return undefined;
}
