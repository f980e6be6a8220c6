// Small request validators with Nova's JSON-schema style messages.
import { isIPv4, isIPv6 } from 'node:net';
import { badRequest } from './context';

/** A metadata-like map: string keys 1-255 chars, string values up to 255 chars. */
export function stringMap(v: unknown, field: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'object'`);
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.length < 1 || k.length > 255) {
      throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. Additional properties are not allowed ('${k}' was unexpected)`);
    }
    if (typeof val !== 'string' || val.length > 255) {
      throw badRequest(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(val)}. ${JSON.stringify(val)} is not of type 'string'`);
    }
    out[k] = val;
  }
  return out;
}

/** The single top-level key of an action-style body ({"pause": null}). */
export function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = body[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v ?? null)}. ${JSON.stringify(v ?? null)} is not of type 'object'`);
  }
  return v as Record<string, unknown>;
}

export function requiredString(obj: Record<string, unknown>, key: string, parent: string): string {
  const v = obj[key];
  if (v === undefined) {
    throw badRequest(`Invalid input for field/attribute ${parent}. Value: ${JSON.stringify(obj)}. '${key}' is a required property`);
  }
  if (typeof v !== 'string' || v.length === 0) {
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'string'`);
  }
  return v;
}

/** oslo strutils truthy/falsy words, as Nova's parameter_types.boolean accepts them. */
const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

/**
 * A boolean field that Nova's schema lets clients send as a string ("False", "yes", "0").
 * @returns undefined when absent
 */
export function booleanLike(v: unknown, field: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  const word = typeof v === 'string' ? v.toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.includes(word)) return true;
  if (word !== undefined && FALSE_WORDS.includes(word)) return false;
  throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'boolean', 'string'`);
}

/**
 * accessIPv6 as Nova stores it: validated, then compacted by netaddr (RFC 5952), so
 * '0000:...:babe:220.12.22.2' reads back as '::babe:dc0c:1602'. Absent or '' stays ''.
 */
export function accessIPv6(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !isIPv6(v)) {
    throw badRequest(`Invalid input for field/attribute accessIPv6. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not a 'ipv6'`);
  }
  // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 form.
  return new URL(`http://[${v}]/`).hostname.slice(1, -1);
}

/** accessIPv4 as Nova's schema takes it: an IPv4 address or ''. */
export function accessIPv4(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !isIPv4(v)) {
    throw badRequest(`Invalid input for field/attribute accessIPv4. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not a 'ipv4'`);
  }
  return v;
}

/**
 * OS-DCF:diskConfig (AUTO or MANUAL); `fallback` when absent. Nova keeps the server's value
 * across rebuild and resize unless the request names one.
 */
export function diskConfig(v: unknown, fallback: 'AUTO' | 'MANUAL'): 'AUTO' | 'MANUAL' {
  if (v === undefined) return fallback;
  if (v === 'AUTO' || v === 'MANUAL') return v;
  throw badRequest(`Invalid input for field/attribute OS-DCF:diskConfig. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not one of ['AUTO', 'MANUAL']`);
}
