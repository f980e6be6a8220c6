/**
 * The two request kinds every routed resource shares, for servers, volumes, snapshots, backups
 * and attachments alike:
 * - create: pending routing → forward → complete the routing, remove it when nothing was made,
 *   or leave it pending for reconciliation when the outcome is unknown, so a create never leaves
 *   an orphan;
 * - by id: routing lookup → owning pod → generic pass-through; what the pod answered may change
 *   the routing's life (see `RoutingEvent`): a DELETE it accepted marks the routing deleting, a
 *   404 to someone who can see the resource asks for proof. A routing is never removed on a 404
 *   alone, and never on a 404 answered to another project's token.
 * Service-specific behaviour comes in as small hooks (AZ transforms, same-pod checks).
 */
import type { Context } from 'hono';
import { notFound, peekJson, serviceUnavailable, type GatewayEnv } from '../http';
import { neverReachedPod, notJsonReply, type CallerSignal, type PodResponse, type ServiceType } from '../pods';
import type { PodDirectory, ResourceType, RouteTable } from '../routing';
import type { Pod, Routing, RoutingHint } from '../store';
import { buffered, callPod, podAnswer, respond, type PodAnswer, type ProxyDeps } from './pass-through';
import { podRef } from './pod-ref';
import type { JsonTransform } from './az';

export interface RoutedDeps {
  routes: RouteTable;
  podDir: PodDirectory;
  proxy: ProxyDeps;
  /**
   * Asked on a route miss before answering 404: may find the id in one of the caller's pods and
   * adopt it (see api/common/route-miss.ts).
   */
  missLookup?: (c: Context<GatewayEnv>, id: string, type: ResourceType) => Promise<Routing | undefined>;
}

type Transform = JsonTransform;

/** The pod that owns `id` of `type`; `missing` is the 404 message in the service's words. */
export async function ownerPod(deps: RoutedDeps, id: string, type: ResourceType, missing: string): Promise<Pod> {
  return (await owner(deps, id, type, missing)).pod;
}

async function owner(deps: RoutedDeps, id: string, type: ResourceType, missing: string, c?: Context<GatewayEnv>): Promise<{ routing: Routing; pod: Pod }> {
  const routing = (await deps.routes.lookup(id, type)) ?? (c && deps.missLookup ? await deps.missLookup(c, id, type) : undefined);
  if (!routing) throw notFound(missing);
  const pod = await deps.podDir.get(routing.pod_id);
  if (!pod) throw serviceUnavailable(`The pod that owns ${type} ${id} is no longer registered.`);
  return { routing, pod };
}

export interface CreateRoutedOptions {
  pod: Pod;
  service: ServiceType;
  type: ResourceType;
  projectId: string;
  /** The body to send (the caller's, possibly rewritten). */
  body: string;
  /** The id of the created resource in the pod's 2xx answer, if any. */
  idOf: (json: unknown) => unknown;
  transform?: Transform;
  /**
   * Runs once the routing is complete, with the pod's answer (record the flavor for quota usage,
   * adopt what else the pod made for the request).
   */
  onCreated?: (id: string, answer: unknown) => Promise<void>;
  /**
   * The pod accepted but named no id (Nova's `return_reservation_id`): resolve the pending row
   * from the answer and return true, or return false to have it removed.
   */
  onNoId?: (answer: unknown, pending: Routing) => Promise<boolean>;
  /** What reconciliation needs to find the resource if the pod's answer is lost (its name). */
  hint?: RoutingHint;
}

/**
 * Creates a resource in `pod` without ever leaving an orphan: the pending row is written first
 * (503 before any pod is touched when the store cannot be written), then
 * - removed when the pod refused the create (3xx/4xx) or the call never reached it (connect
 *   failure, open breaker, no endpoint): nothing was made;
 * - completed with the pod's id when the pod answered 2xx with one;
 * - left pending when the outcome is unknown — a 5xx, no answer in time, a reset after sending,
 *   a reply cut short or not JSON, the client gone: the pod may have made the resource, and the
 *   reconciliation job completes or removes the row from what the pod holds.
 * Pod answers are passed through; transport failures and malformed replies are thrown as their
 * PodError (502/503/504). A create is never retried.
 */
export async function createRouted(deps: RoutedDeps, c: Context<GatewayEnv>, o: CreateRoutedOptions): Promise<Response> {
  const pending = await deps.routes.begin(o.projectId, o.pod.pod_id, o.type, { ...o.hint, request_id: c.get('requestId') });
  let res: PodResponse;
  let text: string;
  try {
    res = await callPod(deps.proxy, c, { pod: o.pod, service: o.service, projectId: o.projectId, method: 'POST', body: o.body });
    if (res.status >= 500) return await respond(deps.proxy, c, o.pod, o.service, res);
    if (res.status >= 300) {
      await deps.routes.abort(pending);
      return await respond(deps.proxy, c, o.pod, o.service, res);
    }
    text = await res.text();
  } catch (err) {
    if (neverReachedPod(err)) await deps.routes.abort(pending);
    throw err;
  }
  let id: unknown;
  let json: unknown;
  try {
    json = JSON.parse(text);
    id = o.idOf(json);
  } catch (err) {
    throw notJsonReply(podRef(o.pod), o.service, err);
  }
  if (typeof id === 'string' && id !== '') {
    await deps.routes.complete(pending, id);
    await o.onCreated?.(id, json);
  } else if (!(json !== undefined && (await o.onNoId?.(json, pending)))) await deps.routes.abort(pending);
  return respond(deps.proxy, c, o.pod, o.service, buffered(res, text), o.transform);
}

export interface ByIdOptions {
  type: ResourceType;
  service: ServiceType;
  /** Collection segment before the id in the path: `servers`, `volumes`. */
  collection: string;
  /** 404 message when the id has no routing. */
  missing: (id: string) => string;
  /** Answers show the top AZ and the like (what it needs may be read first, hence the promise). */
  transform?: (pod: Pod) => Transform | Promise<Transform>;
  /** A look at the request body before it is forwarded unchanged (same-pod checks). */
  peek?: BodyPeek;
  /**
   * What the pod's answer means for the routing. @default `deletionEvents()`: a DELETE of the
   * resource accepted → deleting; a 404 to GET of the resource → check
   */
  events?: (a: AnswerSeen) => RoutingEvent | undefined;
}

/** A request by id and the pod's answer, as routing events see them. */
export interface AnswerSeen {
  method: string;
  /** The path below the id ('' for the resource itself). */
  sub: string;
  status: number;
  /** For `POST …/action`: the action (the body's one key), when the body named one. */
  action?: string;
}

/**
 * - deleting: the pod accepted a deletion: the routing turns deleting and a job waits for the
 *   resource to be gone;
 * - restored: the pod undid a deletion (the routing is active again);
 * - gone: the pod's 2xx is itself the proof (a deletion that completes before the answer);
 * - check: the pod said 404: a job asks it with the gateway's own credentials.
 * The last two count only when the caller could see the resource (its project, or an admin).
 */
export type RoutingEvent = 'deleting' | 'restored' | 'gone' | 'check';

const isItself = (sub: string) => sub === '' || sub === '/';
const ok = (status: number) => status >= 200 && status < 300;

/**
 * The events every routed resource shares, plus the actions that delete it (Nova `forceDelete`,
 * Cinder `os-force_delete`) or undo a deletion (Nova `restore`).
 */
export function deletionEvents(o: { deletingActions?: readonly string[]; restoringActions?: readonly string[]; deleteIsImmediate?: boolean } = {}) {
  return function routingEvents(a: AnswerSeen): RoutingEvent | undefined {
    if (isItself(a.sub)) {
      if (a.method === 'DELETE' && ok(a.status)) return o.deleteIsImmediate ? 'gone' : 'deleting';
      if (a.method === 'GET' && a.status === 404) return 'check';
      return undefined;
    }
    if (a.method === 'POST' && a.action !== undefined && ok(a.status) && /^\/action\/?$/.test(a.sub)) {
      if (o.deletingActions?.includes(a.action)) return 'deleting';
      if (o.restoringActions?.includes(a.action)) return 'restored';
    }
    return undefined;
  };
}

const DEFAULT_EVENTS = deletionEvents();

/** The routing event of an answer by id under `o` (its own events, or the shared default). */
export function eventOf(o: Pick<ByIdOptions, 'events'>, a: AnswerSeen): RoutingEvent | undefined {
  return (o.events ?? DEFAULT_EVENTS)(a);
}

/**
 * Which requests to look at and what to check. The body is read once: `check` gets its JSON
 * (undefined when empty; malformed JSON is a 400 before any pod is asked) and the text is
 * forwarded as sent.
 */
export interface BodyPeek {
  /** `sub` is the path below the id ('' for the resource itself, '/action', ...). */
  when(method: string, sub: string): boolean;
  /** Throws (an ApiError, a 404 for an unknown id...) to refuse the request. */
  check(body: unknown, pod: Pod, sub: string): Promise<void>;
  /** A body to send instead of the caller's (ids translated for the pod); undefined keeps it. */
  rewrite?(body: unknown, pod: Pod, sub: string): Promise<unknown>;
}

/** The path below `/{collection}/{id}`. */
function subPath(path: string, collection: string, id: string): string {
  const marker = `/${collection}/${id}`;
  const at = path.indexOf(marker);
  return at === -1 ? '' : path.slice(at + marker.length);
}

/**
 * Everything addressed by a routed id, in one generic pass-through to the owning pod.
 * @returns the response and the pod's status (hooks that act after the pod answered use it)
 */
export async function forwardById(
  deps: RoutedDeps,
  c: Context<GatewayEnv>,
  o: ByIdOptions,
  id: string = c.req.param('id')!,
): Promise<{ response: Response; status: number; pod: Pod }> {
  const { routing, pod } = await owner(deps, id, o.type, o.missing(id), c);
  const sub = subPath(c.req.path, o.collection, id);
  const method = c.req.method;
  const isAction = method === 'POST' && /^\/action\/?$/.test(sub);
  let body: string | undefined;
  let action: string | undefined;
  if (o.peek?.when(method, sub) || isAction) {
    const peeked = await peekJson(c);
    body = peeked.text;
    if (o.peek?.when(method, sub)) {
      await o.peek.check(peeked.json, pod, sub);
      const replaced = await o.peek.rewrite?.(peeked.json, pod, sub);
      if (replaced !== undefined) body = JSON.stringify(replaced);
    }
    action = actionOf(peeked.json);
  }
  const res = await callPod(deps.proxy, c, { pod, service: o.service, projectId: c.get('projectId'), body });
  const response = await respond(deps.proxy, c, pod, o.service, res, await o.transform?.(pod));
  const event = eventOf(o, { method, sub, status: res.status, action });
  if (event) await applyEvent(deps, { isAdmin: c.get('auth').isAdmin, projectId: c.get('projectId') }, routing, event);
  return { response, status: res.status, pod };
}

/** A request by id already routed, authenticated and read, as the listener's fast route has it. */
export interface RoutedCall {
  routing: Routing;
  pod: Pod;
  method: string;
  /** The request's path (with its project), sent to the pod as it came; no query string. */
  path: string;
  /** The path below the id ('' or '/action'). */
  sub: string;
  caller: { isAdmin: boolean; projectId: string };
  /** The caller's headers, lower-case names, one value each. */
  headers: Record<string, string>;
  body: string | null;
  /** For `POST …/action`: the body's one key. */
  action?: string;
  requestId: string;
  /** The gateway's public base for this request (links in the answer point there). */
  gwRoot: string;
  /** Aborted when the client hangs up. */
  signal: CallerSignal;
}

/**
 * `forwardById` for a request that needs no hook: the same pod call and answer, without a
 * framework context. The answer is returned for the caller to write once `settle` (the routing
 * event the answer proves; absent when it proves none) has resolved.
 */
export async function forwardRoutedCall(
  deps: RoutedDeps,
  o: Pick<ByIdOptions, 'service' | 'transform' | 'events'>,
  call: RoutedCall,
): Promise<{ answer: PodAnswer; settle?: () => Promise<void> }> {
  const res = await deps.proxy.pods.request({
    pod: podRef(call.pod),
    service: o.service,
    method: call.method,
    path: call.path,
    search: '',
    projectId: call.caller.projectId,
    headers: call.headers,
    body: call.body,
    signal: call.signal,
    requestId: call.requestId,
  });
  const pending = o.transform?.(call.pod);
  const transform = pending instanceof Promise ? await pending : pending;
  const answer = await podAnswer(deps.proxy, { pod: call.pod, service: o.service, method: call.method, gwRoot: call.gwRoot, transform }, res);
  const event = eventOf(o, { method: call.method, sub: call.sub, status: res.status, action: call.action });
  return { answer, settle: event && (() => applyEvent(deps, call.caller, call.routing, event)) };
}

/** The action a `POST …/action` body names: its one key (Nova and Cinder take exactly one). */
export function actionOf(json: unknown): string | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const keys = Object.keys(json);
  return keys.length === 1 ? keys[0] : undefined;
}

/**
 * Acts on what the pod's answer proved. A 404 or an immediate deletion counts only when the
 * caller could see the resource: a pod answers 404 to another project's token for a resource that
 * exists, and that must never cost its owner the routing.
 */
export async function applyEvent(
  deps: Pick<RoutedDeps, 'routes'>,
  caller: { isAdmin: boolean; projectId: string },
  routing: Routing,
  event: RoutingEvent,
): Promise<void> {
  const canSee = caller.isAdmin || caller.projectId === routing.project_id;
  switch (event) {
    case 'deleting':
      return deps.routes.markDeleting(routing);
    case 'restored':
      return deps.routes.restore(routing);
    case 'gone':
      if (canSee) await deps.routes.forget(routing.top_id, routing.resource_type as ResourceType);
      return;
    case 'check':
      if (canSee) await deps.routes.verify(routing);
      return;
  }
}
