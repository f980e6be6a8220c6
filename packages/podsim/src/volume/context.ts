// Per-request helpers for the Cinder routes: the typed Hono env, the caller,
// links built from the request's own URL (as cinder.api.common.ViewBuilder
// does from request.application_url) and JSON body parsing with Cinder's
// "Malformed request body" answer.
import type { Context } from 'hono';
import { badRequest, policyDenied } from './faults';
import type { ApiVersion } from './microversion';
import { atLeast } from './microversion';
import type { SimIdentity } from './types';

export interface CinderVariables {
  identity: SimIdentity;
  apiVersion: ApiVersion;
  requestId: string;
}
export type CinderEnv = { Variables: CinderVariables };
export type Ctx = Context<CinderEnv>;

export interface Link {
  rel: string;
  href: string;
}

/** Project id from the URL ('/v3/{project_id}/...'); undefined for the 3.67 form without it. */
export function urlProject(c: Ctx): string | undefined {
  return c.req.param('project_id');
}

export function identity(c: Ctx): SimIdentity {
  return c.get('identity');
}

/** True when the negotiated microversion is at least `min`. */
export function mv(c: Ctx, min: string): boolean {
  return atLeast(c.get('apiVersion'), min);
}

export function requireAdmin(c: Ctx, action: string): void {
  if (!identity(c).isAdmin) throw policyDenied(action);
}

/** Origin plus the service prefix in front of '/v3' (e.g. 'http://h:1/volume'). */
export function serviceBase(c: Ctx): string {
  const url = new URL(c.req.url);
  const at = url.pathname.indexOf('/v3');
  const prefix = at >= 0 ? url.pathname.slice(0, at) : url.pathname.replace(/\/$/, '');
  return url.origin + prefix;
}

function projectSegment(c: Ctx): string {
  const pid = urlProject(c);
  return pid ? `${pid}/` : '';
}

/** self + bookmark links of one resource, as Cinder's _get_links. */
export function resourceLinks(c: Ctx, collection: string, id: string): Link[] {
  const base = serviceBase(c);
  const seg = projectSegment(c);
  return [
    { rel: 'self', href: `${base}/v3/${seg}${collection}/${id}` },
    { rel: 'bookmark', href: `${base}/${seg}${collection}/${id}` },
  ];
}

/** The 'next' link for a list page: the request's own query with marker set to the last id. */
export function nextLink(c: Ctx, collectionPath: string, lastId: string): Link {
  const params = new URL(c.req.url).searchParams;
  params.set('marker', lastId);
  return {
    rel: 'next',
    href: `${serviceBase(c)}/v3/${projectSegment(c)}${collectionPath}?${params.toString()}`,
  };
}

/** Parse the JSON body; Cinder answers 400 "Malformed request body" to anything else. */
export async function readBody(c: Ctx): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch (err) {
    throw badRequest('Malformed request body');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Malformed request body');
  }
  if (!isObject(parsed)) throw badRequest('Malformed request body');
  return parsed;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** jsonschema-style validation error text, as cinder.api.validation renders it. */
export function fieldError(field: string, value: unknown, reason: string) {
  return badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${reason}`);
}

/** The body's single top-level object under `key`, or a 400 naming the missing key. */
export function member(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = body[key];
  if (v === undefined) throw fieldError(key, body, `'${key}' is a required property`);
  if (!isObject(v)) throw fieldError(key, v, `${JSON.stringify(v)} is not of type 'object'`);
  return v;
}

/** Optional string field (null allowed), max 255 like Cinder's name/description schemas. */
export function optString(obj: Record<string, unknown>, key: string, max = 255): string | null | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw fieldError(key, v, `${JSON.stringify(v)} is not of type 'string', 'null'`);
  if (v.length > max) throw fieldError(key, v, `${JSON.stringify(v)} is too long`);
  return v;
}

/** A metadata object: string keys (1..255) to string values (<=255). */
export function metadataField(obj: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw fieldError(key, v, `${JSON.stringify(v)} is not of type 'object'`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.length === 0 || k.length > 255) throw fieldError(key, v, `'${k}' does not match any of the regexes`);
    if (typeof val !== 'string') throw fieldError(`${key}/${k}`, val, `${JSON.stringify(val)} is not of type 'string'`);
    if (val.length > 255) throw fieldError(`${key}/${k}`, val, `${JSON.stringify(val)} is too long`);
    out[k] = val;
  }
  return out;
}

/** Cinder's strutils.bool_from_string(strict=True) over JSON values. */
export function strictBool(field: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['1', 't', 'true', 'on', 'y', 'yes'].includes(s)) return true;
    if (['0', 'f', 'false', 'off', 'n', 'no'].includes(s)) return false;
  }
  throw fieldError(field, v, `${JSON.stringify(v)} is not of type 'boolean'`);
}
