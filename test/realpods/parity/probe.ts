/**
 * The same request sequence against a real pod and a simulated one: status and the shape of
 * every answer (keys, value kinds, timestamp formats), side by side. Differences are what the
 * simulator must learn.
 */
export type Shape = string | { [k: string]: Shape } | Shape[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The kind of a string: uuid, the timestamp format, a URL, or plain. */
export function stringKind(s: string): string {
  if (UUID.test(s)) return 'uuid';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(s)) return 'time:Z';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/.test(s)) return 'time:.us';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/.test(s)) return 'time:.fZ';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/.test(s)) return 'time:.us+00:00';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/.test(s)) return 'time:+00:00';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(s)) return 'time:naive';
  if (/^https?:\/\//.test(s)) return 'url';
  return 'string';
}

/** Two shapes as one: objects take every key of either, differing kinds become `a|b`. */
function merge(a: Shape, b: Shape): Shape {
  if (typeof a === 'string' || typeof b === 'string' || Array.isArray(a) || Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) return a.length === 0 ? b : b.length === 0 ? a : [merge(a[0]!, b[0]!)];
    const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
    if (x === y) return a;
    return [...new Set([...String(typeof a === 'string' ? a : x).split('|'), ...String(typeof b === 'string' ? b : y).split('|')])].sort().join('|');
  }
  const out: Record<string, Shape> = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    out[k] = k in a && k in b ? merge(a[k]!, b[k]!) : (a[k] ?? b[k])!;
  }
  return out;
}

/** The shape of a JSON value; an array's is the merge of all its items' (order does not matter). */
export function shape(v: unknown): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? [] : [v.map(shape).reduce(merge)];
  if (typeof v === 'object') {
    const out: Record<string, Shape> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = shape((v as Record<string, unknown>)[k]);
    return out;
  }
  if (typeof v === 'string') return stringKind(v);
  return typeof v;
}

/** Human-readable differences between two shapes ('' path = top). */
export function diffShapes(a: Shape, b: Shape, path = ''): string[] {
  if (typeof a === 'string' || typeof b === 'string') {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path || '.'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return [`${path}: array vs object`];
    if (a.length === 0 || b.length === 0) return a.length === b.length ? [] : [`${path}: ${a.length ? 'items' : 'empty'} vs ${b.length ? 'items' : 'empty'}`];
    return diffShapes(a[0]!, b[0]!, `${path}[]`);
  }
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(k in b)) out.push(`${path}.${k}: only real (${JSON.stringify(a[k])})`);
    else if (!(k in a)) out.push(`${path}.${k}: only sim (${JSON.stringify(b[k])})`);
    else out.push(...diffShapes(a[k]!, b[k]!, `${path}.${k}`));
  }
  return out;
}
