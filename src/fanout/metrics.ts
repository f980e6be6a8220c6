/**
 * Fan-out metrics: how many lists ran, how many were partial, and which pods were missing and
 * why. Counters are plain numbers the ops code reads with `snapshot()` (for /metrics), and an
 * optional observer sees every list as it finishes (logs, histograms). Both run on the request
 * path, so they stay cheap.
 */
import type { MissingReason } from './types';

/** One finished list, as an observer sees it. */
export interface FanoutListEvent {
  collection: string;
  /** Pods asked (after AZ selection). */
  pods: number;
  missing: { podId: string; podName: string; reason: MissingReason; shown: 'minimal' | 'skipped' }[];
  /** Items returned. */
  items: number;
  ms: number;
}

export type FanoutObserver = (event: FanoutListEvent) => void;

export interface FanoutSnapshot {
  /** Lists answered, per collection. */
  lists: Record<string, number>;
  /** Lists answered with at least one pod missing, per collection. */
  partialLists: Record<string, number>;
  /** Missing-pod events per pod id and reason. */
  podMissing: Record<string, Record<string, number>>;
  /** Pods answered with minimal (UNKNOWN) records instead of being skipped. */
  minimalRecords: number;
}

export class FanoutMetrics {
  readonly #lists = new Map<string, number>();
  readonly #partial = new Map<string, number>();
  readonly #missing = new Map<string, Map<string, number>>();
  #minimal = 0;
  readonly #observers = new Set<FanoutObserver>();

  /** Subscribe to finished lists; returns the unsubscribe function. */
  observe(observer: FanoutObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  record(event: FanoutListEvent): void {
    this.#lists.set(event.collection, (this.#lists.get(event.collection) ?? 0) + 1);
    if (event.missing.length > 0) this.#partial.set(event.collection, (this.#partial.get(event.collection) ?? 0) + 1);
    for (const m of event.missing) {
      let byReason = this.#missing.get(m.podId);
      if (!byReason) this.#missing.set(m.podId, (byReason = new Map()));
      byReason.set(m.reason, (byReason.get(m.reason) ?? 0) + 1);
      if (m.shown === 'minimal') this.#minimal += 1;
    }
    for (const o of this.#observers) {
      try {
        o(event);
      } catch {
        // An observer's bug must not fail a user's list.
      }
    }
  }

  snapshot(): FanoutSnapshot {
    const podMissing: FanoutSnapshot['podMissing'] = {};
    for (const [pod, byReason] of this.#missing) podMissing[pod] = Object.fromEntries(byReason);
    return {
      lists: Object.fromEntries(this.#lists),
      partialLists: Object.fromEntries(this.#partial),
      podMissing,
      minimalRecords: this.#minimal,
    };
  }
}
