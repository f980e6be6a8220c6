/**
 * Links users receive point at the gateway's own public URL, never at a pod (users may not reach
 * pods). The base is `[<api>] public_url` when configured, else the request's own origin.
 */
import type { Context } from 'hono';

export function publicBase(c: Context, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const proto = c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '');
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? new URL(c.req.url).host;
  return `${proto}://${host}`;
}
