/**
 * One pod's part of a list: a lazy, sorted stream of that pod's items after the marker.
 *
 * The pod sorts (the gateway sends the whole sort plan) and pages (limit, its own marker); the
 * source asks for one page at a time, only as the merge needs more, each call within what is
 * left of the pod's deadline. A page is read item by item, not parsed whole (page-reader.ts):
 * an item is parsed, shown in the top AZ and given its sort values only when it becomes this
 * pod's head in the merge, and checked for visibility only when the merge takes it, so the items
 * a page never reaches cost no parse at all. Items at or before the marker's sort values are skipped (a pod
 * read from its start), and a failure turns the source into a "missing pod" with a reason
 * instead of failing the list.
 */
import type { Context } from 'hono';
import { publicBase, type GatewayEnv } from '../http';
import { isPodError } from '../pods';
import { reasonFor } from './partial';
import { callPod, isInnerZone, podRef, rewriteLinks, serviceRoot } from '../proxy';
import type { Pod, Routing } from '../store';
import { MalformedPageError, PageReader } from './page-reader';
import { compareBy, sortValues, type SortValue } from './sort';
import type { ListRequest } from './request';
import { visibleRoutings } from './targets';
import type { FanoutDeps, FanoutSpec, Item, MissingReason } from './types';

export interface Entry {
  item: Item;
  values: SortValue[];
  source: PodSource;
}

function isItem(x: unknown): x is Item {
  return !!x && typeof x === 'object' && typeof (x as Item).id === 'string';
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
  /** The last page while it has items the merge has not looked at. */
  #page: PageReader | undefined;
  /** The page size the last page was asked with. */
  #asked = 0;
  /** The item the merge compares next, parsed. */
  #head: Entry | undefined;
  /** Roots of the last page's links: the pod's, and the gateway's that replaces it. */
  #podRoot = '';
  #gwRoot = '';
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

  /** The next item in order, if the last page has one left; parsed on first look. */
  head(): Entry | undefined {
    if (this.#head === undefined && this.#page !== undefined) this.#head = this.#nextEntry();
    return this.#head;
  }

  /** True when the merge must wait for another page before it can compare this pod's head. */
  get needsFetch(): boolean {
    return this.head() === undefined && !this.#exhausted && !this.failure && !this.clientError;
  }

  /** Consume the head. */
  shift(): Entry | undefined {
    const e = this.head();
    if (e) {
      this.#head = undefined;
      this.position = e.item.id;
    }
    return e;
  }

  /**
   * Whether the caller may see an item this pod listed: routed to this pod, of the caller's
   * project unless all_tenants. Asked only for the items the merge takes. Completed routings are
   * cached in memory by the route table, so a warm list reads no store at all.
   */
  async mayShow(item: Item): Promise<boolean> {
    const type = this.spec.resourceType;
    const r = this.deps.routes.cached(item.id, type) ?? (await this.deps.routes.peek(item.id, type));
    return r !== undefined && r.pod_id === this.pod.pod_id && (this.req.allTenants || r.project_id === this.req.projectId);
  }

  /** Fetch the next page (skipping what sorts at or before the marker). */
  async fetch(): Promise<void> {
    while (this.needsFetch) {
      const left = this.#o.deadline - Date.now();
      if (left <= 0) return void (this.failure = 'timeout');
      const page = await this.#fetchPage(left);
      if (!page) return;
      this.#page = page;
      // A pod that needs refilling was short of a skewed page: ask it for a whole page now, so a
      // list costs at most one extra round trip (firstBatch keeps the first one small).
      this.#pageSize = Math.min(this.deps.maxLimit, Math.max(this.#pageSize * 2, this.req.limit));
    }
  }

  /**
   * Parses the page's next item: links pointing at the gateway, the AZ shown as the pod's top AZ,
   * its sort values read. An element that is not a resource is passed over; an answer found
   * malformed makes the pod missing (bad_response) from there on. Undefined once the page is
   * used up, which is when the pod is known to have nothing more (a short page, no next link).
   */
  #nextEntry(): Entry | undefined {
    const page = this.#page!;
    const az = this.spec.az;
    for (;;) {
      let item: unknown;
      try {
        const text = page.next();
        if (text === undefined) break;
        item = JSON.parse(rewriteLinks(text, this.#podRoot, this.#gwRoot));
      } catch (err) {
        if (!(err instanceof SyntaxError || err instanceof MalformedPageError)) throw err;
        this.#page = undefined;
        this.failure = 'bad_response';
        return undefined;
      }
      if (!isItem(item)) continue;
      // The next page, if one is asked, starts after the last item of this one.
      this.#cursor = item.id;
      if (az && (az.always || az.field in item) && !isInnerZone(az.inner, this.pod.pod_id, item[az.field])) item[az.field] = this.pod.az_name;
      const values = sortValues(this.spec.sort, this.req.plan, item);
      if (this.#o.after && compareBy(this.req.plan, values, this.#o.after) <= 0) {
        this.position = item.id; // before the marker: consumed by earlier pages
        continue;
      }
      return { item, values, source: this };
    }
    if (page.count === 0 || (page.count < this.#asked && !page.hasNext)) this.#exhausted = true;
    this.#page = undefined;
    return undefined;
  }

  async #fetchPage(timeoutMs: number): Promise<PageReader | undefined> {
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
      return this.#fetchPage(Math.max(1, this.#o.deadline - Date.now()));
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
    return this.#open(text, res.endpoint);
  }

  async #open(text: string, endpoint: string | undefined): Promise<PageReader | undefined> {
    // The endpoint the call went to; resolved again only for a response built elsewhere.
    this.#podRoot = serviceRoot(endpoint ?? (await this.deps.proxy.endpoints.resolve(podRef(this.pod), this.spec.service)));
    this.#gwRoot = publicBase(this.c, this.deps.publicUrl);
    this.#asked = this.#pageSize;
    try {
      return new PageReader(text, this.spec.collection);
    } catch (err) {
      if (!(err instanceof MalformedPageError || err instanceof SyntaxError)) throw err;
      return void (this.failure = 'bad_response');
    }
  }
}
