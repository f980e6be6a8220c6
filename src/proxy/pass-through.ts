/**
 * The generic pass-through: forward the caller's request to one pod with the caller's token and
 * hand the pod's answer back — status, body and a small allow-list of headers — with links
 * pointing at the gateway and an optional JSON transform (AZ names, for example).
 *
 * Error answers that need no rewriting (non-JSON) stream through untouched; successful answers
 * are read, since the gateway rewrites them and must refuse one that is not JSON.
 */
import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { forwardedBody, publicBase, type GatewayEnv } from '../http';
import { notJsonReply, type PodClient, type PodResponse, type ServiceType, type EndpointSource } from '../pods';
import type { Pod } from '../store';
import { podRef } from './pod-ref';
import { rewriteLinks, serviceRoot } from './rewrite';
import type { JsonTransform } from './az';

/**
 * Pod response headers a user may see; everything else (server, the pod's
 * x-openstack-request-id) stays behind. `x-compute-request-id` is the pod's request id, under
 * which Nova records the server's instance actions: a client reads it from an answer to look
 * the action up (`GET /servers/{id}/os-instance-actions/{request_id}`, Tempest does).
 */
const PASSED_HEADERS = ['content-type', 'location', 'retry-after', 'etag', 'last-modified', 'content-disposition', 'x-compute-request-id'] as const;

export interface ProxyDeps {
  pods: PodClient;
  endpoints: EndpointSource;
  /** The listener's configured public URL, if any. */
  publicUrl?: string;
}

export interface ForwardOptions {
  pod: Pod;
  service: ServiceType;
  projectId: string;
  method?: string;
  /** Top path to forward; @default the request's path */
  path?: string;
  /** @default the request's query string */
  search?: string;
  /** Body to send (already read); @default none for GET/HEAD/DELETE, else the raw request text */
  body?: string | null;
  timeoutMs?: number;
}

/**
 * The path to send: the request's, with the project id put back after the version segment when
 * the caller used the project-less form (`/v3/volumes` → `/v3/{p}/volumes`), so a pod gets the
 * form every microversion accepts (Cinder takes project-less URLs only from 3.67 on).
 */
function podPath(c: Context<GatewayEnv>, pathname: string): string {
  const projectId = c.get('projectId') as string | undefined;
  if (!projectId || c.req.param('project_id') !== undefined) return pathname;
  const m = /^(\/v\d+(?:\.\d+)?)(\/.*)?$/.exec(pathname);
  return m ? `${m[1]}/${encodeURIComponent(projectId)}${m[2] ?? ''}` : pathname;
}

/**
 * Calls a pod. A transport failure is thrown as the PodError it is (the listener's error handler
 * answers 502/503/504 naming the pod).
 */
export async function callPod(deps: ProxyDeps, c: Context<GatewayEnv>, o: ForwardOptions): Promise<PodResponse> {
  const url = new URL(c.req.url);
  const method = (o.method ?? c.req.method).toUpperCase();
  let body = o.body;
  if (body === undefined) body = method === 'GET' || method === 'HEAD' || method === 'DELETE' ? null : await forwardedBody(c);
  // Each call listens for the caller's hang-up until its body is done, and one request may call
  // many pods at once (a list across N pods): N listeners on the request's own signal, which
  // lives as long as the request. Not a leak, so no MaxListenersExceededWarning past 10 pods.
  const signal = c.req.raw.signal;
  setMaxListeners(0, signal);
  return deps.pods.request({
    pod: podRef(o.pod),
    service: o.service,
    method,
    path: o.path ?? podPath(c, url.pathname),
    search: o.search ?? url.search,
    projectId: o.projectId,
    headers: c.req.raw.headers,
    body,
    timeoutMs: o.timeoutMs,
    signal,
    requestId: c.get('requestId'),
  });
}

function isJson(res: PodResponse): boolean {
  const ct = res.headers['content-type'];
  return typeof ct === 'string' && ct.includes('json');
}

/**
 * A pod's answer as the caller gets it: status, the passed headers (links rewritten), and the
 * body — text, a stream (an error answer that is not JSON), or none.
 */
export interface PodAnswer {
  status: number;
  headers: [name: string, value: string][];
  body: string | Readable | null;
}

/**
 * Turns a pod's response into the caller's answer. A 2xx body must be JSON (Nova and Cinder
 * answer JSON on every routed path), has its links rewritten and passes through `transform`; a
 * 2xx body that is not JSON is a TRIO2O_POD_BAD_RESPONSE (502). Error answers are the pod's own:
 * JSON ones get their links rewritten, others stream. A body that cannot be read throws its
 * PodError (502/504). `gwRoot` is the gateway's public base for this request.
 */
export async function podAnswer(
  deps: ProxyDeps,
  o: { pod: Pod; service: ServiceType; method: string; gwRoot: string; transform?: JsonTransform },
  res: PodResponse,
): Promise<PodAnswer> {
  const { pod, service, transform } = o;
  // The endpoint the call went to; resolved again only for a response built elsewhere.
  const podRoot = serviceRoot(res.endpoint ?? (await deps.endpoints.resolve(podRef(pod), service)));
  if (res.status === 204 || res.status === 304 || o.method === 'HEAD') {
    await res.dump();
    return answerOf(res, null, podRoot, o.gwRoot);
  }
  const success = res.status >= 200 && res.status < 300;
  if (!success && !isJson(res)) return answerOf(res, res.body, podRoot, o.gwRoot);
  let text = await res.text();
  if (success && text.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw notJsonReply(podRef(pod), service, err);
    }
    // The same change in the text when that is exact (the AZ values alone): no re-serialization.
    if (transform) text = transform.inText?.(text, json) ?? JSON.stringify(transform(json));
  }
  return answerOf(res, rewriteLinks(text, podRoot, o.gwRoot), podRoot, o.gwRoot);
}

/**
 * The answer with the passed headers (links rewritten). Headers are built only once the answer
 * is known to be sent: a 502 must not carry the pod's.
 */
function answerOf(res: PodResponse, body: PodAnswer['body'], podRoot: string, gwRoot: string): PodAnswer {
  const headers: PodAnswer['headers'] = [];
  for (const name of PASSED_HEADERS) {
    const v = res.headers[name];
    if (v !== undefined) headers.push([name, rewriteLinks(Array.isArray(v) ? v.join(', ') : v, podRoot, gwRoot)]);
  }
  return { status: res.status, headers, body };
}

/** Sends a pod's response to the caller (see podAnswer). */
export async function respond(
  deps: ProxyDeps,
  c: Context<GatewayEnv>,
  pod: Pod,
  service: ServiceType,
  res: PodResponse,
  transform?: JsonTransform,
): Promise<Response> {
  const a = await podAnswer(deps, { pod, service, method: c.req.method, gwRoot: publicBase(c, deps.publicUrl), transform }, res);
  for (const [name, value] of a.headers) c.header(name, value);
  c.set('pod', pod.pod_name);
  const body = a.body instanceof Readable ? (Readable.toWeb(a.body) as unknown as ReadableStream) : a.body;
  return c.body(body as string, a.status as 200);
}

/** callPod + respond: the whole pass-through for one pod. */
export async function forward(
  deps: ProxyDeps,
  c: Context<GatewayEnv>,
  o: ForwardOptions,
  transform?: JsonTransform,
): Promise<{ response: Response; status: number }> {
  const res = await callPod(deps, c, o);
  const response = await respond(deps, c, o.pod, o.service, res, transform);
  return { response, status: res.status };
}

/** A pod response whose body was already read, so it can be inspected and then sent with `respond`. */
export function buffered(res: PodResponse, text: string): PodResponse {
  return {
    status: res.status,
    headers: res.headers,
    body: Readable.from([text]),
    json: async <T>() => JSON.parse(text) as T,
    text: async () => text,
    dump: async () => {},
    endpoint: res.endpoint,
  };
}
