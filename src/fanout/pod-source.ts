/**
 * One pod's part of a list: a lazy, sorted stream of that pod's items after the marker.
 *
 * The pod sorts (the gateway sends the whole sort plan) and pages (limit, its own marker); the
 * source asks for one page at a time, only as the merge needs more, each call within what is
 * left of the pod's deadline. Items at or before the marker's sort values are skipped (a pod
 * read from its start), items without a visible routing are kept as hidden so the position
 * bookkeeping still sees them, and a failure turns the source into a "missing pod" with a
 * reason instead of failing the list.
 */
import type { Context } from 'hono';
import { publicBase, type GatewayEnv } from '../http';
import { isPodError } from '../pods';
import { reasonFor } from './partial';
import { callPod, isInnerZone, podRef, rewriteLinks, serviceRoot } from '../proxy';
import type { Pod, Routing } from '../store';
import { compareBy, sortValues, type SortValue } from './sort';
import type { ListRequest } from './request';
import { visibleRoutings } from './targets';
import type { FanoutDeps, FanoutSpec, Item, MissingReason } from './types';

export interface Entry {
  item: Item;
  values: SortValue[];
  /** No visible routing: ordered and consumed, never returned. */
  hidden: boolean;
  source: PodSource;
}

/** A 4xx a pod gave for the list itself: the request is wrong, so the caller gets it as is. */
export interface ClientError {
  status: number;
  body: string;
  contentType?: string;
}

export interface PodSourceOptions {
  /** The marker to send first (the caller's marker in its own pod, or a remembered position). */
  start: string | null;
  /** Sort values of the caller's marker: items up to them are skipped. */
  after?: SortValue[];
  /** First page size (what the list still needs). */
  pageSize: number;
  /** Absolute deadline (ms since epoch) of every call to this pod. */
  deadline: number;
}

export class PodSource {
  readonly pod: Pod;
  /** Last item consumed (returned, hidden or skipped): where this pod stands. */
  position: string | null;
  failure?: MissingReason;
  clientError?: ClientError;
  readonly #buffer: Entry[] = [];
  #cursor: string | null;
  #restarted = false;
  #exhausted = false;
  #pageSize: number;
  #visible?: Promise<Map<string, Routing>>;
  readonly #o: PodSourceOptions;

  constructor(
    private readonly deps: FanoutDeps,
    private readonly c: Context<GatewayEnv>,
    private readonly spec: FanoutSpec,
    private readonly req: ListRequest,
    pod: Pod,
    o: PodSourceOptions,
  ) {
    this.pod = pod;
    this.#o = o;
    this.position = o.start;
    this.#cursor = o.start;
    this.#pageSize = Math.max(1, o.pageSize);
  }

  /** Every routing the caller may see in this pod: what minimal records are built from. */
  visible(): Promise<Map<string, Routing>> {
    this.#visible ??= visibleRoutings(this.deps, this.spec, this.req, this.pod);
    return this.#visible;
  }

  /** The next item in order, if one is buffered. */
  head(): Entry | undefined {
    return this.#buffer[0];
  }

  /** True when the merge must wait for another page before it can compare this pod's head. */
  get needsFetch(): boolean {
    return this.#buffer.length === 0 && !this.#exhausted && !this.failure && !this.clientError;
  }

  /** Consume the head. */
  shift(): Entry | undefined {
    const e = this.#buffer.shift();
    if (e) this.position = e.item.id;
    return e;
  }

  /** Fetch the next page (skipping what sorts at or before the marker). */
  async fetch(): Promise<void> {
    while (this.needsFetch) {
      const left = this.#o.deadline - Date.now();
      if (left <= 0) return void (this.failure = 'timeout');
      const page = await this.#page(left);
      if (!page) return;
      const visible = await this.#visibleIn(page);
      for (const item of page) {
        const values = sortValues(this.spec.sort, this.req.plan, item);
        if (this.#o.after && compareBy(this.req.plan, values, this.#o.after) <= 0) {
          this.position = item.id; // before the marker: consumed by earlier pages
          continue;
        }
        this.#buffer.push({ item, values, hidden: !visible.has(item.id), source: this });
      }
      // A pod that needs refilling was short of a skewed page: ask it for a whole page now, so a
      // list costs at most one extra round trip (firstBatch keeps the first one small).
      this.#pageSize = Math.min(this.deps.maxLimit, Math.max(this.#pageSize * 2, this.req.limit));
    }
  }

  /**
   * The ids of a page the caller may see: routed to this pod, of the caller's project unless
   * all_tenants. Completed routings are cached in memory by the route table, so a warm list reads
   * no store at all (reading the pod's whole routing set cost ~1 ms per pod per list).
   */
  async #visibleIn(page: Item[]): Promise<Set<string>> {
    const rows = await Promise.all(page.map((it) => this.deps.routes.peek(it.id, this.spec.resourceType)));
    const ok = new Set<string>();
    for (const r of rows) {
      if (r && r.pod_id === this.pod.pod_id && (this.req.allTenants || r.project_id === this.req.projectId)) ok.add(r.top_id);
    }
    return ok;
  }

  async #page(timeoutMs: number): Promise<Item[] | undefined> {
    const q = new URLSearchParams();
    const az = this.spec.az;
    for (const [k, v] of this.req.filters) {
      if (az && k === az.param) {
        if (isInnerZone(az.inner, this.pod.pod_id, v)) q.append(k, v);
        else if (this.pod.pod_az_name !== '') q.append(k, this.pod.pod_az_name);
      } else q.append(k, v);
    }
    for (const [k, v] of this.spec.sort.toQuery(this.req.plan)) q.append(k, v);
    q.set('limit', String(this.#pageSize));
    if (this.#cursor !== null) q.set('marker', this.#cursor);
    let res;
    try {
      res = await callPod(this.deps.proxy, this.c, {
        pod: this.pod,
        service: this.spec.service,
        projectId: this.req.projectId,
        method: 'GET',
        path: this.spec.podListPath,
        search: `?${q}`,
        body: null,
        timeoutMs,
      });
    } catch (err) {
      if (isPodError(err)) return void (this.failure = reasonFor(err));
      throw err;
    }
    if (res.status >= 500) {
      await res.dump();
      return void (this.failure = `status_${res.status}`);
    }
    if (res.status === 400 && this.#cursor !== null && !this.#restarted) {
      // The position we sent is gone (deleted since): read the pod from its start instead; the
      // marker's sort values still skip what earlier pages returned.
      await res.dump();
      this.#restarted = true;
      this.#cursor = null;
      this.position = null;
      return this.#page(Math.max(1, this.#o.deadline - Date.now()));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // A body cut short is bad_response, one past the deadline timeout; a client gone rethrows.
      if (isPodError(err)) return void (this.failure = reasonFor(err));
      throw err;
    }
    if (res.status >= 400) {
      const ct = res.headers['content-type'];
      this.clientError = { status: res.status, body: text, contentType: Array.isArray(ct) ? ct[0] : ct };
      return undefined;
    }
    return this.#parse(text);
  }

  async #parse(text: string): Promise<Item[] | undefined> {
    const podRoot = serviceRoot(await this.deps.proxy.endpoints.resolve(podRef(this.pod), this.spec.service));
    const gwRoot = publicBase(this.c, this.deps.publicUrl);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rewriteLinks(text, podRoot, gwRoot)) as Record<string, unknown>;
    } catch {
      return void (this.failure = 'bad_response');
    }
    const list = body[this.spec.collection];
    if (!Array.isArray(list)) return void (this.failure = 'bad_response');
    const items = list.filter((x): x is Item => !!x && typeof x === 'object' && typeof (x as Item).id === 'string');
    const links = body[`${this.spec.collection}_links`];
    const hasNext = Array.isArray(links) && links.some((l) => (l as { rel?: unknown })?.rel === 'next');
    const az = this.spec.az;
    if (az) for (const it of items) if ((az.always || az.field in it) && !isInnerZone(az.inner, this.pod.pod_id, it[az.field])) it[az.field] = this.pod.az_name;
    if (items.length === 0 || (items.length < this.#pageSize && !hasNext)) this.#exhausted = true;
    const last = items.at(-1);
    if (last) this.#cursor = last.id;
    return items;
  }
}
