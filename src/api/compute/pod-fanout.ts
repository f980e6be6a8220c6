/**
 * A small parallel fan-out for the pod-level admin listings (availability-zone detail, services,
 * hypervisors): one call per pod with the caller's token and the list deadline, JSON bodies with
 * links already pointing at the gateway. A pod that fails is skipped, never a 500, and named in
 * the same `X-Trio2o-Missing-Pods` response header the list fan-out writes (src/fanout/partial.ts;
 * DESIGN: "skip the pod and say so in a header").
 */
import type { Context } from 'hono';
import type { Pod } from '../../store';
import { callPod, podRef, rewriteLinks, serviceRoot } from '../../proxy';
import { publicBase } from '../../http';
import { MISSING_PODS_HEADER } from '../../fanout';
import type { ComputeDeps, ComputeEnv } from './deps';


export interface PodAnswer {
  pod: Pod;
  status: number;
  body: unknown;
}

export interface FanOutOptions {
  method?: string;
  /** Path after `/v2.1/{project}` on the pod, e.g. `/os-services`. */
  path: string;
  /** @default the request's query string */
  search?: string;
  body?: string | null;
}

/**
 * Calls every pod in `pods` in parallel. Answers (any HTTP status) come back in pod order;
 * transport failures and non-JSON replies are skipped and reported in the header.
 */
export async function fanOut(deps: ComputeDeps, c: Context<ComputeEnv>, pods: Pod[], o: FanOutOptions): Promise<PodAnswer[]> {
  const projectId = c.get('projectId');
  const gw = publicBase(c, deps.publicUrl);
  const settled = await Promise.allSettled(
    pods.map(async (pod): Promise<PodAnswer> => {
      const res = await callPod(deps.proxy, c, {
        pod,
        service: 'compute',
        projectId,
        method: o.method ?? 'GET',
        path: `/v2.1/${encodeURIComponent(projectId)}${o.path}`,
        search: o.search,
        body: o.body === undefined ? null : o.body,
        timeoutMs: deps.listTimeoutMs,
      });
      const text = await res.text();
      const root = serviceRoot(await deps.proxy.endpoints.resolve(podRef(pod), 'compute'));
      return { pod, status: res.status, body: text.trim() === '' ? null : JSON.parse(rewriteLinks(text, root, gw)) };
    }),
  );
  const skipped = pods.filter((_, i) => settled[i]!.status === 'rejected').map((p) => p.pod_name);
  if (skipped.length) c.header(MISSING_PODS_HEADER, skipped.map((name) => `${name};reason=unreachable;shown=skipped`).join(', '));
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}

/** Enabled bottom pods in creation order. */
export async function bottomPods(deps: ComputeDeps): Promise<Pod[]> {
  return deps.podDir.bottoms();
}
