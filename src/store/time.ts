/** Timestamps are ISO-8601 UTC with a `Z` and second precision, as Nova and Cinder print them. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
