/** Calls to the admin API v1.0 for the CLI: JSON in and out, faults turned into `ApiCallError`. */
import type { Session } from './keystone';

/** The admin API refused (4xx/5xx) or could not be reached; the message is the fault's own. */
export class ApiCallError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

/** The `message` of a Nova-shaped fault (`{"conflictingRequest": {"code": 409, "message": ...}}`). */
function faultMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  for (const v of Object.values(body)) {
    if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') return (v as { message: string }).message;
  }
  return undefined;
}

export class AdminClient {
  constructor(readonly session: Session) {}

  /**
   * @param path under `/v1.0`, e.g. `/pods` or `/routings?limit=5`
   * @returns the parsed JSON body, or undefined for an empty one
   */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.session.endpoint}/v1.0${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.session.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      const cause = (err as Error).cause;
      throw new ApiCallError(`cannot reach the admin API at ${this.session.endpoint}: ${cause instanceof Error ? cause.message : (err as Error).message}`, null);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 400) throw new ApiCallError(faultMessage(json) ?? `${method} ${path} answered ${res.status}`, res.status);
    return json as T;
  }

  /**
   * Every item of a paged list: follows `<key>_links` "next" until the last page, unless the
   * caller asked for one page (`limit` in the query).
   */
  async listAll<T>(path: string, key: string, onePage: boolean): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: Record<string, unknown> = await this.call('GET', next);
      items.push(...((page[key] as T[]) ?? []));
      const link = onePage ? undefined : (page[`${key}_links`] as { rel: string; href: string }[] | undefined)?.find((l) => l.rel === 'next');
      next = link ? new URL(link.href).pathname.replace(/^.*\/v1\.0/, '') + new URL(link.href).search : undefined;
    }
    return items;
  }
}
