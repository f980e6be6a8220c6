// Hostile input: a seeded generator of at least 10,000 requests across every route of the three
// listeners (malformed and deep JSON, wrong types, huge bodies, unicode and NUL, encoded traversal,
// odd methods, duplicated and oversized headers, bad microversions, bad limit/marker/sort, prototype
// names), sent over loopback to the gateway running as production runs it (its own process, the
// unit's heap cap, a replica of a real sqld primary) in front of two healthy simulated pods. None
// may get a 5xx, a stack trace, a fault body out of the fault shape, or no answer; the gateway must
// not crash, and its RSS must come back near the baseline taken after a warm-up.
//
//   SEED=<n> node test/run.mjs hostile-input     # another seed; COUNT=<n> for more requests
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { CIRROS_IMAGE_ID, startSimPod, type SimPod } from '@trio2o/podsim';
import { eventually } from '../support/cloud';
import { startTestGateway } from '../support/gateway';
import { call, identity, ADMIN } from '../support/http';
import { startPrimary, type Primary } from '../multisite/primary';
import { startSite, type Site } from '../multisite/site';
import { HostileGenerator, type HostileRequest, type Known, type Listener, type RouteTemplate } from './hostile/generator';
import { rawExchange, WIRE_CASES } from './hostile/wire';
import { REASONS as HEALTH_REASONS } from '../../src/ops/health';
import { REFUSAL_MESSAGES, refusedWith501 } from '../../src/api/compute';

const SEED = Number(process.env.SEED ?? 20261206);
const COUNT = Number(process.env.COUNT ?? 10_000);
const CONCURRENCY = 8;
/** A request with no answer after this long counts as a hang. */
const HANG_MS = 20_000;
const MAX_BODY_BYTES = 64 * 1024;
/** Requests before the RSS baseline. */
const WARM_UP = 2000;
/**
 * The gateway's RSS after the run (median of 2 s of samples) stays under baseline × this. Runs of
 * three seeds ended between -1% and +6%; the margin absorbs V8 settling, a leak would not fit.
 */
const RSS_MARGIN = 1.2;
/** Text that only a stack trace or an internal path puts in a body. */
const STACK_TRACE = /\n\s+at\s|\bat [\w$.<>]+ \(|node:internal|file:\/\/|\/src\/[\w/-]+\.ts\b/;

const PROJECT = 'fz-project';
const dir = mkdtempSync(join(tmpdir(), 'trio2o-fuzz-'));
let primary: Primary;
let site: Site;
let pods: SimPod[] = [];
let known: Known;
let routes: RouteTemplate[];
const pools = new Map<Listener, Pool>();

before(async () => {
  // The route table, read off the apps a gateway builds (the gateway under test runs elsewhere).
  const probe = await startTestGateway({ logSink: () => {} });
  routes = routeTemplates(probe.gateway.apps);
  await probe.close();

  pods = [await startSimPod({ name: 'Pod1', az: 'az1-internal', record: false }), await startSimPod({ name: 'Pod2', az: 'az2-internal', record: false })];
  primary = await startPrimary({ dir });
  site = await startSite({
    name: 'fuzz',
    dir,
    primaryUrl: primary.url,
    syncInterval: 0.2,
    env: { NODE_OPTIONS: '--max-old-space-size=192', TRIO2O_API_MAX_BODY_BYTES: String(MAX_BODY_BYTES), TRIO2O_PODS_BREAKER_THRESHOLD: '1000000' },
  });
  for (const l of ['admin', 'compute', 'volume'] as const) pools.set(l, new Pool(site.urls[l], { connections: CONCURRENCY }));
  const register = async (pod: Record<string, unknown>) => {
    const r = await call(`${site.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod } });
    assert.equal(r.status, 200, r.text);
    return r.body.pod.pod_id as string;
  };
  // The top region's Glance (Nova's image proxy) is the first pod's.
  const podIds = [await register({ pod_name: 'RegionOne', endpoints: { image: pods[0]!.endpoints.image } })];
  for (const [i, p] of pods.entries()) podIds.push(await register({ pod_name: p.name, az_name: `az${i + 1}`, pod_az_name: p.az, endpoints: p.endpoints }));

  const who = identity(PROJECT, ['member'], 'fz-member');
  const compute = site.urls.compute;
  const volume = site.urls.volume;
  const post = async (url: string, body: unknown, headers = who) => {
    const r = await call(url, { method: 'POST', headers, body });
    assert.ok(r.status < 300, `${url}: ${r.status} ${r.text}`);
    return r.body;
  };
  const servers: string[] = [];
  const volumes: string[] = [];
  for (const az of ['az1', 'az2']) {
    servers.push((await post(`${compute}/v2.1/${PROJECT}/servers`, { server: { name: `fz-${az}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } })).server.id);
    volumes.push((await post(`${volume}/v3/${PROJECT}/volumes`, { volume: { size: 1, availability_zone: az } })).volume.id);
  }
  for (const id of volumes) {
    await eventually(async () => (await call(`${volume}/v3/${PROJECT}/volumes/${id}`, { headers: who })).body?.volume?.status === 'available');
  }
  const vh = { ...who, 'openstack-api-version': 'volume 3.60' };
  const snapshot = (await post(`${volume}/v3/${PROJECT}/snapshots`, { snapshot: { volume_id: volumes[0], force: true } }, vh)).snapshot.id;
  const backup = (await post(`${volume}/v3/${PROJECT}/backups`, { backup: { volume_id: volumes[1] } }, vh)).backup.id;
  const attachment = (await post(`${volume}/v3/${PROJECT}/attachments`, { attachment: { volume_uuid: volumes[0] } }, vh)).attachment.id;
  const keypair = (await post(`${compute}/v2.1/${PROJECT}/os-keypairs`, { keypair: { name: 'fz-key' } })).keypair.name;
  const aggregates = ((await call(`${compute}/v2.1/${PROJECT}/os-aggregates`, { headers: identity(PROJECT, ['admin']) })).body.aggregates as { id: number }[]).map((x) => String(x.id));
  const types = ((await call(`${volume}/v3/${PROJECT}/types`, { headers: who })).body.volume_types as { id: string }[]).map((x) => x.id);
  known = {
    project: PROJECT, otherProject: 'fz-other', servers, volumes, snapshots: [snapshot], backups: [backup], attachments: [attachment],
    aggregates, pods: podIds, keypairs: [keypair], images: [CIRROS_IMAGE_ID], types,
  };
});
after(async () => {
  await Promise.all([...pools.values()].map((p) => p.close()));
  await site?.stop();
  await primary?.stop();
  await Promise.all(pods.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Every (method, path) each listener's app registered, `*` included. */
function routeTemplates(apps: Record<Listener, { routes: { method: string; path: string }[] }>): RouteTemplate[] {
  const out: RouteTemplate[] = [];
  for (const listener of ['admin', 'compute', 'volume'] as const) {
    const seen = new Set<string>();
    for (const r of apps[listener].routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ listener, method: r.method, path: r.path });
    }
  }
  return out;
}

interface Outcome {
  req: HostileRequest;
  status: number;
  text: string;
  contentType: string;
  ms: number;
  via: 'pool' | 'wire';
}

/** The gateway process's resident set. */
function gatewayRss(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${site.pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Header values undici sends (it refuses the others, and a Pool that refused one stalls). */
const SENDABLE_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** On a keep-alive connection when undici can express the request, else on a raw socket. */
async function send(r: HostileRequest): Promise<Outcome> {
  const t0 = performance.now();
  if (!r.headers.every(([, v]) => SENDABLE_VALUE.test(v))) {
    const w = await rawExchange(site.urls[r.listener], r.method, r.url, r.headers, r.body);
    return { req: r, ...w, ms: performance.now() - t0, via: 'wire' };
  }
  const res = await pools.get(r.listener)!.request({ method: r.method as 'GET', path: r.url, headers: r.headers.flat(), body: r.method === 'HEAD' ? undefined : r.body });
  const text = await res.body.text();
  const ct = res.headers['content-type'];
  return { req: r, status: res.statusCode, text, contentType: String(Array.isArray(ct) ? ct[0] : (ct ?? '')), ms: performance.now() - t0, via: 'pool' };
}

function withDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${HANG_MS} ms: ${what}`)), HANG_MS)))]).finally(() => clearTimeout(timer));
}

/**
 * `/healthcheck` answers 503 by design while a dependency is unwell (oslo.middleware's contract):
 * under a loaded machine the replica's probe of its primary can miss for a moment. That 503, with
 * one of its reasons as the body, is a report, not a failure to answer.
 */
function healthReport(o: Outcome): boolean {
  const reasons = Object.values(HEALTH_REASONS) as string[];
  return o.status === 503 && o.req.url.startsWith('/healthcheck') && o.text.split('\n').filter(Boolean).every((l) => reasons.includes(l.trim()));
}

/**
 * The compute paths the gateway refuses by design (Nova's proxies to Neutron, host
 * administration, aggregate image caching) answer 501 notImplemented with their reason, as Nova
 * answers a feature it does not support: a documented answer, not a failure. Only those exact
 * faults (or a bodiless HEAD on those paths) count as such.
 */
function deliberateRefusal(o: Outcome): boolean {
  if (o.status !== 501 || o.req.listener !== 'compute' || !refusedWith501(new URL(o.req.url, 'http://x').pathname)) return false;
  if (o.req.method === 'HEAD') return o.text === '';
  try {
    const f = (JSON.parse(o.text) as { notImplemented?: { code?: unknown; message?: unknown } }).notImplemented;
    return f?.code === 501 && REFUSAL_MESSAGES.includes(String(f.message));
  } catch {
    return false;
  }
}

/** What is wrong with one answer, if anything. */
function problem(o: Outcome): string | undefined {
  if (healthReport(o) || deliberateRefusal(o)) return undefined;
  if (o.status >= 500) return `status ${o.status}`;
  if (STACK_TRACE.test(o.text)) return 'stack trace in the body';
  if (o.status >= 400 && o.req.method !== 'HEAD' && o.contentType.includes('json') && o.text !== '') {
    let body: unknown;
    try {
      body = JSON.parse(o.text);
    } catch {
      return 'a JSON fault that does not parse';
    }
    const values = body && typeof body === 'object' ? Object.values(body) : [];
    const f = values[0] as { code?: unknown; message?: unknown } | undefined;
    if (values.length !== 1 || !f || f.code !== o.status || typeof f.message !== 'string') return 'a fault body not in the fault shape';
  }
  return undefined;
}

function describe(o: Outcome, why: string): string {
  const r = o.req;
  return `${why}: ${r.listener} ${r.method} ${r.url.slice(0, 200)} [${r.kinds.join(',')}] (${o.via}) → ${o.status} ${o.text.slice(0, 300)}`;
}

/** Samples the gateway's RSS every 200 ms for `ms` and returns the median (one sample is noisy). */
async function settledRss(ms = 2000): Promise<number> {
  const xs: number[] = [];
  for (const end = Date.now() + ms; Date.now() < end; ) {
    xs.push(gatewayRss());
    await new Promise((r) => setTimeout(r, 200));
  }
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

test(`${COUNT} hostile requests (seed ${SEED}) and the wire-level cases: no 5xx, no stack trace, no hang, faults in shape, RSS near baseline`, async (t) => {
  const gen = new HostileGenerator(SEED, routes, known, { maxBodyBytes: MAX_BODY_BYTES });
  // Warm-up (not counted, another seed): V8 grows its heap to the working set and lazily built
  // state settles before the RSS baseline is taken.
  const warm = new HostileGenerator(SEED + 1, routes, known, { maxBodyBytes: MAX_BODY_BYTES });
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = 0; i < WARM_UP / CONCURRENCY; i++) {
      const req = warm.next();
      await withDeadline(send(req), `warm-up ${req.method} ${req.url.slice(0, 120)}`);
    }
  }));
  const baseline = await settledRss();
  const started = Date.now();
  const counts = { total: 0, byStatus: new Map<number, number>(), wire: 0, slowestMs: 0, closed: [] as string[], healthReports: 0, refusals: 0 };
  const bad: string[] = [];
  const record = (o: Outcome) => {
    counts.total++;
    counts.byStatus.set(o.status, (counts.byStatus.get(o.status) ?? 0) + 1);
    if (o.via === 'wire') counts.wire++;
    counts.slowestMs = Math.max(counts.slowestMs, o.ms);
    if (o.status === 0) counts.closed.push(o.req.kinds.at(-1) ?? o.req.method);
    if (healthReport(o)) counts.healthReports++;
    if (deliberateRefusal(o)) counts.refusals++;
    const why = problem(o);
    if (why && bad.length < 25) bad.push(describe(o, why));
  };
  let issued = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < COUNT) {
        issued++;
        const req = gen.next();
        record(await withDeadline(send(req), `${req.method} ${req.url.slice(0, 120)}`));
      }
    }),
  );
  for (const w of WIRE_CASES(known, PROJECT)) {
    const t0 = performance.now();
    const out = await withDeadline(rawExchange(site.urls[w.listener], w.method, w.url, w.headers, w.body, w.raw), w.name);
    record({ req: { listener: w.listener, method: w.method, url: w.url, headers: w.headers, body: w.body, kinds: [w.name] }, ...out, ms: performance.now() - t0, via: 'wire' });
  }
  const seconds = (Date.now() - started) / 1000;
  const after = await settledRss();
  // The gateway never stopped, and it and the pods still answer: a create (in a project the run
  // left its quota to), a show and a list.
  assert.doesNotThrow(() => process.kill(site.pid, 0), 'the gateway process is alive');
  assert.equal(site.logs.some((l) => l.event === 'unhandled_error'), false, 'no unhandled_error logged');
  const who = identity('fz-alive', ['member'], 'fz-alive');
  const made = await call(`${site.urls.compute}/v2.1/fz-alive/servers`, { method: 'POST', headers: who, body: { server: { name: 'alive', flavorRef: '2', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(made.status, 202, made.text);
  assert.equal((await call(`${site.urls.compute}/v2.1/fz-alive/servers/${made.body.server.id}`, { headers: who })).status, 200);
  assert.equal((await call(`${site.urls.volume}/v3/fz-alive/volumes/detail`, { headers: who })).status, 200);
  const statuses = [...counts.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ');
  const fivexx = [...counts.byStatus.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0) - counts.healthReports - counts.refusals;
  t.diagnostic(`seed ${SEED}: ${counts.total} requests (${counts.wire} on raw sockets) in ${seconds.toFixed(1)} s; 5xx: ${fivexx} (and ${counts.healthReports} /healthcheck 503 reports, ${counts.refusals} deliberate 501 refusals); slowest ${counts.slowestMs.toFixed(0)} ms`);
  t.diagnostic(`statuses: ${statuses}`);
  if (counts.closed.length) t.diagnostic(`closed by Node's HTTP parser without an answer: ${[...new Set(counts.closed)].join('; ')}`);
  t.diagnostic(`gateway RSS baseline ${(baseline / 2 ** 20).toFixed(1)} MiB, after ${(after / 2 ** 20).toFixed(1)} MiB (${((after / baseline - 1) * 100).toFixed(1)}%)`);
  assert.ok(counts.total >= COUNT, `${counts.total} requests`);
  assert.deepEqual(bad, [], `${bad.length}+ bad answers:\n${bad.join('\n')}`);
  assert.equal(fivexx, 0);
  assert.ok(after < baseline * RSS_MARGIN, `gateway RSS ${(baseline / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB`);
});
