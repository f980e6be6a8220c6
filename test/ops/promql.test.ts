// The PromQL reference extractor behind the dashboard/alert-rule metric check: it finds metric
// names through aggregations, joins, Grafana variables and label_values, and it reports an
// unknown metric or label (so that check can fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportedSeries, missingRefs, refs } from './promql';

const EXPOSITION = [
  '# HELP a_total A.',
  '# TYPE a_total counter',
  'a_total{pod_id="p1",code="X"} 3',
  '# TYPE b_seconds histogram',
  'b_seconds_bucket{listener="compute",le="0.1"} 1',
  'b_seconds_sum{listener="compute"} 0.05',
  'b_seconds_count{listener="compute"} 1',
  '# TYPE info gauge',
  'info{pod_id="p1",pod_name="Pod1"} 1',
  'up_total 5',
  '',
].join('\n');

test('metric names through aggregations, joins, functions, strings, ranges and Grafana variables', () => {
  const expr = `histogram_quantile(0.99, sum by (le, listener) (rate(b_seconds_bucket{job=~"$job", listener=~"compute|volume"}[$__rate_interval] offset 5m)))
    * on (pod_id) group_left (pod_name) max by (pod_id, pod_name) (info{pod_name=~"\${pod:regex}"})
    > bool 2.5 and on (pod_id) label_replace(a_total, "class", "\${1}xx", "code", "(.)") unless sum without (code) (a_total) or vector(0) - time()`;
  const r = refs(expr);
  assert.deepEqual(r.metrics, ['b_seconds_bucket', 'info', 'a_total']);
  assert.deepEqual(r.selectors, [
    { metric: 'b_seconds_bucket', labels: ['job', 'listener'] },
    { metric: 'info', labels: ['pod_name'] },
  ]);
});

test('label_values(expr, label): the metric, and the label asked for', () => {
  assert.deepEqual(refs('label_values(info{job=~"$job"}, pod_name)'), {
    metrics: ['info'],
    selectors: [{ metric: 'info', labels: ['job'] }],
    labelValues: { label: 'pod_name' },
  });
});

test('exposition series: sample names with their label names; histogram series by suffix', () => {
  const s = exportedSeries(EXPOSITION);
  assert.deepEqual([...s.keys()], ['a_total', 'b_seconds_bucket', 'b_seconds_sum', 'b_seconds_count', 'info', 'up_total']);
  assert.deepEqual([...s.get('b_seconds_bucket')!], ['listener', 'le']);
  assert.deepEqual([...s.get('up_total')!], []);
});

test('missing metrics and labels are reported; target labels job and instance are always there', () => {
  const s = exportedSeries(EXPOSITION);
  assert.deepEqual(missingRefs('sum by (pod_id) (rate(a_total{instance="x", code="X"}[5m]))', s), []);
  assert.deepEqual(missingRefs('rate(b_seconds_sum[5m]) / rate(b_seconds_count[5m])', s), []);
  assert.deepEqual(missingRefs('rate(a_totl[5m]) + b_seconds{listener="x"}', s), ['metric a_totl is not exported', 'metric b_seconds is not exported']);
  assert.deepEqual(missingRefs('a_total{pod="p1", code!="X"}', s), ['metric a_total has no label pod']);
  assert.deepEqual(missingRefs('label_values(info, az_name)', s), ['metric info has no label az_name']);
});
