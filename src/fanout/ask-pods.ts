/**
 * `askPods`: ask each of some pods one question in parallel and collect the answers and the
 * missing pods — the plain fan-out under the admin listings (os-services, os-hypervisors), the
 * volume summary, usage, external events and the attachments list. It shares the list
 * fan-out's missing-pod reasons, response header and metric, so a caller sees one vocabulary
 * whichever way several pods were asked.
 *
 * A pod is missing when the call fails in transport (the PodError's reason), answers 5xx or a
 * status the caller does not accept (`status_<n>`), or answers 2xx with a body that is not JSON
 * (`bad_response`). By default a 4xx is an answer: the pod judged the request, and the caller
 * decides what that means; a caller that can only use some statuses says so with `accept`.
 */
import type { Context } from 'hono';
import { publicBase, type GatewayEnv } from '../http';
import { isPodError, type ServiceType } from '../pods';
import { callPod, podRef, rewriteLinks, serviceRoot } from '../proxy';
import type { Pod } from '../store';
import { reasonFor, reportFanout } from './partial';
import type { FanoutDeps, MissingPod, MissingReason } from './types';

/** The call one pod gets. */
export interface PodQuestion {
  method?: string;
  /** Top path on the pod, e.g. `/v2.1/{p}/os-services`. */
  path: string;
  /** @default '' (no query) */
  search?: string;
  body?: string | null;
  /** The project of the pod endpoint's URL template. @default the request's project */
  projectId?: string;
}

export interface PodAnswer {
  pod: Pod;
  status: number;
  /** The parsed JSON body, links pointing at the gateway; null for an empty or non-JSON body. */
  body: unknown;
  /** The body as the pod sent it (after link rewriting). */
  text: string;
  contentType?: string;
}

export interface AskResult {
  /** In the order of the pods asked. */
  answers: PodAnswer[];
  missing: MissingPod[];
}

export interface AskOptions {
  service: ServiceType;
  /** Names the question in the metric (`os-services`, `volume-summary`, ...). */
  name: string;
  /** The question for each pod; undefined skips the pod (nothing to ask it). */
  question: (pod: Pod) => PodQuestion | undefined;
  /** @default the list deadline, `[pods] list_timeout` */
  timeoutMs?: number;
  /**
   * The statuses whose answers the caller uses; a pod answering any other is missing with reason
   * `status_<n>`, so a partial answer never looks complete. @default every status below 500
   */
  accept?: (status: number) => boolean;
}

type Outcome = { answer: PodAnswer } | { reason: MissingReason };

async function askOne(deps: FanoutDeps, c: Context<GatewayEnv>, pod: Pod, q: PodQuestion, o: AskOptions): Promise<Outcome> {
  let res;
  try {
    res = await callPod(deps.proxy, c, {
      pod,
      service: o.service,
      projectId: q.projectId ?? c.get('projectId'),
      method: q.method ?? 'GET',
      path: q.path,
      search: q.search ?? '',
      body: q.body ?? null,
      timeoutMs: o.timeoutMs ?? deps.listTimeoutMs,
    });
  } catch (err) {
    if (isPodError(err)) return { reason: reasonFor(err) };
    throw err;
  }
  if (res.status >= 500 || (o.accept && !o.accept(res.status))) {
    await res.dump();
    return { reason: `status_${res.status}` };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    if (isPodError(err)) return { reason: reasonFor(err) };
    throw err;
  }
  const root = serviceRoot(await deps.proxy.endpoints.resolve(podRef(pod), o.service));
  text = rewriteLinks(text, root, publicBase(c, deps.publicUrl));
  let body: unknown = null;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      if (res.status < 300) return { reason: 'bad_response' };
    }
  }
  const ct = res.headers['content-type'];
  return { answer: { pod, status: res.status, body, text, contentType: Array.isArray(ct) ? ct[0] : ct } };
}

/**
 * Asks `pods` in parallel (each under the list deadline), names the missing ones in the
 * `X-Trio2o-Missing-Pods` header and records the fan-out metric.
 * @example const { answers } = await askPods(deps, c, pods, { service: 'compute', name: 'os-services', question: () => ({ path }) });
 */
export async function askPods(deps: FanoutDeps, c: Context<GatewayEnv>, pods: Pod[], o: AskOptions): Promise<AskResult> {
  const started = performance.now();
  const asked = pods.flatMap((pod) => {
    const q = o.question(pod);
    return q ? [{ pod, q }] : [];
  });
  const outcomes = await Promise.all(asked.map(({ pod, q }) => askOne(deps, c, pod, q, o)));
  const answers: PodAnswer[] = [];
  const missing: MissingPod[] = [];
  outcomes.forEach((out, i) => {
    if ('answer' in out) answers.push(out.answer);
    else missing.push({ pod: asked[i]!.pod, reason: out.reason, shown: 'skipped' });
  });
  reportFanout(c, deps.fanout.metrics, { collection: o.name, pods: asked.length, missing, items: answers.length, started });
  return { answers, missing };
}
