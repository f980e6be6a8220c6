/**
 * Request bodies in Cinder's words: `{"volume": {...}}`-style members, required ids, and
 * Cinder's messages for what is missing (cinder/api/openstack/wsgi.py assert_valid_body).
 */
import type { Context } from 'hono';
import { badRequest, readJson } from '../../http';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the body and its `key` member; 400 "Missing required element" when absent. */
export async function readMember(c: Context, key: string): Promise<{ body: Json; member: Json }> {
  const body = await readJson(c);
  if (!isObject(body) || !isObject(body[key])) throw badRequest(`Missing required element '${key}' in request body.`);
  return { body, member: body[key] as Json };
}

/** A required string field of a member (jsonschema's wording, as Cinder's validators answer). */
export function requiredString(member: Json, field: string): string {
  const v = member[field];
  if (typeof v !== 'string' || v === '') {
    throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v ?? null)}. '${field}' is a required property`);
  }
  return v;
}

/** An optional string field; present but not a string is a 400. */
export function optionalString(member: Json, field: string): string | undefined {
  const v = member[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'string'`);
  return v;
}
