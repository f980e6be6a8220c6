/** Small HTTP helpers for tests: one call, status + headers + parsed JSON body. */
import assert from 'node:assert/strict';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = any>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: any = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** noauth identity headers. */
export function identity(project: string, roles: string[] = ['member'], user = `user-${project}`): Record<string, string> {
  return { 'x-project-id': project, 'x-user-id': user, 'x-roles': roles.join(','), 'x-auth-token': `tok-${user}` };
}

export const ADMIN = identity('admin-project', ['admin'], 'admin-user');
export const MEMBER = identity('tenant-1', ['member'], 'member-user');

/** Asserts a fault answer: the status, the exact body, a JSON content type and a request id. */
export function assertFault(r: Reply, status: number, body: unknown): void {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  assert.deepEqual(r.body, body);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-/);
}
