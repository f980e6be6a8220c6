/**
 * What every real-pods scenario uses: the bed (one per process, started on first use and stopped
 * when its last user is done, or attached with TRIO2O_REALPODS_BED), the real clients, raw HTTP,
 * and the admin's direct view of a pod (to check that an effect happened in the right pod).
 */
import { after, before } from 'node:test';
import { execFile } from 'node:child_process';
import { attachBed } from '../bed/remote';
import { poll } from '../bed/util';
import { startBed, type Bed, type Creds } from '../bed/bed';
import type { RealPod } from '../bed/pod';

export type { Bed, Creds, RealPod };

let shared: Promise<Bed> | undefined;
let holders = 0;

/** The process's bed: attached (TRIO2O_REALPODS_BED), or started on the first call. */
export function acquireBed(): Promise<Bed> {
  holders++;
  shared ??= process.env.TRIO2O_REALPODS_BED ? Promise.resolve(attachBed(process.env.TRIO2O_REALPODS_BED)) : startBed();
  return shared;
}

/** Stops the bed when its last holder lets go (an attached bed keeps running). */
export async function releaseBed(): Promise<void> {
  holders--;
  if (holders > 0 || !shared) return;
  const bed = shared;
  shared = undefined;
  await (await bed.catch(() => undefined))?.stop();
}

/** Inside a describe(): the bed for its tests (before: acquire, after: release). */
export function useBed(): () => Bed {
  let bed: Bed | undefined;
  before(async () => {
    bed = await acquireBed();
  }, { timeout: 20 * 60_000 });
  after(() => releaseBed());
  return () => {
    if (!bed) throw new Error('the bed is not up (its start failed: see above)');
    return bed;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined/false; throws naming `what`. */
export function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 120_000, everyMs = 300): Promise<T> {
  return poll(what, ms, check, everyMs);
}

/** Runs a real client (openstack, nova, cinder, curl); rejects with its output when it fails. */
export function cli(env: NodeJS.ProcessEnv, cmd: string, args: string[], timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${String(stderr).slice(-2000)}${String(stdout).slice(-1000)}`));
      else resolve(String(stdout));
    });
  });
}

/** The same, expected to fail: resolves with its stderr + stdout. */
export function cliFails(env: NodeJS.ProcessEnv, cmd: string, args: string[], timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) resolve(`${String(stderr)}${String(stdout)}`);
      else reject(new Error(`${cmd} ${args.join(' ')} succeeded, but it should have failed:\n${String(stdout).slice(-1000)}`));
    });
  });
}

export const openstack = (c: Creds | NodeJS.ProcessEnv, ...args: string[]) => cli('env' in c ? (c as Creds).env : (c as NodeJS.ProcessEnv), '/usr/bin/openstack', args);
/** `openstack ... -f json`, parsed. */
export async function osc<T = any>(c: Creds | NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  return JSON.parse(await openstack(c, ...args, '-f', 'json')) as T;
}
export const nova = (c: Creds, ...args: string[]) => cli(c.env, '/usr/bin/nova', args);
export const cinder = (c: Creds, ...args: string[]) => cli(c.env, '/usr/bin/cinder', args);
/** The `id` row of a nova/cinder table answer. */
export function tableId(out: string): string {
  const id = /\|\s+id\s+\|\s+([0-9a-f-]{36})\s+\|/.exec(out)?.[1];
  if (!id) throw new Error(`no id in:\n${out}`);
  return id;
}

export interface Answer<T = any> {
  status: number;
  json: T;
  headers: Headers;
  text: string;
}

/** One HTTP request with a token; the body as JSON when it parses. */
export async function http<T = any>(method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { 'x-auth-token': token } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json: json as T, headers: res.headers, text };
}

/** Nova microversion headers (both spellings, as novaclient sends them). */
export const mv = (v: string) => ({ 'OpenStack-API-Version': `compute ${v}`, 'X-OpenStack-Nova-API-Version': v });
export const vmv = (v: string) => ({ 'OpenStack-API-Version': `volume ${v}` });

/** The gateway's URLs for a project. */
export function gw(bed: Bed, projectId: string) {
  return { compute: `${bed.gateway.urls.compute}/v2.1`, volume: `${bed.gateway.urls.volume}/v3/${projectId}`, admin: `${bed.gateway.urls.admin}/v1.0` };
}

/** A server as the pod itself shows it to the admin (2.79), or undefined when the pod has none. */
export async function podServer(bed: Bed, pod: RealPod, id: string): Promise<Record<string, any> | undefined> {
  const r = await http('GET', `${pod.endpoints.compute}/servers/${id}`, await bed.users.admin.token(), undefined, mv('2.79'));
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`${pod.name} GET server ${id}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json.server;
}

/** A volume as the pod's Cinder shows it to the admin, or undefined. */
export async function podVolume(bed: Bed, pod: RealPod, id: string): Promise<Record<string, any> | undefined> {
  const admin = bed.users.admin;
  const r = await http('GET', `${pod.endpoints.volumev3.replace('%(project_id)s', admin.projectId)}/volumes/${id}`, await admin.token());
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`${pod.name} GET volume ${id}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json.volume;
}

/** Which pods hold a server (by asking each one). */
export async function podsHoldingServer(bed: Bed, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const p of bed.pods) if (await podServer(bed, p, id)) found.push(p.name);
  return found;
}

export async function podsHoldingVolume(bed: Bed, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const p of bed.pods) if (await podVolume(bed, p, id)) found.push(p.name);
  return found;
}

/** Waits until the pod shows the server in a steady state (no task) with this status. */
export function podServerStatus(bed: Bed, pod: RealPod, id: string, status: string, ms = 120_000): Promise<Record<string, any>> {
  return waitFor(`${pod.name}: server ${id} ${status}`, async () => {
    const s = await podServer(bed, pod, id);
    if (s?.status === 'ERROR') throw new Error(`server ${id} went to ERROR: ${JSON.stringify(s.fault ?? {})}`);
    return s && s.status === status && !s['OS-EXT-STS:task_state'] ? s : undefined;
  }, ms);
}

export function podServerGone(bed: Bed, pod: RealPod, id: string, ms = 120_000): Promise<true> {
  return waitFor(`${pod.name}: server ${id} gone`, async () => (await podServer(bed, pod, id)) === undefined || undefined, ms);
}

export function podVolumeStatus(bed: Bed, pod: RealPod, id: string, status: string, ms = 120_000): Promise<Record<string, any>> {
  return waitFor(`${pod.name}: volume ${id} ${status}`, async () => {
    const v = await podVolume(bed, pod, id);
    if (v && v.status.startsWith('error') && !status.startsWith('error')) throw new Error(`volume ${id} went to ${v.status}`);
    return v?.status === status ? v : undefined;
  }, ms);
}

export function podVolumeGone(bed: Bed, pod: RealPod, id: string, ms = 120_000): Promise<true> {
  return waitFor(`${pod.name}: volume ${id} gone`, async () => (await podVolume(bed, pod, id)) === undefined || undefined, ms);
}

/** A server created through the gateway with raw HTTP (networks none), its id. */
export async function createServer(bed: Bed, c: Creds, o: { name: string; az?: string; flavor?: string; image?: string; extra?: Record<string, unknown> }): Promise<string> {
  const server: Record<string, unknown> = {
    name: o.name, flavorRef: o.flavor ?? '42', imageRef: o.image ?? bed.images.tiny, networks: 'none', ...o.extra,
  };
  if (o.az) server.availability_zone = o.az;
  const r = await http('POST', `${gw(bed, c.projectId).compute}/servers`, await c.token(), { server }, mv('2.79'));
  if (r.status !== 202) throw new Error(`create server ${o.name}: ${r.status} ${r.text.slice(0, 500)}`);
  return r.json.server.id;
}

export async function createVolume(bed: Bed, c: Creds, o: { name: string; az?: string; size?: number; extra?: Record<string, unknown> }): Promise<string> {
  const volume: Record<string, unknown> = { name: o.name, size: o.size ?? 1, ...o.extra };
  if (o.az) volume.availability_zone = o.az;
  const r = await http('POST', `${gw(bed, c.projectId).volume}/volumes`, await c.token(), { volume });
  if (r.status !== 202) throw new Error(`create volume ${o.name}: ${r.status} ${r.text.slice(0, 500)}`);
  return r.json.volume.id;
}

/** Deletes through the gateway whatever the project still has (best effort, for after()). */
export async function cleanProject(bed: Bed, c: Creds): Promise<void> {
  const g = gw(bed, c.projectId);
  const token = await c.token();
  const servers = await http('GET', `${g.compute}/servers`, token);
  for (const s of servers.json?.servers ?? []) await http('DELETE', `${g.compute}/servers/${s.id}`, token);
  const volumes = await http('GET', `${g.volume}/volumes`, token);
  for (const v of volumes.json?.volumes ?? []) await http('DELETE', `${g.volume}/volumes/${v.id}`, token);
}
