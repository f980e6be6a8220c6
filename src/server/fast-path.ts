/**
 * The listener's fast route: a `node:http` request handler in front of the Hono app for the
 * by-id calls an API declares pure pass-through (api/common/fast-by-id.ts). It does what the
 * Hono path does for them — request id, path guard, body limit, microversion, authentication,
 * project scope, route lookup, the pod call with its deadline, breaker and retries, link and AZ
 * rewriting, the fault of a pod failure, the access-log line and metrics — with Node's own
 * request and response objects, none of the Web `Request`/`Headers`/`Response` objects and
 * framework context the Hono path builds for every request.
 *
 * It takes a request only when every step is the plain case. Anything else — a path with `%`,
 * `.` or a query, duplicate headers, a microversion or token that would be refused, a token not
 * in the validation cache, another project's URL, an id not in the route cache, a body that is not
 * one JSON object naming an action no hook reads — goes to the Hono app untouched (a body already
 * read is handed over as `rawBody`, which @hono/node-server reads instead of the socket), so every
 * answer but the plain one is the Hono path's own.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { knownIdentity, type RequestContext } from '../auth';
import { reservedSegments, type FastByIdRoute } from '../api/common';
import {
  ClientAbortedError,
  MAX_JSON_DEPTH,
  REQUEST_ID_HEADER,
  badRequest,
  errorFault,
  faultParts,
  jsonDepthExceeds,
  negotiate,
  versionHeaders,
  isValidRequestId,
  type ErrorTranslator,
  type Version,
} from '../http';
import { CallSignal, type CallerSignal } from '../pods';
import { actionOf, forwardRoutedCall, type PodAnswer } from '../proxy';
import type { Logger } from '../ops/log';
import type { RequestObservation } from '../ops/gateway-metrics';
import type { Pod, Routing } from '../store';

export interface FastPathOptions {
  listener: 'compute' | 'volume';
  route: FastByIdRoute;
  log: Logger;
  observe?: (r: RequestObservation) => void;
  maxBodyBytes: number;
  /** The listener's domain-error translation (the same as its `onError`'s). */
  translate: ErrorTranslator;
  /** `[<api>] public_url`, if configured. */
  publicUrl?: string;
}

/** Serves the request, or hands it to `next` (the Hono app's listener) as it came. */
export type FastHandler = (req: IncomingMessage, res: ServerResponse, next: RequestListener) => void;

/** The default content type @hono/node-server gives a body sent without one. */
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';
/** A UTF-8 byte order mark: a Web `text()` drops it, Buffer#toString keeps it. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** A Host header @hono/node-server builds its URL from unchanged. */
const PLAIN_HOST = /^[a-z0-9.-]+(:[0-9]{1,5})?$/;

interface Matched {
  method: 'GET' | 'PUT' | 'POST';
  project: string;
  id: string;
  sub: '' | '/action';
}

/** What the access-log line and the request metrics of an answered request say. */
interface RequestLine {
  requestId: string;
  method: Matched['method'];
  path: string;
  sub: Matched['sub'];
  status: number;
  /** performance.now() when the request arrived. */
  started: number;
  auth: RequestContext;
  pod: string | undefined;
}

/**
 * The request after the checks that may still send it to the Hono app; everything past this
 * point is answered here.
 */
interface Accepted extends Matched {
  auth: RequestContext;
  version: Version;
  routing: Routing;
  pod: Pod;
}

export function fastPath(o: FastPathOptions): FastHandler | undefined {
  const { route } = o;
  const reserved = reservedSegments(route.rows, route.byId.collection);
  if (!reserved) return undefined;
  const shape = new RegExp(`^${route.versionPrefix.replace(/\./g, '\\.')}/([A-Za-z0-9_-]+)/${route.byId.collection}/([A-Za-z0-9_-]+)(/action)?$`);
  const versionHeaderCache = new Map<string, Record<string, string>>();
  const routeLabel = { '': `${route.versionPrefix}/:project_id/${route.byId.collection}/:id`, '/action': `${route.versionPrefix}/:project_id/${route.byId.collection}/:id/*` };

  function match(req: IncomingMessage): Matched | undefined {
    const method = req.method;
    if (method !== 'GET' && method !== 'PUT' && method !== 'POST') return undefined;
    const m = shape.exec(req.url ?? '');
    if (!m) return undefined;
    const [, project, id, action] = m as unknown as [string, string, string, string | undefined];
    if ((method === 'POST') !== (action !== undefined)) return undefined;
    if (reserved!.projects.has(project) || reserved!.ids.has(id)) return undefined;
    // Node keeps one value of some repeated headers and joins others; a Web Headers joins all.
    if (req.rawHeaders.length !== 2 * Object.keys(req.headers).length) return undefined;
    const host = req.headers.host;
    if (host === undefined || !PLAIN_HOST.test(host)) return undefined;
    const len = req.headers['content-length'];
    if (len !== undefined && Number(len) > o.maxBodyBytes) return undefined;
    // A body is read here only when its length is known (the Hono path streams others through its limit).
    if (method !== 'GET' && (len === undefined || req.headers['transfer-encoding'] !== undefined)) return undefined;
    return { method, project, id, sub: action === undefined ? '' : '/action' };
  }

  /**
   * The checks of the Hono path's middleware and handler, each of which may refuse: undefined
   * sends the request there. Synchronous when the versions are known and the pod is in memory
   * (every request but the first after a refresh): no promise, no microtask turn.
   */
  function accept(m: Matched, header: (n: string) => string | undefined): Accepted | undefined | Promise<Accepted | undefined> {
    const gate = route.versionsReady?.();
    return gate ? gate.then(() => afterVersions(m, header)) : afterVersions(m, header);
  }

  function afterVersions(m: Matched, header: (n: string) => string | undefined): Accepted | undefined | Promise<Accepted | undefined> {
    let version: Version;
    try {
      version = negotiate(route.spec, header);
    } catch {
      return undefined;
    }
    const auth = knownIdentity(route.auth, header);
    if (!auth) return undefined;
    if (auth.projectId && m.project !== auth.projectId && !auth.isAdmin) return undefined;
    const routing = route.deps.routes.cached(m.id, route.byId.type);
    if (!routing) return undefined;
    const pod = route.deps.podDir.cached(routing.pod_id);
    if (pod) return accepted(m, auth, version, routing, pod);
    return route.deps.podDir.get(routing.pod_id).then((p) => (p ? accepted(m, auth, version, routing, p) : undefined));
  }

  return function fastHandler(req, res, next) {
    const m = match(req);
    if (!m) return next(req, res);
    serve(req, res, m, next).catch((err: unknown) => {
      // Writing the answer itself failed (a header Node refuses): nothing more can be sent.
      o.log.error('unhandled_error', { error: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) });
      res.destroy();
    });
  };

  async function serve(req: IncomingMessage, res: ServerResponse, m: Matched, next: RequestListener): Promise<void> {
    const started = performance.now();
    const header = (n: string) => req.headers[n.toLowerCase()] as string | undefined;
    let a: Accepted | undefined;
    try {
      const got = accept(m, header);
      a = got instanceof Promise ? await got : got;
    } catch {
      a = undefined; // whatever failed, the Hono path meets it again and answers it its way
    }
    if (!a) return next(req, res);

    const given = header(REQUEST_ID_HEADER);
    const requestId = given && isValidRequestId(given) ? given : `req-${randomUUID()}`;
    const headers: OutgoingHttpHeaders = { [REQUEST_ID_HEADER]: requestId };
    let status = 0;
    let podName: string | undefined;
    const hangUp = new CallSignal();
    res.once('close', () => {
      if (!res.writableFinished) hangUp.abort('Client connection prematurely closed.');
    });
    try {
      let body: string | null = null;
      let action: string | undefined;
      if (m.method !== 'GET') {
        const raw = await readBody(req, hangUp);
        const text = raw.subarray(0, 3).equals(BOM) ? undefined : raw.toString('utf8');
        action = text === undefined ? undefined : plainAction(text, m);
        if (text === undefined || (m.method === 'POST' && action === undefined) || jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
          (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
          return next(req, res);
        }
        body = text;
      }
      const { answer, settle } = await forwardRoutedCall(route.deps, route.byId, {
        routing: a.routing,
        pod: a.pod,
        method: m.method,
        path: req.url!,
        sub: m.sub,
        caller: { isAdmin: a.auth.isAdmin, projectId: m.project },
        headers: req.headers as Record<string, string>,
        body,
        action,
        requestId,
        gwRoot: publicBase(header, o.publicUrl),
        signal: hangUp,
      });
      podName = a.pod.pod_name;
      // As on the Hono path, a failure after the pod answered keeps the answer's headers.
      for (const [name, value] of answer.headers) headers[name] = value;
      if (settle) await settle();
      status = answer.status;
      finish(res, a, answer, headers, { requestId, method: m.method, path: req.url!, sub: m.sub, status, started, auth: a.auth, pod: podName });
    } catch (err) {
      const f = errorFault(err instanceof Error ? err : new Error(String(err)), { aborted: hangUp.aborted, requestId, log: o.log, translate: o.translate });
      const parts = faultParts(f.status, f.message, f.headers);
      status = f.status;
      for (const [k, v] of Object.entries(parts.headers)) headers[k.toLowerCase()] = v;
      headers['content-type'] = 'application/json';
      finish(res, a, { status: f.status, headers: [], body: JSON.stringify(parts.body) }, headers, { requestId, method: m.method, path: req.url!, sub: m.sub, status, started, auth: a.auth, pod: podName });
    }
  }

  /** Writes the answer, after its access-log line and metrics. */
  function finish(res: ServerResponse, acc: Accepted, answer: PodAnswer, out: OutgoingHttpHeaders, line: RequestLine): void {
    Object.assign(out, versionHeadersOf(acc.version));
    log(line);
    if (answer.body !== null) out['content-type'] ??= DEFAULT_CONTENT_TYPE;
    if (typeof answer.body === 'string') out['content-length'] = Buffer.byteLength(answer.body);
    res.writeHead(answer.status, out);
    if (answer.body instanceof Readable) pipeline(answer.body, res, () => {});
    else res.end(answer.body ?? undefined);
  }

  function log(l: RequestLine): void {
    const ms = Math.round((performance.now() - l.started) * 1000) / 1000;
    const routeName = routeLabel[l.sub];
    o.observe?.({ listener: o.listener, method: l.method, route: routeName, status: l.status, ms });
    o.log.info('request', {
      request_id: l.requestId,
      listener: o.listener,
      method: l.method,
      path: l.path,
      route: routeName,
      status: l.status,
      duration_ms: ms,
      project_id: l.auth.projectId ?? undefined,
      user_id: l.auth.userId ?? undefined,
      pod: l.pod,
    });
  }

  /** The microversion headers of an answer, lower-cased, built once per version. */
  function versionHeadersOf(v: Version): Record<string, string> {
    const key = `${v.major}.${v.minor}`;
    let h = versionHeaderCache.get(key);
    if (h === undefined) {
      h = lowerCased(versionHeaders(route.spec, v));
      if (versionHeaderCache.size < 1024) versionHeaderCache.set(key, h);
    }
    return h;
  }

  /** The action of a `POST …/action` body when no hook reads it; undefined sends the request to the Hono path. */
  function plainAction(text: string, m: Matched): string | undefined {
    if (m.method !== 'POST') return '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const action = actionOf(json);
    return action !== undefined && Object.keys(json as object).length === 1 && route.passThroughAction(action) ? action : undefined;
  }
}

/**
 * Property by property: a spread of `m` into the literal cost ~7 µs per request in V8 profiles of
 * the forwarded read (the bundle, Node 20), more than the rest of the checks together.
 */
function accepted(m: Matched, auth: RequestContext, version: Version, routing: Routing, pod: Pod): Accepted {
  return { method: m.method, project: m.project, id: m.id, sub: m.sub, auth, version, routing, pod };
}

/** The gateway's public base as `publicBase` (http/links.ts) computes it for a plain-HTTP listener. */
function publicBase(header: (n: string) => string | undefined, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  return `${header('x-forwarded-proto') ?? 'http'}://${header('x-forwarded-host') ?? header('host')}`;
}

function lowerCased(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) out[k.toLowerCase()] = h[k]!;
  return out;
}

/** The whole body (its length was checked against the limit); a hang-up mid-body is a ClientAbortedError. */
function readBody(req: IncomingMessage, signal: CallerSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', (err) => reject(signal.aborted ? new ClientAbortedError('The client closed the connection before its request body arrived.', { cause: err }) : badRequest('Could not read the request body.')));
    req.once('aborted', () => reject(new ClientAbortedError('The client closed the connection before its request body arrived.')));
  });
}
