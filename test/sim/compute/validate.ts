// Small request validators with Nova's JSON-schema style messages.
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
