// Request recording: buffer the body once, keep a plain-data copy for assertions
// (SimRequest), and hand the services an equivalent Request that can still be read.
import type { SimRequest } from './service-env';

/** Record one request; `forward` replaces the consumed original. */
export async function recordRequest(req: Request): Promise<{ record: SimRequest; forward: Request }> {
  const url = new URL(req.url);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== null;
  const bytes = hasBody ? new Uint8Array(await req.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    headers[k] = v;
  });
  const query: Record<string, string | string[]> = {};
  for (const k of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(k);
    query[k] = all.length === 1 ? all[0] : all;
  }
  const record: SimRequest = { method: req.method, path: url.pathname, query, headers, body: decodeBody(bytes, headers['content-type']) };
  // Bodiless requests are passed on untouched (cheaper; the hot path of benchmarks).
  if (!bytes) return { record, forward: req };
  const forward = new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: bytes && bytes.length > 0 ? bytes : undefined,
  });
  return { record, forward };
}

function decodeBody(bytes: Uint8Array | undefined, contentType: string | undefined): unknown {
  if (!bytes || bytes.length === 0) return null;
  const text = new TextDecoder().decode(bytes);
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
