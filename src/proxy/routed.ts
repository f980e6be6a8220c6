/**
 * The two request kinds every routed resource shares, for servers, volumes, snapshots, backups
 * and attachments alike:
 * - create: pending routing → forward → complete the routing, remove it when nothing was made,
 *   or leave it pending for reconciliation when the outcome is unknown, so a create never leaves
 *   an orphan;
 * - by id: routing lookup → owning pod → generic pass-through, with the stale routing removed
 *   when the pod no longer knows the id (routings are cleaned lazily, when a pod says 404).
 * Service-specific behaviour comes in as small hooks (AZ transforms, same-pod checks).
 */
import type { Context } from 'hono';
import { notFound, peekJson, serviceUnavailable, type GatewayEnv } from '../http';
import { neverReachedPod, notJsonReply, type PodResponse, type ServiceType } from '../pods';
import type { PodDirectory, ResourceType, RouteTable } from '../routing';
import type { Pod } from '../store';
import { buffered, callPod, respond, type ProxyDeps } from './pass-through';
import { podRef } from './pod-ref';

export interface RoutedDeps {
  routes: RouteTable;
  podDir: PodDirectory;
  proxy: ProxyDeps;
}

type Transform = (json: unknown) => unknown;

/** The pod that owns `id` of `type`; `missing` is the 404 message in the service's words. */
export async function ownerPod(deps: RoutedDeps, id: string, type: ResourceType, missing: string): Promise<Pod> {
  const routing = await deps.routes.lookup(id, type);
  if (!routing) throw notFound(missing);
  const pod = await deps.podDir.get(routing.pod_id);
  if (!pod) throw serviceUnavailable(`The pod that owns ${type} ${id} is no longer registered.`);
  return pod;
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
  /** Runs once the routing is complete (e.g. record the flavor for quota usage). */
  onCreated?: (id: string) => Promise<void>;
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
  const pending = await deps.routes.begin(o.projectId, o.pod.pod_id, o.type);
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
  try {
    id = o.idOf(JSON.parse(text));
  } catch (err) {
    throw notJsonReply(podRef(o.pod), o.service, err);
  }
  if (typeof id === 'string' && id !== '') {
    await deps.routes.complete(pending, id);
    await o.onCreated?.(id);
  } else await deps.routes.abort(pending); // e.g. Nova's return_reservation_id: no id yet
  return respond(deps.proxy, c, o.pod, o.service, buffered(res, text), o.transform);
}

export interface ByIdOptions {
  type: ResourceType;
  service: ServiceType;
  /** Collection segment before the id in the path: `servers`, `volumes`. */
  collection: string;
  /** 404 message when the id has no routing. */
  missing: (id: string) => string;
  /** Answers show the top AZ and the like. */
  transform?: (pod: Pod) => Transform;
  /** A look at the request body before it is forwarded unchanged (same-pod checks). */
  peek?: BodyPeek;
  /** When to drop the routing after the pod answered. @default a 404 to GET on the resource itself */
  forgetWhen?: (method: string, sub: string, status: number) => boolean;
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
}

const isItself = (sub: string) => sub === '' || sub === '/';
const forgetOnGet404 = (method: string, sub: string, status: number) => status === 404 && method === 'GET' && isItself(sub);

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
  const pod = await ownerPod(deps, id, o.type, o.missing(id));
  const sub = subPath(c.req.path, o.collection, id);
  let body: string | undefined;
  if (o.peek?.when(c.req.method, sub)) {
    const peeked = await peekJson(c);
    await o.peek.check(peeked.json, pod, sub);
    body = peeked.text;
  }
  const res = await callPod(deps.proxy, c, { pod, service: o.service, projectId: c.get('projectId'), body });
  const response = await respond(deps.proxy, c, pod, o.service, res, o.transform?.(pod));
  if ((o.forgetWhen ?? forgetOnGet404)(c.req.method, sub, res.status)) await deps.routes.forget(id, o.type);
  return { response, status: res.status, pod };
}
