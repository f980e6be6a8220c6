// Per-request context of the simulated Nova: who calls, at which microversion, and whether
// the URL carried a project segment (Nova puts it back into every link it returns).
import type { Context } from 'hono';
import type { SimIdentity } from '../service-env';
import { atLeast, type ApiVersion } from './microversion';

export interface NovaVariables {
  identity: SimIdentity;
  version: ApiVersion;
  urlProjectId: string | undefined;
  /** The pod's AZ, what OS-EXT-AZ:availability_zone shows. */
  az: string;
  /** x-openstack-request-id of this request (recorded in instance actions). */
  requestId: string;
}
export type NovaEnv = { Variables: NovaVariables };
export type NovaContext = Context<NovaEnv>;

/** Client-facing error: rendered as a Nova fault body by the app's onError. */
export class NovaError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'NovaError';
  }
}

export const badRequest = (msg: string) => new NovaError(400, msg);
export const forbidden = (msg: string) => new NovaError(403, msg);
export const notFound = (msg: string) => new NovaError(404, msg);
export const conflict = (msg: string) => new NovaError(409, msg);

/** Nova's fault names by status (nova/api/openstack/wsgi.py Fault._fault_names). */
export const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function faultBody(status: number, message: string): Record<string, { code: number; message: string }> {
  return { [FAULT_NAMES[status] ?? 'computeFault']: { code: status, message } };
}

/** Policy check with Nova's denial message. */
export function requireAdmin(c: NovaContext, rule: string): void {
  if (!c.get('identity').isAdmin) throw forbidden(`Policy doesn't allow ${rule} to be performed.`);
}

export const isAdmin = (c: NovaContext) => c.get('identity').isAdmin;
export const since = (c: NovaContext, v: string) => atLeast(c.get('version'), v);

/** Parse the JSON body; Nova answers 400 for a missing or malformed one. */
export async function jsonBody(c: NovaContext): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') throw badRequest('The request body is empty.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('Malformed request body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`Invalid input for field/attribute body. Value: ${text}. ${text} is not of type 'object'`);
  }
  return body as Record<string, unknown>;
}
