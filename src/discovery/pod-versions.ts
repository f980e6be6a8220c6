/**
 * What microversions the pods speak. The gateway forwards the negotiated microversion to the pod,
 * so it may only advertise what every enabled pod understands: the lowest maximum among them,
 * capped by configuration. Pods are asked their version document in the background (at start,
 * after a pod change, and every `refreshMs`), never on a request path.
 *
 * From the first request on: what each pod last announced is kept in the store, so a gateway
 * that starts while a pod is slow or down still knows it; and until the round of questions that
 * follows the start or a pod change has ended, requests that depend on the maximum (`ready()`:
 * the version documents, the microversion negotiation) wait for it, so the gateway's own ceiling
 * is never advertised for a moment in front of pods that serve less.
 */
import { randomUUID } from 'node:crypto';
import { formatVersion, parseVersion, minVersion, type Version } from '../http';
import type { PodClient, ServiceType } from '../pods';
import type { Pod } from '../store';
import { podRef } from '../proxy/pod-ref';

export interface PodVersionsOptions {
  pods: PodClient;
  /** Enabled bottom pods. */
  listPods: () => Promise<Pod[]>;
  service: ServiceType;
  /** What the gateway itself can shape and route. */
  ceiling: Version;
  /** `[<api>] max_microversion`. */
  cap?: Version;
  /** @default 60000 */
  refreshMs?: number;
  /** @default 5000 */
  timeoutMs?: number;
  onError?: (pod: Pod, err: unknown) => void;
  /** Where the last announced maxima are kept across restarts (the store's pod_microversions). */
  stored?: StoredVersions;
}

/** The store's record of what each pod last announced. */
export interface StoredVersions {
  list(service: string): Promise<Map<string, string>>;
  put(podId: string, service: string, maxVersion: string): Promise<void>;
}

interface VersionDoc {
  version?: { version?: string; min_version?: string };
  versions?: { version?: string; min_version?: string; status?: string }[];
}

/** The max version a version document announces (`version` object or the CURRENT entry). */
export function maxFromDocument(doc: VersionDoc): Version | undefined {
  return rangeFromDocument(doc)?.max;
}

/** A pod's microversion range: the highest `version` announced and that entry's `min_version`. */
export interface VersionRange {
  min: Version | undefined;
  max: Version;
}

/** The range of the newest entry of a version document. */
export function rangeFromDocument(doc: VersionDoc): VersionRange | undefined {
  const entries = doc.version ? [doc.version] : (doc.versions ?? []);
  let best: VersionRange | undefined;
  for (const e of entries) {
    const v = e.version ? parseVersion(e.version) : undefined;
    if (v && (!best || v.major > best.max.major || (v.major === best.max.major && v.minor > best.max.minor))) {
      best = { max: v, min: e.min_version ? parseVersion(e.min_version) : undefined };
    }
  }
  return best;
}

export class PodVersions {
  readonly #o: PodVersionsOptions;
  readonly #known = new Map<string, VersionRange>();
  #timer: NodeJS.Timeout | undefined;
  #loaded: Promise<void> | undefined;
  /** The round requests wait for (the first one, and one after a pod change). */
  #gate: Promise<void> | undefined;

  constructor(opts: PodVersionsOptions) {
    this.#o = opts;
  }

  /** The maximum to advertise now. */
  max(): Version {
    let v = this.#o.cap ? minVersion(this.#o.ceiling, this.#o.cap) : this.#o.ceiling;
    for (const known of this.#known.values()) v = minVersion(v, known.max);
    return v;
  }

  /** The maximum one pod said, if it answered. */
  of(podId: string): Version | undefined {
    return this.#known.get(podId)?.max;
  }

  /** The range one pod said, if it answered. */
  rangeOf(podId: string): VersionRange | undefined {
    return this.#known.get(podId);
  }

  /**
   * Asks every enabled pod once; pods that do not answer keep their last known value (or the
   * stored one). Unless `wait` is false (the periodic refresh), requests wait for this round.
   */
  refresh(o: { wait?: boolean } = {}): Promise<void> {
    const round = this.#round();
    if (o.wait !== false) {
      const gate = round.catch(() => {});
      this.#gate = gate;
      void gate.then(() => {
        if (this.#gate === gate) this.#gate = undefined;
      });
    }
    return round;
  }

  /**
   * Resolves when the round in progress ends; undefined when the maximum is already known, so a
   * caller on the request path need not wait a microtask turn for nothing.
   */
  ready(): Promise<void> | undefined {
    return this.#gate;
  }

  async #round(): Promise<void> {
    await (this.#loaded ??= this.#load());
    const pods = await this.#o.listPods();
    const ids = new Set(pods.map((p) => p.pod_id));
    for (const id of this.#known.keys()) if (!ids.has(id)) this.#known.delete(id);
    await Promise.all(pods.map((p) => this.#ask(p)));
  }

  /** The stored maxima, for pods this process has not heard from yet. */
  async #load(): Promise<void> {
    if (!this.#o.stored) return;
    try {
      for (const [podId, text] of await this.#o.stored.list(this.#o.service)) {
        const v = parseVersion(text);
        // Only the maximum is kept: the minimum comes with the pod's next answer.
        if (v && !this.#known.has(podId)) this.#known.set(podId, { max: v, min: undefined });
      }
    } catch {
      // An unreadable store only means the pods' own answers are waited for.
    }
  }

  start(): void {
    void this.refresh().catch(() => {});
    this.#timer = setInterval(() => void this.refresh({ wait: false }).catch(() => {}), this.#o.refreshMs ?? 60_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #ask(pod: Pod): Promise<void> {
    try {
      const res = await this.#o.pods.request({
        pod: podRef(pod),
        service: this.#o.service,
        method: 'GET',
        path: '/',
        // Cinder serves its version list only at the root of its endpoint (a real Cinder answers
        // 401 to an unauthenticated `/v3/`); Nova serves it at `/v2.1/` too.
        versionRoot: this.#o.service === 'volumev3',
        projectId: '',
        headers: { accept: 'application/json' },
        timeoutMs: this.#o.timeoutMs ?? 5_000,
        requestId: `req-${randomUUID()}`,
      });
      if (res.status >= 400) return void (await res.dump());
      const range = rangeFromDocument(await res.json<VersionDoc>());
      if (!range) return;
      const before = this.#known.get(pod.pod_id);
      this.#known.set(pod.pod_id, range);
      if (this.#o.stored && (!before || formatVersion(before.max) !== formatVersion(range.max))) {
        await this.#o.stored.put(pod.pod_id, this.#o.service, formatVersion(range.max)).catch((err: unknown) => this.#o.onError?.(pod, err));
      }
    } catch (err) {
      this.#o.onError?.(pod, err);
    }
  }
}
