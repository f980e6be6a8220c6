/**
 * Asks the sqld primary, over HTTP and without blocking, whether a replica could sync now.
 *
 * Why this exists: libsql's `sync()` and `createClient({ syncUrl })` are synchronous native
 * calls. With the primary down, `sync()` blocks the whole event loop for ~3 s before failing
 * with `Replication(PrimaryHandshakeTimeout)`, and a wrong token fails the same way, after the
 * same 3 s, never as a 401. So every sync and every attach is preceded by
 * this probe: one Hrana pipeline that only closes its stream, sent with the replica's token.
 * It answers in about a millisecond, and tells "unreachable" from "token refused".
 */

export type ProbeResult =
  | { ok: true }
  | { ok: false; reason: 'unreachable' | 'unauthorized' | 'error'; message: string };

/** A pipeline that opens no state on the primary: its only request closes the stream. */
const PROBE_BODY = JSON.stringify({ requests: [{ type: 'close' }] });

/** `http://user:pw@host:port/path?x` → `http://host:port` (for logs and status, never credentials). */
export function describePrimary(syncUrl: string): string {
  try {
    const u = new URL(syncUrl.replace(/^libsql:/, 'https:'));
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid sync_url)';
  }
}

/** The HTTP base of a sync URL: `libsql://` means HTTPS, as in @libsql/client. */
function httpBase(syncUrl: string): string {
  return syncUrl.replace(/^libsql:/, 'https:').replace(/^ws:/, 'http:').replace(/^wss:/, 'https:').replace(/\/+$/, '');
}

/**
 * One probe of the primary.
 * @param timeoutMs deadline of the whole exchange
 * @example if ((await probePrimary(url, token, 1000)).ok) client.sync();
 */
export async function probePrimary(syncUrl: string, authToken: string | undefined, timeoutMs: number): Promise<ProbeResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authToken) headers.authorization = `Bearer ${authToken}`;
  let res: Response;
  try {
    res = await fetch(`${httpBase(syncUrl)}/v2/pipeline`, { method: 'POST', headers, body: PROBE_BODY, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? String(err));
    return { ok: false, reason: 'unreachable', message: `primary ${describePrimary(syncUrl)} unreachable: ${why}` };
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { ok: true };
  if (res.status === 401 || res.status === 403) {
    return {
      ok: false,
      reason: 'unauthorized',
      message: `primary ${describePrimary(syncUrl)} refused the replica's token (HTTP ${res.status}: ${text.slice(0, 120)}); check [database] auth_token against the primary's --auth-jwt-key-file`,
    };
  }
  return { ok: false, reason: 'error', message: `primary ${describePrimary(syncUrl)} answered HTTP ${res.status}: ${text.slice(0, 120)}` };
}
