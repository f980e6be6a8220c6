/**
 * Questions every pod answers for itself, asked of all of them (askPods) and merged the way Nova
 * merges its cells' answers:
 * - `/extensions[/{alias}]`: the union of the pods' (static) lists, by alias, in first-seen order;
 * - `/os-instance_usage_audit_log[/{before}]` (admin): one report over every pod's compute hosts —
 *   host counts, instances and errors summed, the logs and not-run hosts joined, the overall
 *   status recomputed as instance_usage_audit_log.py words it;
 * - `/os-console-auth-tokens/{token}` (admin): the pod that issued the token answers (Nova
 *   scatter-gathers its cells the same way); no pod knowing it is Nova's 404.
 */
import type { Context } from 'hono';
import { askPods, type AskResult, type PodAnswer } from '../../fanout';
import { noneFound, podItems } from '../common';
import { ApiError, notFound } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { can } from './policy';

async function askAll(deps: ComputeDeps, c: Context<ComputeEnv>, path: string, name: string, accept: (s: number) => boolean): Promise<PodAnswer[]> {
  return (await askEvery(deps, c, path, name, accept)).answers;
}

/** Every pod asked; the pods that failed are named in `missing`. */
async function askEvery(deps: ComputeDeps, c: Context<ComputeEnv>, path: string, name: string, accept: (s: number) => boolean): Promise<AskResult> {
  const podPath = `/v2.1/${encodeURIComponent(c.get('projectId'))}${path}`;
  const search = new URL(c.req.url).search;
  return askPods(deps, c, await deps.podDir.bottoms(), { service: 'compute', name, question: () => ({ path: podPath, search }), accept });
}

/** A 4xx every pod gave alike is the answer (the request itself is wrong); its status and message pass on. */
function sameRefusal(answers: PodAnswer[]): ApiError | undefined {
  if (answers.length === 0 || !answers.every((a) => a.status >= 400 && a.status === answers[0]!.status)) return undefined;
  const fault = Object.values((answers[0]!.body ?? {}) as Record<string, { message?: unknown }>)[0];
  return new ApiError(answers[0]!.status, typeof fault?.message === 'string' ? fault.message : 'The resource could not be found.');
}

type Extension = Record<string, unknown> & { alias?: unknown };

export async function extensionsIndex(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const answers = await askAll(deps, c, '/extensions', 'extensions', (s) => s === 200);
  const byAlias = new Map<unknown, Extension>();
  for (const a of answers) for (const e of podItems(a.body, 'extensions') as Extension[]) if (!byAlias.has(e.alias)) byAlias.set(e.alias, e);
  return c.json({ extensions: [...byAlias.values()] });
}

export async function extensionShow(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const alias = c.req.param('alias')!;
  const { answers, missing } = await askEvery(deps, c, `/extensions/${encodeURIComponent(alias)}`, 'extensions', (s) => s === 200 || s === 404);
  const found = answers.find((a) => a.status === 200);
  if (!found) throw noneFound(missing, notFound('The resource could not be found.'), answers.length);
  return c.json(found.body as Record<string, unknown>);
}

type AuditLog = {
  period_beginning?: string;
  period_ending?: string;
  num_hosts: number;
  num_hosts_done: number;
  num_hosts_running: number;
  num_hosts_not_run: number;
  hosts_not_run: string[];
  total_instances: number;
  total_errors: number;
  log: Record<string, unknown>;
};

function mergeAuditLogs(logs: Partial<AuditLog>[]): Record<string, unknown> {
  const out: AuditLog = { num_hosts: 0, num_hosts_done: 0, num_hosts_running: 0, num_hosts_not_run: 0, hosts_not_run: [], total_instances: 0, total_errors: 0, log: {} };
  for (const l of logs) {
    out.period_beginning ??= l.period_beginning;
    out.period_ending ??= l.period_ending;
    for (const k of ['num_hosts', 'num_hosts_done', 'num_hosts_running', 'num_hosts_not_run', 'total_instances', 'total_errors'] as const) out[k] += Number(l[k] ?? 0);
    out.hosts_not_run.push(...(l.hosts_not_run ?? []));
    Object.assign(out.log, l.log ?? {});
  }
  const done = out.num_hosts_done === out.num_hosts ? 'ALL' : `${out.num_hosts_done} of ${out.num_hosts}`;
  return { ...out, overall_status: `${done} hosts done. ${out.total_errors} errors.` };
}

/** `/os-instance_usage_audit_log` and `/{before}` (a timestamp the pods parse and check alike). */
export async function auditLog(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  const before = c.req.param('before');
  can(deps.policy, c.get('auth'), before === undefined ? 'os_compute_api:os-instance-usage-audit-log:list' : 'os_compute_api:os-instance-usage-audit-log:show', {});
  const path = before === undefined ? '/os-instance_usage_audit_log' : `/os-instance_usage_audit_log/${encodeURIComponent(before)}`;
  const key = before === undefined ? 'instance_usage_audit_logs' : 'instance_usage_audit_log';
  const answers = await askAll(deps, c, path, 'instance-usage-audit-log', (s) => s === 200 || s === 400);
  const refused = sameRefusal(answers);
  if (refused) throw refused;
  const logs = answers.filter((a) => a.status === 200).map((a) => ((a.body as Record<string, Partial<AuditLog>> | null)?.[key] ?? {}));
  return c.json({ [key]: mergeAuditLogs(logs) });
}

export async function consoleAuthToken(deps: ComputeDeps, c: Context<ComputeEnv>): Promise<Response> {
  can(deps.policy, c.get('auth'), 'os_compute_api:os-console-auth-tokens', {});
  const token = c.req.param('token')!;
  const { answers, missing } = await askEvery(deps, c, `/os-console-auth-tokens/${encodeURIComponent(token)}`, 'console-auth-tokens', (s) => s === 200 || s === 400 || s === 404);
  const found = answers.find((a) => a.status === 200);
  if (found) return c.json(found.body as Record<string, unknown>);
  const refused = sameRefusal(answers);
  if (refused && refused.status === 400) throw refused;
  // The pod that did not answer may be the one that issued the token.
  throw noneFound(missing, notFound('Token not found'), answers.length);
}
