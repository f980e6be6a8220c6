/**
 * `/healthcheck` on every listener, in oslo.middleware's shape so existing load-balancer and
 * monitoring checks work unchanged:
 *   GET  → 200 `OK` | 503 with one reason per line (text/plain, the default)
 *   GET with `Accept: application/json` → `{"detailed": false, "reasons": [...]}` (4-space indent)
 *   HEAD → 204 | 503, no body
 * Checks: the disable-by-file switch (drain a host before maintenance), shutdown in progress,
 * the state store answering a query, the replica attached to its primary, and at least one
 * enabled pod reachable. They are cheap (no pod is called): reachability comes from the
 * outcomes the pod client already observed and the breakers.
 */
import { existsSync } from 'node:fs';
import type { Context } from 'hono';

export const REASONS = {
  ok: 'OK',
  disabled: 'DISABLED BY FILE',
  stopping: 'SHUTTING DOWN',
  store: 'STATE STORE UNAVAILABLE',
  replica: 'REPLICA DETACHED FROM PRIMARY',
  pods: 'NO ENABLED POD REACHABLE',
} as const;

/** How long the store probe may take before the store counts as unavailable. */
export const STORE_PROBE_TIMEOUT_MS = 2_000;

export interface HealthResult {
  available: boolean;
  reason: string;
}

export interface HealthSources {
  /** `[DEFAULT] healthcheck_disable_file`: while this file exists, every listener reports 503. */
  disableFile?: string;
  /** True once shutdown has begun (the host is draining). */
  stopping?: () => boolean;
  /** Resolves when the store answers a trivial query. */
  probeStore: () => Promise<unknown>;
  /** Replica state; absent in standalone mode. */
  replica?: () => { detached: boolean };
  /** Enabled bottom pods. */
  enabledPods?: () => Promise<{ pod_id: string }[]>;
  /** Whether a pod is believed reachable (see PodReachability). */
  podReachable?: (podId: string) => boolean;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Runs every check; the gateway is healthy when all results are available. */
export async function runHealthChecks(s: HealthSources): Promise<HealthResult[]> {
  const failed: string[] = [];
  if (s.disableFile && existsSync(s.disableFile)) failed.push(REASONS.disabled);
  if (s.stopping?.()) failed.push(REASONS.stopping);
  let storeOk = true;
  try {
    await withTimeout(s.probeStore(), STORE_PROBE_TIMEOUT_MS);
  } catch {
    storeOk = false;
    failed.push(REASONS.store);
  }
  if (s.replica?.().detached) failed.push(REASONS.replica);
  if (storeOk && s.enabledPods && s.podReachable) {
    try {
      const pods = await s.enabledPods();
      // No pods registered yet is a fresh site, not an outage: only "all registered are down" fails.
      if (pods.length > 0 && !pods.some((p) => s.podReachable!(p.pod_id))) failed.push(REASONS.pods);
    } catch {
      if (!failed.includes(REASONS.store)) failed.push(REASONS.store);
    }
  }
  return failed.length === 0 ? [{ available: true, reason: REASONS.ok }] : failed.map((reason) => ({ available: false, reason }));
}

const OFFERS = ['text/plain', 'application/json'] as const;

/** oslo's content negotiation: highest q wins, ties go to server order, nothing acceptable → text. */
export function negotiate(accept: string | undefined): (typeof OFFERS)[number] {
  if (!accept) return 'text/plain';
  let best: { type: (typeof OFFERS)[number]; q: number; order: number } | undefined;
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!range || !(q > 0)) continue;
    OFFERS.forEach((type, order) => {
      const matches = range === type || range === '*/*' || range === `${type.split('/')[0]}/*`;
      if (matches && (!best || q > best.q || (q === best.q && order < best.order))) best = { type, q, order };
    });
  }
  return best?.type ?? 'text/plain';
}

/** The Hono handler for GET/HEAD /healthcheck. */
export function healthcheck(sources: HealthSources) {
  return async function healthcheckHandler(c: Context): Promise<Response> {
    const results = await runHealthChecks(sources);
    const healthy = results.every((r) => r.available);
    if (c.req.method === 'HEAD') return c.body(null, healthy ? 204 : 503, { 'content-type': 'text/plain; charset=UTF-8' });
    const status = healthy ? 200 : 503;
    const reasons = results.map((r) => r.reason);
    if (negotiate(c.req.header('accept')) === 'application/json') {
      return c.body(JSON.stringify({ detailed: false, reasons }, null, 4), status, { 'content-type': 'application/json; charset=UTF-8' });
    }
    return c.body(reasons.join('\n'), status, { 'content-type': 'text/plain; charset=UTF-8' });
  };
}
