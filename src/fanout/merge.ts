/**
 * The k-way merge of the pods' sorted streams. Each step takes the smallest head under the sort
 * plan (which ends with the unique id, so there are no ties across pods and the result is the
 * same whatever order the pods answered in). A source whose buffer runs dry fetches its next
 * page before the step compares, so a pod that returned a short page (its own max_limit, or
 * hidden items) cannot let another pod's later items jump ahead. An item the caller may not see
 * is consumed in its place and never returned; visibility is checked only for the items taken.
 * Stops at `need` items.
 */
import { compareBy, type SortKey } from './sort';
import type { Entry, PodSource } from './pod-source';

export async function mergeSources(sources: PodSource[], plan: SortKey[], need: number): Promise<Entry[]> {
  const out: Entry[] = [];
  const seen = new Set<string>();
  while (out.length < need) {
    let waiting: Promise<void>[] | undefined;
    for (const s of sources) if (s.needsFetch) (waiting ??= []).push(s.fetch());
    if (waiting) await Promise.all(waiting);
    if (sources.some((s) => s.clientError)) break;
    let best: PodSource | undefined;
    let bestEntry: Entry | undefined;
    for (const s of sources) {
      const h = s.head();
      if (h && (!bestEntry || compareBy(plan, h.values, bestEntry.values) < 0)) {
        best = s;
        bestEntry = h;
      }
    }
    if (!best) break;
    const e = best.shift()!;
    // A resource caught mid-move in two pods is shown once, at its first position (as Nova does).
    if (seen.has(e.item.id) || !(await best.mayShow(e.item))) continue;
    seen.add(e.item.id);
    out.push(e);
  }
  return out;
}
