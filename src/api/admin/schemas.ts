/**
 * Admin request bodies. Types are checked here (wrong type → 400 naming the field); the original's
 * semantic rules (empty names → 422, conflicts → 409) live in the handlers, in the order the
 * original checked them in.
 */
import * as v from 'valibot';

const trimmed = v.pipe(v.string(), v.trim(), v.maxLength(255));
const url = v.pipe(v.string(), v.trim(), v.url('must be an http(s) URL'), v.regex(/^https?:\/\//, 'must be an http(s) URL'), v.maxLength(512));

export const PodEndpointsSchema = v.strictObject({
  compute: v.optional(url),
  volumev3: v.optional(url),
  image: v.optional(url),
});

export const PodCreateSchema = v.object({
  pod: v.object({
    pod_name: v.optional(trimmed, ''),
    az_name: v.optional(trimmed, ''),
    pod_az_name: v.optional(trimmed, ''),
    dc_name: v.optional(trimmed, ''),
    enabled: v.optional(v.boolean(), true),
    endpoints: v.optional(v.nullable(PodEndpointsSchema)),
  }),
});

export const PodUpdateSchema = v.object({
  pod: v.strictObject({
    pod_name: v.optional(trimmed),
    az_name: v.optional(trimmed),
    pod_az_name: v.optional(trimmed),
    dc_name: v.optional(trimmed),
    enabled: v.optional(v.boolean()),
    endpoints: v.optional(v.nullable(PodEndpointsSchema)),
  }),
});

export const BindingCreateSchema = v.object({
  pod_binding: v.object({
    tenant_id: v.optional(trimmed, ''),
    pod_id: v.optional(trimmed, ''),
  }),
});

/** A body must be a JSON object holding `key`; the original answered 400 for its absence. */
export function hasKey(body: unknown, key: string): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && key in body;
}
