// The fault matrix: every pod fault (down, reset, slow, hang, 5xx, a body that is not JSON, a body
// cut short, a body too slow) against every kind of request (show, action, list, summary, admin
// listing, create), with a real sqld primary under the routing table. For each: the status and body
// the client gets, and the routing table afterwards (pending rows, orphans, ghosts). A pod's failure
// is 502/503/504 or the pod's own 5xx answer, never the gateway's 500; reads never change routings;
// a create whose outcome is unknown leaves its pending routing, and once reconciliation has run
// nothing is pending, nothing the pods made is unrouted and no routing points at nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID, type SimFault, type SimMatch } from '@trio2o/podsim';
import { eventually, type Cloud } from '../support/cloud';
import { call, identity, type Reply } from '../support/http';
import { startFakeKeystone, ADMIN_WHO, type Who } from '../compute-owned/support';
import { audit, startSqldCloud } from './support';

const TIMEOUT_MS = 400;
/**
 * Pending routings older than this are reconciled: longer than any case takes to assert its
 * pending row, short enough for the last test to see them resolved.
 */
const PENDING_TIMEOUT_MS = 8_000;
/** Faults, each injected on Pod2 for the requests of one operation. */
const FAULTS = {
  down: () => ({ kind: 'down' }),
  reset: (match) => ({ kind: 'reset', match }),
  slow: (match) => ({ kind: 'delay', ms: TIMEOUT_MS * 2, match }),
  hang: (match) => ({ kind: 'hang', match }),
  status_500: (match) => ({ kind: 'status', status: 500, match }),
  status_503: (match) => ({ kind: 'status', status: 503, match }),
  invalid_body: (match) => ({ kind: 'invalid_body', status: 200, text: '<html><body>upstream proxy error</body></html>', contentType: 'text/html', match }),
  close_mid_body: (match) => ({ kind: 'close_mid_body', match }),
  slow_body: (match) => ({ kind: 'slow_body', delayMs: 150, chunkBytes: 4, match }),
} satisfies Record<string, (match: SimMatch) => SimFault>;
type FaultName = keyof typeof FAULTS;

/** The answer a client gets when a single pod call fails in transport, by fault. */
const POD_FAILURE: Record<FaultName, { status: number; body: unknown }> = {
  down: { status: 503, body: { serviceUnavailable: { code: 503, message: 'Cannot reach pod Pod2 (connection refused)' } } },
  reset: { status: 503, body: { serviceUnavailable: { code: 503, message: 'Cannot reach pod Pod2 (connection reset)' } } },
  slow: { status: 504, body: { computeFault: { code: 504, message: 'Timed out waiting for pod Pod2 to answer' } } },
  hang: { status: 504, body: { computeFault: { code: 504, message: 'Timed out waiting for pod Pod2 to answer' } } },
  status_500: { status: 500, body: { computeFault: { code: 500, message: 'Injected fault 500' } } },
  status_503: { status: 503, body: { serviceUnavailable: { code: 503, message: 'Injected fault 503' } } },
  invalid_body: { status: 502, body: { computeFault: { code: 502, message: 'Malformed reply from pod Pod2: the body is not JSON' } } },
  close_mid_body: { status: 502, body: { computeFault: { code: 502, message: 'Incomplete reply from pod Pod2: the connection closed before the whole body arrived' } } },
  slow_body: { status: 504, body: { computeFault: { code: 504, message: 'Timed out reading the reply of pod Pod2' } } },
};

/** The reason a fan-out names Pod2 with, by fault. */
const MISSING_REASON: Record<FaultName, string> = {
  down: 'unreachable',
  reset: 'unreachable',
  slow: 'timeout',
  hang: 'timeout',
  status_500: 'status_500',
  status_503: 'status_503',
  invalid_body: 'bad_response',
  close_mid_body: 'bad_response',
  slow_body: 'timeout',
};

const READER: Who = { project: 'm-read', user: 'u-read', roles: ['member'] };
const creator = (fault: string): Who => ({ project: `m-create-${fault}`, user: `u-create-${fault}`, roles: ['member'] });
const as = (w: Who) => identity(w.project, w.roles, w.user);

let cloud: Cloud;
let keystone: Awaited<ReturnType<typeof startFakeKeystone>>;
const ids: { s1?: string; s2?: string } = {};
const table: string[] = [];

before(async () => {
  keystone = await startFakeKeystone([ADMIN_WHO, READER, ...Object.keys(FAULTS).map(creator)]);
  const auth = { mode: 'keystone' as const, keystoneUrl: keystone.url };
  cloud = await startSqldCloud([{ topAz: 'az1', auth }, { topAz: 'az2', auth }], {
    pods: { requestTimeoutMs: TIMEOUT_MS, listTimeoutMs: TIMEOUT_MS, breakerThreshold: 10_000 },
    jobs: { pendingTimeoutMs: PENDING_TIMEOUT_MS, pollMs: 200 },
    // The gateway's own calls (reconciliation) with the admin's token, which the pods' Keystone knows.
    serviceCredentials: { headers: async () => as(ADMIN_WHO), projectId: async () => ADMIN_WHO.project },
  });
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  for (const az of ['az1', 'az2'] as const) {
    const s = await call(`${cloud.compute}/v2.1/m-read/servers`, { method: 'POST', headers: as(READER), body: { server: { name: `s-${az}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } } });
    assert.equal(s.status, 202, s.text);
    ids[az === 'az1' ? 's1' : 's2'] = s.body.server.id;
    const v = await call(`${cloud.volume}/v3/m-read/volumes`, { method: 'POST', headers: as(READER), body: { volume: { size: 1, availability_zone: az } } });
    assert.equal(v.status, 202, v.text);
  }
});
after(async () => {
  for (const line of table) process.stdout.write(`# ${line}\n`);
  await cloud?.close();
  await keystone?.close();
});

/** Injects `fault` on Pod2 for requests matching `match`, runs `op`, then clears it. */
async function withFault<T>(fault: FaultName, match: SimMatch, op: () => Promise<T>): Promise<T> {
  const pod = cloud.pods[1]!;
  pod.inject(FAULTS[fault](match));
  try {
    return await op();
  } finally {
    pod.clearFaults();
    if (pod.isDown) await pod.up();
  }
}

function row(op: string, fault: string, r: Reply, routing: string): void {
  const missing = r.headers.get('x-trio2o-missing-pods');
  const what = missing ? `${r.status}, ${missing}` : `${r.status} ${Object.keys(r.body ?? {})[0] ?? ''}`.trim();
  table.push(`| ${op} | ${fault} | ${what} | ${routing} |`);
}

/** Reads never change the routing table: the project's four routings stay active, nothing else. */
async function assertReadState(): Promise<void> {
  assert.deepEqual(await audit(cloud, 'm-read'), { active: 4, pending: 0, orphans: [], ghosts: [] });
}

const names = Object.keys(FAULTS) as FaultName[];

test('show (GET /servers/{id}): the pod failure as 502/503/504 or the pod\'s own 5xx; routing kept', async () => {
  for (const fault of names) {
    const r = await withFault(fault, { method: 'GET', path: /\/servers\/[^/]+$/ }, () => call(`${cloud.compute}/v2.1/m-read/servers/${ids.s2}`, { headers: as(READER) }));
    assert.deepEqual({ status: r.status, body: r.body }, POD_FAILURE[fault], fault);
    assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-/);
    await assertReadState();
    row('show', fault, r, 'unchanged');
  }
});

test('action (POST /servers/{id}/action): same answers, never retried; routing kept', async () => {
  for (const fault of names) {
    const before = cloud.pods[1]!.requests.filter((q) => q.path.endsWith('/action')).length;
    const r = await withFault(fault, { method: 'POST', path: /\/action$/ }, () =>
      call(`${cloud.compute}/v2.1/m-read/servers/${ids.s2}/action`, { method: 'POST', headers: as(READER), body: { 'os-getConsoleOutput': { length: 1 } } }),
    );
    assert.deepEqual({ status: r.status, body: r.body }, POD_FAILURE[fault], fault);
    const sent = cloud.pods[1]!.requests.filter((q) => q.path.endsWith('/action')).length - before;
    assert.ok(sent <= 1, `${fault}: a POST is sent at most once (${sent})`);
    await assertReadState();
    row('action', fault, r, 'unchanged');
  }
});

test('list (GET /servers/detail): 200 with Pod1\'s server, Pod2 named with its reason; routings kept', async () => {
  for (const fault of names) {
    const r = await withFault(fault, { method: 'GET', path: /\/servers\/detail$/ }, () => call(`${cloud.compute}/v2.1/m-read/servers/detail`, { headers: as(READER) }));
    assert.equal(r.status, 200, `${fault}: ${r.text}`);
    assert.deepEqual(r.body.servers.map((s: { id: string }) => s.id), [ids.s1], fault);
    assert.equal(r.headers.get('x-trio2o-missing-pods'), `Pod2;reason=${MISSING_REASON[fault]};shown=skipped`, fault);
    await assertReadState();
    row('list', fault, r, 'unchanged');
  }
});

test('summary (GET /volumes/summary): 200 with Pod1\'s part, Pod2 named; routings kept', async () => {
  for (const fault of names) {
    const r = await withFault(fault, { path: /\/volumes\/summary$/ }, () =>
      call(`${cloud.volume}/v3/m-read/volumes/summary`, { headers: { ...as(READER), 'openstack-api-version': 'volume 3.12' } }),
    );
    assert.deepEqual({ status: r.status, body: r.body }, { status: 200, body: { 'volume-summary': { total_size: 1, total_count: 1 } } }, fault);
    assert.equal(r.headers.get('x-trio2o-missing-pods'), `Pod2;reason=${MISSING_REASON[fault]};shown=skipped`, fault);
    await assertReadState();
    row('summary', fault, r, 'unchanged');
  }
});

test('admin listing (GET /os-services): 200 with Pod1\'s services, Pod2 named', async () => {
  for (const fault of names) {
    const r = await withFault(fault, { path: /\/os-services$/ }, () => call(`${cloud.compute}/v2.1/admin-project/os-services`, { headers: as(ADMIN_WHO) }));
    assert.equal(r.status, 200, `${fault}: ${r.text}`);
    assert.deepEqual([...new Set(r.body.services.map((s: { host: string }) => s.host.split('-')[0]))], ['pod1'], fault);
    assert.equal(r.headers.get('x-trio2o-missing-pods'), `Pod2;reason=${MISSING_REASON[fault]};shown=skipped`, fault);
    row('admin listing', fault, r, 'unchanged');
  }
});

/** What a create leaves, by fault: the pending row stays unless the create never reached the pod. */
const CREATE_OUTCOME: Record<FaultName, { pending: number; inPod: number }> = {
  down: { pending: 0, inPod: 0 }, // never reached the pod: removed
  reset: { pending: 1, inPod: 0 }, // reset after sending: unknown
  slow: { pending: 1, inPod: 1 }, // the pod made it after the gateway gave up
  hang: { pending: 1, inPod: 0 },
  status_500: { pending: 1, inPod: 0 },
  status_503: { pending: 1, inPod: 0 },
  invalid_body: { pending: 1, inPod: 0 },
  close_mid_body: { pending: 1, inPod: 1 }, // made, answer cut
  slow_body: { pending: 1, inPod: 1 }, // made, answer too slow
};

test('create (POST /servers): the pod failure as 502/503/504 or the pod\'s 5xx; pending stays unless nothing reached the pod; no ghost', async () => {
  for (const fault of names) {
    const who = creator(fault);
    const r = await withFault(fault, { method: 'POST', path: /\/servers$/ }, () =>
      call(`${cloud.compute}/v2.1/${who.project}/servers`, { method: 'POST', headers: as(who), body: { server: { name: 'c', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } }),
    );
    assert.deepEqual({ status: r.status, body: r.body }, POD_FAILURE[fault], fault);
    const want = CREATE_OUTCOME[fault];
    // The pod may finish the create after the gateway answered (slow): wait for it to settle.
    const state = await eventually(async () => {
      const a = await audit(cloud, who.project);
      return a.orphans.length === want.inPod ? a : undefined;
    }, 5000);
    assert.deepEqual(state, { active: 0, pending: want.pending, orphans: state.orphans, ghosts: [] }, fault);
    // Every server the pod holds for the project is covered by a pending row: no orphan is left
    // for reconciliation to miss.
    assert.ok(state.orphans.length <= state.pending, `${fault}: orphans ${state.orphans.length} > pending ${state.pending}`);
    row('create', fault, r, want.pending ? `pending row stays${want.inPod ? ' (server made in the pod)' : ''}` : 'no row');
  }
});

test('a lost create answer (reset after the pod handled it): 503, the pending row covers the server the pod made', async () => {
  const who = creator('reset');
  const before = await audit(cloud, who.project);
  cloud.pods[1]!.inject({ kind: 'reset', after: 'handled', match: { method: 'POST', path: /\/servers$/ }, times: 1 });
  const r = await call(`${cloud.compute}/v2.1/${who.project}/servers`, { method: 'POST', headers: as(who), body: { server: { name: 'lost', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } });
  assert.deepEqual({ status: r.status, body: r.body }, POD_FAILURE.reset);
  const a = await audit(cloud, who.project);
  assert.deepEqual({ pending: a.pending, orphans: a.orphans.length, ghosts: a.ghosts }, { pending: before.pending + 1, orphans: before.orphans.length + 1, ghosts: [] });
  row('create', 'reset after handled', r, 'pending row stays (server made in the pod)');
});

test('after reconciliation: nothing pending, every server a failed create made is routed, no ghost', async () => {
  const projects = [...names.map((f) => creator(f).project)];
  const settled = await eventually(async () => {
    const audits = await Promise.all(projects.map((p) => audit(cloud, p)));
    return audits.every((a) => a.pending === 0) ? audits : undefined;
  }, PENDING_TIMEOUT_MS * 4, 250);
  for (const [i, a] of settled.entries()) {
    assert.deepEqual({ orphans: a.orphans, ghosts: a.ghosts }, { orphans: [], ghosts: [] }, projects[i]);
  }
  // The servers the pod made for lost answers are now routed (slow, close_mid_body, slow_body, and
  // the lost answer after a reset); the rest were removed.
  assert.deepEqual(
    Object.fromEntries(settled.map((a, i) => [names[i], a.active])),
    { down: 0, reset: 1, slow: 1, hang: 0, status_500: 0, status_503: 0, invalid_body: 0, close_mid_body: 1, slow_body: 1 },
  );
  table.push('| after reconciliation | every fault | — | 0 pending, 0 orphans, 0 ghosts |');
});
