/**
 * Fan-out lists: parallel to the caller's pods, merge-sorted, paged with ordinary markers,
 * partial (never failed) when a pod is down. Import from here, not from the files.
 */
export { fanoutList, createFanout } from './fanout';
export { askPods, type AskOptions, type AskResult, type PodAnswer, type PodQuestion } from './ask-pods';
export { compareBy, compareValues, normalize, sortValues, type SortDialect, type SortKey, type SortDir, type SortValue } from './sort';
export { FanoutMetrics, type FanoutListEvent, type FanoutObserver, type FanoutSnapshot } from './metrics';
export { CursorCache, CURSOR_CACHE_SIZE, CURSOR_TTL_MS, type PodPositions } from './cursors';
export { MISSING_PODS_HEADER, PAGING_SORTING_PARAMS, missingHeader, reasonFor } from './partial';
export { DEFAULT_MAX_LIMIT, DEFAULT_LIST_TIMEOUT_MS, type Fanout, type FanoutDeps, type FanoutSpec, type DownRecords, type Item, type MissingPod, type MissingReason } from './types';
export { tenantPodIds } from './targets';
