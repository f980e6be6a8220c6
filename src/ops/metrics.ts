/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format 0.0.4. Written here rather than taken from prom-client because the
 * gateway needs three metric kinds and no dependency (the single executable carries every byte).
 *
 * Updates are O(1) map operations on the request path; `render()` builds the text on scrape,
 * after running the registered collectors (gauges read from the store, breaker snapshots...).
 */

export type Labels = Record<string, string | number>;

/** Content-Type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Request latency buckets in seconds: 1 ms … 30 s, enough to see a pod deadline. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

abstract class Family<S> {
  /** Every series in creation order (the exposition's order). */
  readonly #series: { labels: string[]; state: S }[] = [];
  readonly #index = new Map<string, unknown>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new TypeError(`invalid metric name ${name}`);
  }

  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected abstract fresh(): S;
  protected abstract lines(labels: readonly string[], state: S): string[];

  protected series(labels: Labels = {}): S {
    // Found through one map per label, keyed by the label's value: the request path builds no key
    // string (label values are constants or small numbers, whose strings V8 keeps).
    const names = this.labelNames;
    let node: Map<string, unknown> = this.#index;
    for (let i = 0; i < names.length - 1; i++) {
      const v = String(labels[names[i]!] ?? '');
      let next = node.get(v) as Map<string, unknown> | undefined;
      if (next === undefined) node.set(v, (next = new Map()));
      node = next;
    }
    const last = names.length === 0 ? '' : String(labels[names[names.length - 1]!] ?? '');
    let s = node.get(last) as { labels: string[]; state: S } | undefined;
    if (s === undefined) {
      s = { labels: names.map((n) => String(labels[n] ?? '')), state: this.fresh() };
      node.set(last, s);
      this.#series.push(s);
    }
    return s.state;
  }

  /** Drops every series (gauges that are recomputed on each scrape). */
  reset(): void {
    this.#series.length = 0;
    this.#index.clear();
  }

  protected labelText(values: readonly string[], extra = ''): string {
    const parts = this.labelNames.map((n, i) => `${n}="${escapeLabel(values[i]!)}"`);
    if (extra) parts.push(extra);
    return parts.length ? `{${parts.join(',')}}` : '';
  }

  render(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, state } of this.#series) out.push(...this.lines(labels, state));
    return out.join('\n');
  }
}

export class Counter extends Family<{ v: number }> {
  readonly type = 'counter';
  protected fresh() {
    return { v: 0 };
  }
  inc(labels?: Labels, by = 1): void {
    this.series(labels).v += by;
  }
  /** Sets the total from an external counter (e.g. cache hits kept by another module). */
  setTotal(labels: Labels | undefined, total: number): void {
    this.series(labels).v = total;
  }
  get(labels?: Labels): number {
    return this.series(labels).v;
  }
  protected lines(labels: readonly string[], s: { v: number }) {
    return [`${this.name}${this.labelText(labels)} ${formatValue(s.v)}`];
  }
}

export class Gauge extends Family<{ v: number }> {
  readonly type = 'gauge';
  protected fresh() {
    return { v: 0 };
  }
  set(labels: Labels | undefined, v: number): void {
    this.series(labels).v = v;
  }
  get(labels?: Labels): number {
    return this.series(labels).v;
  }
  protected lines(labels: readonly string[], s: { v: number }) {
    return [`${this.name}${this.labelText(labels)} ${formatValue(s.v)}`];
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Family<HistogramState> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[] = LATENCY_BUCKETS) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  protected fresh(): HistogramState {
    return { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
  }
  observe(labels: Labels | undefined, value: number): void {
    const s = this.series(labels);
    // Buckets are stored non-cumulative and summed on render: one increment per observation.
    const buckets = this.buckets;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= buckets[i]!) {
        s.counts[i]!++;
        break;
      }
    }
    s.sum += value;
    s.count++;
  }
  protected lines(labels: readonly string[], s: HistogramState) {
    const name = this.name;
    const text = (extra?: string) => this.labelText(labels, extra);
    const out: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((b, i) => {
      cumulative += s.counts[i]!;
      out.push(`${name}_bucket${text(`le="${formatValue(b)}"`)} ${cumulative}`);
    });
    out.push(`${name}_bucket${text('le="+Inf"')} ${s.count}`, `${name}_sum${text()} ${formatValue(s.sum)}`, `${name}_count${text()} ${s.count}`);
    return out;
  }
}

/** Runs before each render to refresh gauges; may be async (store queries). */
export type Collector = () => void | Promise<void>;

export class Registry {
  readonly #families: { name: string; render(): string }[] = [];
  readonly #collectors: Collector[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.#add(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, labelNames, buckets));
  }
  collect(fn: Collector): void {
    this.#collectors.push(fn);
  }

  /** The exposition text; a failing collector leaves its gauges as they were. */
  async render(): Promise<string> {
    await Promise.all(this.#collectors.map(async (c) => { try { await c(); } catch { /* keep last values */ } }));
    return this.#families.map((f) => f.render()).join('\n') + '\n';
  }

  #add<F extends { name: string; render(): string }>(f: F): F {
    if (this.#families.some((x) => x.name === f.name)) throw new Error(`metric ${f.name} registered twice`);
    this.#families.push(f);
    return f;
  }
}
