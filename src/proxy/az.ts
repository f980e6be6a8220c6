/**
 * Availability zones in answers: a pod reports its own AZ name, users must see the gateway's top AZ
 * (`az_name` of the pod). One transform for every resource kind: name the body keys of one item and
 * of a collection, and the field that holds the AZ.
 */

export interface AzField {
  /** Body key of one item: `server`, `volume`, `backup`. */
  one: string;
  /** Body key of a collection: `servers`, `volumes`, `backups`. */
  many: string;
  /** The AZ field inside an item: `OS-EXT-AZ:availability_zone`, `availability_zone`. */
  field: string;
}

/**
 * A change to a pod's parsed JSON answer (for `respond`/`forward`). `inText`, when given, makes
 * the same change in the answer's text and returns it, or undefined when no exact text edit
 * exists; then the parsed JSON is transformed and serialized again.
 */
export type JsonTransform = ((json: unknown) => unknown) & { inText?: (text: string, json: unknown) => string | undefined };

/**
 * Zones that live inside pods rather than being a pod's own (a host aggregate's
 * `availability_zone`): zone name → the ids of the pods holding its hosts. A pod reports such a
 * zone under its own name, which users see unchanged.
 */
export type InnerZones = ReadonlyMap<string, ReadonlySet<string>>;

/** True when `value` is an inner zone held by pod `podId`: it is shown as the pod reports it. */
export function isInnerZone(zones: InnerZones | undefined, podId: string, value: unknown): boolean {
  return typeof value === 'string' && zones?.get(value)?.has(podId) === true;
}

/** The top AZ of one pod, and the inner zones kept as they are (see InnerZones). */
export interface TopZone {
  top: string;
  podId: string;
  inner?: InnerZones;
}

/** The value an item's AZ field shows at the top: an inner zone of the pod as it is, anything else the pod's top AZ. */
export const shown = (z: TopZone, value: unknown): unknown => (isInnerZone(z.inner, z.podId, value) ? value : z.top);

function fix(item: unknown, field: string, z: TopZone): void {
  if (item && typeof item === 'object' && field in item) (item as Record<string, unknown>)[field] = shown(z, (item as Record<string, unknown>)[field]);
}

/** How many items of a body carry `f.field` (the one item and those of the collection), and whether one shows another value at the top. */
function carried(body: Record<string, unknown>, f: AzField, z: TopZone): Tally {
  const t: Tally = { count: 0, stale: false };
  tally(body[f.one], f, z, t);
  const many = body[f.many];
  if (Array.isArray(many)) for (const item of many) tally(item, f, z, t);
  return t;
}

interface Tally {
  count: number;
  stale: boolean;
}

function tally(item: unknown, f: AzField, z: TopZone, t: Tally): void {
  if (!item || typeof item !== 'object' || !(f.field in item)) return;
  t.count++;
  const v = (item as Record<string, unknown>)[f.field];
  if (!t.stale && shown(z, v) !== v) t.stale = true;
}

/** Index just past the JSON value at `at` when it is a string or null; -1 for anything else. */
function valueEnd(text: string, at: number): number {
  if (text.startsWith('null', at)) return at + 4;
  if (text[at] !== '"') return -1;
  for (let k = at + 1; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '"') return k + 1;
  }
  return -1;
}

/** The string or null between `start` and `end` (see valueEnd); JSON.parse only for an escaped string. */
function valueAt(text: string, start: number, end: number): string | null {
  if (text[start] !== '"') return null;
  const inner = text.slice(start + 1, end - 1);
  return inner.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/** Field name → its key as it appears in JSON text (quoted); the names are few and fixed in code. */
const KEYS = new Map<string, string>();
function keyOf(field: string): string {
  let key = KEYS.get(field);
  if (key === undefined) KEYS.set(field, (key = JSON.stringify(field)));
  return key;
}

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';

/**
 * The AZ values of `text` replaced by `topAz` without re-serializing, when that is exact: the
 * field's key appears, as a key, exactly as often as parsed items carry it (so no metadata key or
 * nested object shares the name), the text has no \u escapes (so a key has one spelling only), and
 * every value is a string or null. Otherwise undefined.
 */
function azInText(text: string, json: unknown, z: TopZone, fields: readonly AzField[]): string | undefined {
  if (!json || typeof json !== 'object') return text;
  const body = json as Record<string, unknown>;
  let edits: [number, number][] | undefined;
  for (const f of fields) {
    const { count, stale } = carried(body, f, z);
    if (!stale) continue;
    if (edits === undefined) {
      if (text.includes('\\u')) return undefined;
      edits = [];
    }
    const key = keyOf(f.field);
    let found = 0;
    for (let i = text.indexOf(key); i !== -1; i = text.indexOf(key, i + key.length)) {
      if (text[i - 1] === '\\') return undefined;
      let j = i + key.length;
      while (isSpace(text[j])) j++;
      if (text[j] !== ':') continue; // the name as a value, not a key
      j++;
      while (isSpace(text[j])) j++;
      const end = valueEnd(text, j);
      if (end === -1) return undefined;
      const old = valueAt(text, j, end);
      if (shown(z, old) !== old) edits.push([j, end]);
      found++;
    }
    if (found !== count) return undefined;
  }
  if (edits === undefined) return text;
  if (fields.length > 1) edits.sort((a, b) => a[0] - b[0]);
  const value = JSON.stringify(z.top);
  let out = '';
  let from = 0;
  for (const [start, end] of edits) {
    out += text.slice(from, start) + value;
    from = end;
  }
  return out + text.slice(from);
}

/**
 * A JSON transform (for `respond`/`forward`) writing `topAz` wherever an item carries the field,
 * except where the item shows an inner zone of the pod (`{ top, podId, inner }`), kept as it is.
 * Items without the field are left alone (a summary list, an older microversion).
 * @example forward(deps, c, opts, azToTop(pod.az_name, { one: 'volume', many: 'volumes', field: 'availability_zone' }))
 */
export function azToTop(topAz: string | TopZone, ...fields: AzField[]): JsonTransform {
  const z: TopZone = typeof topAz === 'string' ? { top: topAz, podId: '' } : topAz;
  const transform: JsonTransform = (json) => {
    if (!json || typeof json !== 'object') return json;
    const body = json as Record<string, unknown>;
    for (const f of fields) {
      fix(body[f.one], f.field, z);
      const many = body[f.many];
      if (Array.isArray(many)) for (const item of many) fix(item, f.field, z);
    }
    return json;
  };
  transform.inText = (text, json) => azInText(text, json, z, fields);
  return transform;
}
