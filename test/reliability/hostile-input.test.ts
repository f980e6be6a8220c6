// Hostile input: a seeded generator of at least 10,000 requests across every route of the three
// listeners (malformed and deep JSON, wrong types, huge bodies, unicode and NUL, encoded traversal,
// odd methods, duplicated and oversized headers, bad microversions, bad limit/marker/sort, prototype
// names), mostly in-process (app.request) and the wire-level part over loopback. With healthy pods,
// none may get a 5xx, a stack trace, a fault body that is not in the fault shape, or no answer; the
// process must not crash, and its RSS must come back near the baseline.
//
//   SEED=<n> node test/run.mjs hostile-input     # another seed; COUNT=<n> for more requests
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { eventually, startCloud, type Cloud } from '../support/cloud';
import { call, identity, ADMIN } from '../support/http';
import { HostileGenerator, type HostileRequest, type Known, type RouteTemplate } from './hostile/generator';
import { rawExchange, WIRE_CASES } from './hostile/wire';

const SEED = Number(process.env.SEED ?? 20261206);
const COUNT = Number(process.env.COUNT ?? 10_000);
const CONCURRENCY = 8;
/** A request with no answer after this long counts as a hang. */
const HANG_MS = 20_000;
const MAX_BODY_BYTES = 64 * 1024;
/** Requests before the RSS baseline. */
const WARM_UP = 2000;
/** RSS after the run, after a full GC, stays under baseline × this. */
const RSS_MARGIN = 1.35;
/** The live heap (after a full GC) grows by less than this over the run. */
const HEAP_GROWTH_MAX = 12 * 2 ** 20;
/** Text that only a stack trace or an internal path puts in a body. */
const STACK_TRACE = /\n\s+at\s|\bat [\w$.<>]+ \(|node:internal|file:\/\/|\/src\/[\w/-]+\.ts\b/;

let cloud: Cloud;
let known: Known;
const PROJECT = 'fz-project';

before(async () => {
  // Nothing kept per request (pods' request logs, log lines), so memory measures the gateway.
  cloud = await startCloud([{ topAz: 'az1', record: false }, { topAz: 'az2', record: false }], {
    maxBodyBytes: MAX_BODY_BYTES,
    pods: { breakerThreshold: 1_000_000 },
    logSink: () => {},
  });
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  // The top region's Glance (Nova's image proxy) is the first pod's.
  const pods = (await call(`${cloud.admin}/v1.0/pods`, { headers: ADMIN })).body.pods as { pod_id: string; az_name: string }[];
  const top = pods.find((p) => p.az_name === '')!;
  const put = await call(`${cloud.admin}/v1.0/pods/${top.pod_id}`, { method: 'PUT', headers: ADMIN, body: { pod: { endpoints: { image: cloud.pods[0]!.endpoints.image } } } });
  assert.equal(put.status, 200, put.text);
  const who = identity(PROJECT, ['member'], 'fz-member');
  const post = async (url: string, body: unknown, headers = who) => {
    const r = await call(url, { method: 'POST', headers, body });
    assert.ok(r.status < 300, `${url}: ${r.status} ${r.text}`);
    return r.body;
  };
  const servers: string[] = [];
  const volumes: string[] = [];
  for (const az of ['az1', 'az2']) {
    servers.push((await post(`${cloud.compute}/v2.1/${PROJECT}/servers`, { server: { name: `fz-${az}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } })).server.id);
    volumes.push((await post(`${cloud.volume}/v3/${PROJECT}/volumes`, { volume: { size: 1, availability_zone: az } })).volume.id);
  }
  const vh = { ...who, 'openstack-api-version': 'volume 3.60' };
  for (const id of volumes) {
    await eventually(async () => (await call(`${cloud.volume}/v3/${PROJECT}/volumes/${id}`, { headers: who })).body?.volume?.status === 'available');
  }
  const snapshot = (await post(`${cloud.volume}/v3/${PROJECT}/snapshots`, { snapshot: { volume_id: volumes[0], force: true } }, vh)).snapshot.id;
  const backup = (await post(`${cloud.volume}/v3/${PROJECT}/backups`, { backup: { volume_id: volumes[1] } }, vh)).backup.id;
  const attachment = (await post(`${cloud.volume}/v3/${PROJECT}/attachments`, { attachment: { volume_uuid: volumes[0] } }, vh)).attachment.id;
  const keypair = (await post(`${cloud.compute}/v2.1/${PROJECT}/os-keypairs`, { keypair: { name: 'fz-key' } })).keypair.name;
  const aggregates = ((await call(`${cloud.compute}/v2.1/${PROJECT}/os-aggregates`, { headers: identity(PROJECT, ['admin']) })).body.aggregates as { id: number }[]).map((a) => String(a.id));
  const types = ((await call(`${cloud.volume}/v3/${PROJECT}/types`, { headers: who })).body.volume_types as { id: string }[]).map((t) => t.id);
  known = {
    project: PROJECT, otherProject: 'fz-other', servers, volumes, snapshots: [snapshot], backups: [backup], attachments: [attachment],
    aggregates, pods: pods.map((p) => p.pod_id), keypairs: [keypair], images: [CIRROS_IMAGE_ID], types,
  };
});
after(() => cloud?.close());

/** Every (method, path) each listener's app registered, `*` included. */
function routeTemplates(): RouteTemplate[] {
  const out: RouteTemplate[] = [];
  for (const listener of ['admin', 'compute', 'volume'] as const) {
    const seen = new Set<string>();
    for (const r of cloud.gw.gateway.apps[listener].routes) {
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
  via: 'app' | 'wire';
}

function rss(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().rss;
}

/** In-process when the Fetch API can express the request, else on the wire. */
async function send(r: HostileRequest): Promise<Outcome> {
  const t0 = performance.now();
  let init: RequestInit;
  try {
    const headers = new Headers();
    for (const [k, v] of r.headers) headers.append(k, v);
    init = { method: r.method, headers, body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body };
    new Request(`http://gw${r.url}`, init); // throws for what the Fetch API refuses
  } catch {
    const w = await rawExchange(cloud.gw.urls[r.listener], r.method, r.url, r.headers, r.body);
    return { req: r, ...w, ms: performance.now() - t0, via: 'wire' };
  }
  const res = await cloud.gw.gateway.apps[r.listener].request(r.url, init);
  const text = await res.text();
  return { req: r, status: res.status, text, contentType: res.headers.get('content-type') ?? '', ms: performance.now() - t0, via: 'app' };
}

function withDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${HANG_MS} ms: ${what}`)), HANG_MS)))]).finally(() => clearTimeout(timer));
}

/** What is wrong with one answer, if anything. */
function problem(o: Outcome): string | undefined {
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

test(`${COUNT} hostile requests (seed ${SEED}) and the wire-level cases: no 5xx, no stack trace, no hang, faults in shape, RSS near baseline`, async (t) => {
  const gen = new HostileGenerator(SEED, routeTemplates(), known, { maxBodyBytes: MAX_BODY_BYTES });
  // Warm-up (not counted, another seed): V8 grows its heap to the working set and lazily built
  // state settles before the RSS baseline is taken.
  const warm = new HostileGenerator(SEED + 1, routeTemplates(), known, { maxBodyBytes: MAX_BODY_BYTES });
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = 0; i < WARM_UP / CONCURRENCY; i++) await send(warm.next());
  }));
  const baseline = rss();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = Date.now();
  const counts = { total: 0, byStatus: new Map<number, number>(), wire: 0, slowestMs: 0, closed: [] as string[] };
  const bad: string[] = [];
  const record = (o: Outcome) => {
    counts.total++;
    counts.byStatus.set(o.status, (counts.byStatus.get(o.status) ?? 0) + 1);
    if (o.via === 'wire') counts.wire++;
    counts.slowestMs = Math.max(counts.slowestMs, o.ms);
    if (o.status === 0) counts.closed.push(o.req.kinds.at(-1) ?? o.req.method);
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
    const out = await withDeadline(rawExchange(cloud.gw.urls[w.listener], w.method, w.url, w.headers, w.body, w.raw), w.name);
    record({ req: { listener: w.listener, method: w.method, url: w.url, headers: w.headers, body: w.body, kinds: [w.name] }, ...out, ms: performance.now() - t0, via: 'wire' });
  }
  const seconds = (Date.now() - started) / 1000;
  const after = rss();
  // The gateway and the pods still answer: a create, a show and a list.
  const who = identity(PROJECT, ['member'], 'fz-member');
  const made = await call(`${cloud.compute}/v2.1/${PROJECT}/servers`, { method: 'POST', headers: who, body: { server: { name: 'alive', flavorRef: '2', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(made.status, 202, made.text);
  assert.equal((await call(`${cloud.compute}/v2.1/${PROJECT}/servers/${made.body.server.id}`, { headers: who })).status, 200);
  assert.equal((await call(`${cloud.volume}/v3/${PROJECT}/volumes/detail`, { headers: who })).status, 200);
  const statuses = [...counts.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ');
  const fivexx = [...counts.byStatus.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  t.diagnostic(`seed ${SEED}: ${counts.total} requests (${counts.wire} on the wire) in ${seconds.toFixed(1)} s; 5xx: ${fivexx}; slowest ${counts.slowestMs.toFixed(0)} ms`);
  t.diagnostic(`statuses: ${statuses}`);
  if (counts.closed.length) t.diagnostic(`closed by Node's HTTP parser without an answer: ${[...new Set(counts.closed)].join('; ')}`);
  const heapAfter = process.memoryUsage().heapUsed;
  t.diagnostic(`RSS baseline ${(baseline / 2 ** 20).toFixed(1)} MiB, after ${(after / 2 ** 20).toFixed(1)} MiB (${((after / baseline - 1) * 100).toFixed(1)}%); heap used ${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} MiB`);
  assert.ok(counts.total >= COUNT, `${counts.total} requests`);
  assert.deepEqual(bad, [], `${bad.length}+ bad answers:\n${bad.join('\n')}`);
  assert.equal(fivexx, 0);
  // The pods keep what the fuzz created (a few hundred small records); the gateway keeps nothing
  // per request. V8 returns freed pages lazily, so RSS gets a margin the live heap does not.
  assert.ok(after < baseline * RSS_MARGIN, `RSS ${(baseline / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB`);
  assert.ok(heapAfter - heapBefore < HEAP_GROWTH_MAX, `heap used grew ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB`);
});

