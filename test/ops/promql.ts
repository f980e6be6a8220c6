/**
 * Test helper (not a test): the metric names and label matchers a PromQL expression refers to,
 * and the series a Prometheus text exposition holds, so a test can check that every metric the
 * Grafana dashboard and the alert rules name is one the gateway exports.
 *
 * Not a PromQL parser: strings, `{...}` selectors, `[...]` ranges and the `by/without/on/
 * ignoring/group_left/group_right (...)` label lists are taken out, and what is left is split
 * into tokens. An identifier followed by `(` is a function or an aggregation; the PromQL
 * keywords are skipped; every other identifier is a metric name.
 */

/** One `name{label op "value"}` selector. */
export interface Selector {
  metric: string;
  labels: string[];
}

export interface ExprRefs {
  /** Metric names, as written (histogram series keep their `_bucket`/`_sum`/`_count`). */
  metrics: string[];
  /** Selectors with label matchers, to check the label names against the metric. */
  selectors: Selector[];
  /** For Grafana's `label_values(expr, label)`: the label asked for. */
  labelValues?: { label: string };
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
/** Grafana template variables: `$var`, `${var}`, `${var:format}`, `$__rate_interval`. */
const TEMPLATE_VAR = /\$\{[^}]*\}|\$\w+/g;
const MODIFIER_LIST = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;
const SELECTOR = /([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g;
const MATCHER = /([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g;
const TOKEN = /\d+(?:\.\d+)?(?:e[+-]?\d+)?[smhdwy]*|[a-zA-Z_:][\w:]*|\s+|./g;

/**
 * What `expr` refers to.
 * @example refs('sum by (pod_id) (rate(x_total{code="A"}[5m]))')
 *   // { metrics: ['x_total'], selectors: [{ metric: 'x_total', labels: ['code'] }] }
 */
export function refs(expr: string): ExprRefs {
  const labelValues = /^\s*label_values\(\s*(.*?)\s*,\s*([a-zA-Z_]\w*)\s*\)\s*$/s.exec(expr);
  if (labelValues) return { ...refs(labelValues[1]!), labelValues: { label: labelValues[2]! } };
  const text = expr.replace(TEMPLATE_VAR, '');
  const selectors: Selector[] = [];
  for (const m of text.matchAll(SELECTOR)) {
    if (KEYWORDS.has(m[1]!)) continue;
    selectors.push({ metric: m[1]!, labels: [...m[2]!.matchAll(MATCHER)].map((x) => x[1]!) });
  }
  const bare = text.replace(STRING, '""').replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(MODIFIER_LIST, ' ');
  const tokens = bare.match(TOKEN) ?? [];
  const metrics: string[] = [];
  tokens.forEach((tok, i) => {
    if (!/^[a-zA-Z_:]/.test(tok) || KEYWORDS.has(tok)) return;
    const next = tokens.slice(i + 1).find((t) => !/^\s+$/.test(t));
    if (next === '(') return;
    if (!metrics.includes(tok)) metrics.push(tok);
  });
  return { metrics, selectors };
}

/** Series of a text exposition: sample name → the label names seen on it. */
export function exportedSeries(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels = out.get(m[1]!) ?? new Set<string>();
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="(?:[^"\\]|\\.)*"/g)) labels.add(l[1]!);
    out.set(m[1]!, labels);
  }
  return out;
}

/** Labels Prometheus itself adds to every scraped series. */
export const TARGET_LABELS: readonly string[] = ['job', 'instance'];

/**
 * What `expr` names that `series` does not hold: unknown metrics, and label names used in a
 * matcher (or asked by label_values) that the metric does not carry.
 */
export function missingRefs(expr: string, series: Map<string, Set<string>>): string[] {
  const r = refs(expr);
  const problems: string[] = [];
  for (const m of r.metrics) if (!series.has(m)) problems.push(`metric ${m} is not exported`);
  const known = (metric: string, label: string) => TARGET_LABELS.includes(label) || (series.get(metric)?.has(label) ?? false);
  for (const s of r.selectors) {
    if (!series.has(s.metric)) continue;
    for (const l of s.labels) if (!known(s.metric, l)) problems.push(`metric ${s.metric} has no label ${l}`);
  }
  if (r.labelValues) for (const m of r.metrics) if (series.has(m) && !known(m, r.labelValues.label)) problems.push(`metric ${m} has no label ${r.labelValues.label}`);
  return problems;
}
