// /metrics on the admin listener: Prometheus text with requests by listener/route/method/status,
// latency histograms, per-pod upstream latency/errors/breaker state, route cache and job counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway } from '../support/gateway';
import { call, identity, ADMIN } from '../support/http';
import { Registry } from '../../src/ops/metrics';
import { GatewayMetrics } from '../../src/ops/gateway-metrics';
import { startServerPod, routeServers } from './support';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('registry renders counters, gauges and cumulative histograms in text format 0.0.4', async () => {
  const r = new Registry();
  const c = r.counter('x_total', 'Things.\nMore', ['a']);
  const g = r.gauge('y', 'Level');
  const h = r.histogram('z_seconds', 'Time', ['k'], [0.1, 1]);
  c.inc({ a: 'q"\\' });
  c.inc({ a: 'q"\\' }, 2);
  g.set(undefined, 1.5);
  h.observe({ k: 'v' }, 0.05);
  h.observe({ k: 'v' }, 0.5);
  h.observe({ k: 'v' }, 5);
  assert.equal(
    await r.render(),
    [
      '# HELP x_total Things.\\nMore',
      '# TYPE x_total counter',
      'x_total{a="q\\"\\\\"} 3',
      '# HELP y Level',
      '# TYPE y gauge',
      'y 1.5',
      '# HELP z_seconds Time',
      '# TYPE z_seconds histogram',
      'z_seconds_bucket{k="v",le="0.1"} 1',
      'z_seconds_bucket{k="v",le="1"} 2',
      'z_seconds_bucket{k="v",le="+Inf"} 3',
      'z_seconds_sum{k="v"} 5.55',
      'z_seconds_count{k="v"} 3',
      '',
    ].join('\n'),
  );
  assert.throws(() => r.counter('x_total', 'again'), /registered twice/);
});

test('gateway /metrics: requests, latency, upstream, breaker, caches, jobs; admin listener only', async (t) => {
  const gw = await startTestGateway({ pods: { breakerThreshold: 1, requestTimeoutMs: 2000 } });
  t.after(() => gw.close());
  const pod = await startServerPod(gw.urls.admin);
  t.after(() => pod.close());
  await routeServers(gw.store.db, 'p1', pod.podId, ['s1', 's2']);
  await gw.store.jobs.enqueue('sync_flavors', null, {});
  // Version discovery also calls the pod: count the forwarded calls as a difference.
  await gw.gateway.parts.computeVersions.refresh().catch(() => {});
  const before = (await call(`${gw.urls.admin}/metrics`)).text;
  const podOk = `trio2o_pod_responses_total{pod_id="${pod.podId}",service="compute",status="200"}`;
  const podTime = `trio2o_pod_request_duration_seconds_count{pod_id="${pod.podId}",service="compute"}`;
  for (const id of ['s1', 's2', 's1']) assert.equal((await call(`${gw.urls.compute}/v2.1/p1/servers/${id}`, { headers: identity('p1') })).status, 200);
  assert.equal((await call(`${gw.urls.compute}/no/such/path`, { headers: identity('p1') })).status, 404);

  const m = await call(`${gw.urls.admin}/metrics`);
  assert.equal(m.status, 200);
  assert.equal(m.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = m.text;
  assert.match(text, /^trio2o_http_requests_total\{listener="compute",route="\/v2\.1\/:project_id\/servers\/:[a-z_]+",method="GET",status="200"\} 3$/m);
  assert.equal(sample(text, 'trio2o_http_requests_total{listener="compute",route="(unmatched)",method="GET",status="404"}'), 1);
  assert.match(text, /^trio2o_http_request_duration_seconds_count\{listener="compute",route="\/v2\.1\/[^"]+",method="GET"\} 3$/m);
  assert.equal(sample(text, podOk)! - (sample(before, podOk) ?? 0), 3);
  assert.equal(sample(text, podTime)! - (sample(before, podTime) ?? 0), 3);
  assert.equal(sample(text, `trio2o_pod_breaker_state{pod_id="${pod.podId}",state="closed"}`), 1);
  assert.equal(sample(text, `trio2o_pod_info{pod_id="${pod.podId}",pod_name="Pod1",az_name="az1",enabled="true"}`), 1);
  assert.equal(sample(text, 'trio2o_route_cache_hits_total'), 1);
  assert.equal(sample(text, 'trio2o_route_cache_misses_total'), 2);
  assert.equal(sample(text, 'trio2o_jobs{type="sync_flavors",status="new"}'), 1);
  assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0);
  // A list fans out to the pods and is counted by collection.
  assert.equal((await call(`${gw.urls.compute}/v2.1/p1/servers`, { headers: identity('p1') })).status, 200);
  assert.match((await call(`${gw.urls.admin}/metrics`)).text, /^trio2o_fanout_lists_total\{collection="[a-z]+"\} 1$/m);

  // The pod goes away: errors by code, and the breaker (threshold 1) opens.
  await pod.close();
  assert.equal((await call(`${gw.urls.compute}/v2.1/p1/servers/s2`, { headers: identity('p1') })).status, 503);
  const after = (await call(`${gw.urls.admin}/metrics`)).text;
  assert.equal(sample(after, `trio2o_pod_errors_total{pod_id="${pod.podId}",service="compute",code="TRIO2O_POD_UNREACHABLE"}`), 1);
  assert.equal(sample(after, `trio2o_pod_breaker_state{pod_id="${pod.podId}",state="open"}`), 1);
  assert.equal(sample(after, `trio2o_pod_breaker_state{pod_id="${pod.podId}",state="closed"}`), 0);

  assert.equal((await call(`${gw.urls.compute}/metrics`, { headers: identity('p1') })).status, 404);
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { headers: ADMIN })).status, 200);
});

test('fan-out counters come from the fan-out snapshot', async () => {
  const metrics = new GatewayMetrics({
    fanout: () => ({ lists: { servers: 5 }, partialLists: { servers: 2 }, podMissing: { 'pod-b': { timeout: 2 } }, minimalRecords: 1 }),
  });
  const text = await metrics.render();
  assert.equal(sample(text, 'trio2o_fanout_lists_total{collection="servers"}'), 5);
  assert.equal(sample(text, 'trio2o_fanout_partial_total{collection="servers"}'), 2);
  assert.equal(sample(text, 'trio2o_fanout_pod_missing_total{pod_id="pod-b",reason="timeout"}'), 2);
  assert.equal(sample(text, 'trio2o_fanout_minimal_records_total'), 1);
});

test('token cache counters come from the validator when it keeps them', async () => {
  const metrics = new GatewayMetrics({ tokenCache: () => ({ hits: 7, misses: 2 }) });
  const text = await metrics.render();
  assert.equal(sample(text, 'trio2o_token_cache_hits_total'), 7);
  assert.equal(sample(text, 'trio2o_token_cache_misses_total'), 2);
});
