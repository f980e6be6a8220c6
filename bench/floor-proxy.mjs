// The floor of a reverse proxy written in Node: node:http server → undici Pool (keep-alive) →
// upstream, the body read whole and written back (as the gateway does for a JSON answer it
// rewrites), no routing, no logging, no auth. What Node itself costs per forwarded request on
// this machine; the gateway cannot cost less.
//   node bench/floor-proxy.mjs PORT UPSTREAM_ORIGIN PATH_PREFIX
// Prints {"listening":PORT} when ready.
//
// FLOOR_VARIANT=<letters> moves the floor toward the gateway one choice at a time, each with the
// gateway's own code where it has one (loaded from src/ through tsx's scoped `tsImport`; module
// loading only, the request path runs plain JavaScript), the floor's request path otherwise
// unchanged (bench/request-anatomy.ts `FLOORS=`):
//   s  the gateway's abort signals: a CallSignal for the client's hang-up with a `close`
//      listener on the response, a second one for the call linked to it (listener added, and
//      removed when the pod's body closes), passed to undici as `signal` (src/server/fast-path.ts,
//      src/pods/forward.ts);
//   t  the gateway's timeouts: a deadline setTimeout per call cleared at response headers,
//      `headersTimeout`/`bodyTimeout` per request, and the body-read bound timer around `text()`
//      (src/pods/forward.ts, src/pods/pod-client.ts);
//   h  the gateway's headers toward the pod: the allow-list of src/pods/headers.ts over the
//      request's headers and a `req-<uuid>` request id (instead of the floor's fixed four);
//   p  the gateway's Pool: keepAliveTimeout 4 s, connectTimeout 10 s, the registry's connect /
//      disconnect / connectionError listeners, the pool looked up in a Map per request
//      (src/pods/pools.ts);
//   c  the gateway's answer headers, as the fast route writes them: the pod's headers copied
//      without hop-by-hop ones (src/pods/headers.ts `responseHeaders`), the passed ones picked,
//      the request id, the three microversion headers, content type and length, one
//      `writeHead(status, object)` and `end(text)` (src/server/fast-path.ts `finish`);
//   k  with c: the same headers set one by one with `setHeader`, then `writeHead(status)`;
//   u  the answer body as a Buffer instead of a string;
//   l  the access-log line: the gateway's logger (src/ops/log.ts: one JSON line per request,
//      written to stdout once per event-loop turn) with the fast route's fields;
//   d  the footprint: the gateway's code loaded and a full gateway (`serve --noauth`, its store in
//      $FLOOR_GATEWAY_DIR) started in this process on free ports and left idle.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

const [port, upstream, prefix = ''] = process.argv.slice(2);
const PASSED = ['content-type', 'x-compute-request-id'];
const V = process.env.FLOOR_VARIANT ?? '';
const SIGNALS = V.includes('s');
const TIMERS = V.includes('t');
const HEADERS = V.includes('h');
const POOL = V.includes('p');
const ANSWER = V.includes('c');
const SET_HEADER = V.includes('k');
const BUFFER = V.includes('u');
const LOG = V.includes('l');
const FOOTPRINT = V.includes('d');

/** The gateway's module at `path` (from the repository root), compiled by tsx for this import only. */
async function gatewayModule(path) {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(new URL(`../${path}`, import.meta.url).href, import.meta.url);
}

const { CallSignal } = SIGNALS ? await gatewayModule('src/pods/call-signal.ts') : {};
const { forwardRequestHeaders, responseHeaders } = HEADERS || ANSWER ? await gatewayModule('src/pods/headers.ts') : {};
const log = LOG ? (await gatewayModule('src/ops/log.ts')).createLogger('info') : undefined;

if (FOOTPRINT) {
  // A whole gateway in this process, idle: its code, store and listeners, its log to stderr so
  // that the bench's readiness line stays the floor's.
  const { freePort } = await gatewayModule('bench/processes.ts');
  const dir = process.env.FLOOR_GATEWAY_DIR;
  if (!dir) throw new Error('FLOOR_VARIANT=d needs FLOOR_GATEWAY_DIR');
  process.env.TRIO2O_ADMIN_API_PORT = String(await freePort());
  process.env.TRIO2O_COMPUTE_API_PORT = String(await freePort());
  process.env.TRIO2O_VOLUME_API_PORT = String(await freePort());
  process.env.TRIO2O_DATABASE_URL = `file:${dir}/floor-gateway.db`;
  const { serve } = await gatewayModule('src/cli/serve.ts');
  const { createLogger } = await gatewayModule('src/ops/log.ts');
  await serve({ noauth: true }, createLogger('info', (line) => process.stderr.write(line)));
}

/** The floor's pool, or the gateway's: its options and bookkeeping, looked up per request. */
const pools = new Map();
function gatewayPool(origin) {
  const hit = pools.get(origin);
  if (hit) return hit.pool;
  const pool = new Pool(origin, { connections: 64, keepAliveTimeout: 4_000, connectTimeout: 10_000 });
  const entry = { pool, connected: 0 };
  pool.on('connect', () => (entry.connected += 1));
  pool.on('disconnect', () => (entry.connected -= 1));
  pool.on('connectionError', () => {});
  pools.set(origin, entry);
  return pool;
}
const floorPool = POOL ? undefined : new Pool(upstream, { connections: 64 });

const TIMEOUT_MS = 30_000;
/** The compute listener's microversion headers at the default version, as the fast route writes them. */
const VERSION_HEADERS = { 'openstack-api-version': 'compute 2.1', 'x-openstack-nova-api-version': '2.1', vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version' };
const GATEWAY_PASSED = ['content-type', 'location', 'retry-after', 'etag', 'last-modified', 'content-disposition', 'x-compute-request-id'];

createServer(async (req, res) => {
  const started = LOG ? performance.now() : 0;
  const requestId = HEADERS || ANSWER || LOG ? `req-${randomUUID()}` : '';
  let hangUp;
  if (SIGNALS) {
    hangUp = new CallSignal();
    res.once('close', () => {
      if (!res.writableFinished) hangUp.abort('Client connection prematurely closed.');
    });
  }
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const deadline = Date.now() + TIMEOUT_MS;
    let call, unlink, timer;
    if (SIGNALS) {
      call = new CallSignal();
      const onCallerAbort = () => call.abort(hangUp.reason);
      hangUp.addEventListener('abort', onCallerAbort, { once: true });
      unlink = () => hangUp.removeEventListener('abort', onCallerAbort);
    }
    if (TIMERS) timer = setTimeout(() => call?.abort(new Error('pod call deadline reached')), TIMEOUT_MS);
    const options = {
      method: req.method,
      path: prefix + req.url,
      headers: HEADERS
        ? forwardRequestHeaders(req.headers, requestId)
        : { 'x-auth-token': req.headers['x-auth-token'] ?? '', 'x-project-id': req.headers['x-project-id'] ?? '', 'x-roles': req.headers['x-roles'] ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: chunks.length ? Buffer.concat(chunks) : null,
    };
    if (SIGNALS) options.signal = call;
    if (TIMERS) {
      options.headersTimeout = Math.max(1, deadline - Date.now());
      options.bodyTimeout = TIMEOUT_MS;
    }
    const up = await (POOL ? gatewayPool(upstream) : floorPool).request(options);
    if (TIMERS) clearTimeout(timer);
    if (SIGNALS) up.body.once('close', unlink);
    let text;
    if (TIMERS) {
      const bound = setTimeout(() => up.body.destroy(), Math.max(0, deadline - Date.now()));
      try {
        text = await up.body.text();
      } finally {
        clearTimeout(bound);
      }
    } else {
      text = await up.body.text();
    }
    const body = BUFFER ? Buffer.from(text) : text;
    let headers;
    if (ANSWER) {
      const podHeaders = responseHeaders(up.headers);
      headers = { 'x-openstack-request-id': requestId };
      for (const name of GATEWAY_PASSED) {
        const v = podHeaders[name];
        if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v;
      }
      Object.assign(headers, VERSION_HEADERS);
      headers['content-type'] ??= 'text/plain; charset=UTF-8';
      headers['content-length'] = Buffer.byteLength(body);
    } else {
      headers = { 'content-length': Buffer.byteLength(body) };
      for (const h of PASSED) if (up.headers[h] !== undefined) headers[h] = up.headers[h];
    }
    if (LOG) {
      const ms = Math.round((performance.now() - started) * 1000) / 1000;
      log.info('request', { request_id: requestId, listener: 'compute', method: req.method, path: req.url, route: '/v2.1/:project_id/servers/:id', status: up.statusCode, duration_ms: ms, project_id: req.headers['x-project-id'], user_id: req.headers['x-user-id'], pod: 'Pod1' });
    }
    if (SET_HEADER) {
      for (const name in headers) res.setHeader(name, headers[name]);
      res.writeHead(up.statusCode);
    } else {
      res.writeHead(up.statusCode, headers);
    }
    res.end(body);
  } catch (err) {
    res.writeHead(502);
    res.end(String(err));
  }
}).listen(Number(port), '127.0.0.1', () => console.log(JSON.stringify({ listening: Number(port) })));
