// Compute microversion negotiation, as nova/api/openstack/wsgi.py does it:
// `OpenStack-API-Version: compute X.Y` wins over the legacy `X-OpenStack-Nova-API-Version`;
// none means 2.1, `latest` the maximum; a malformed string is 400, out of range 406.
// Every response of a versioned route (faults included) echoes both headers and Vary.

export interface ApiVersion {
  major: number;
  minor: number;
}

export const MIN_VERSION = '2.1';
export const NEW_HEADER = 'OpenStack-API-Version';
export const LEGACY_HEADER = 'X-OpenStack-Nova-API-Version';
const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

export function parseVersion(s: string): ApiVersion | null {
  const m = VERSION_RE.exec(s);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export function mustParse(s: string): ApiVersion {
  const v = parseVersion(s);
  if (!v) throw new Error(`bad microversion constant ${s}`);
  return v;
}

export function compareVersions(a: ApiVersion, b: ApiVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatVersion(v: ApiVersion): string {
  return `${v.major}.${v.minor}`;
}

const cache = new Map<string, ApiVersion>();
/** True when the request's version is at least `v` (Nova's is_supported). */
export function atLeast(req: ApiVersion, v: string): boolean {
  let want = cache.get(v);
  if (!want) {
    want = mustParse(v);
    cache.set(v, want);
  }
  return compareVersions(req, want) >= 0;
}

/** The compute entry of an OpenStack-API-Version header ("compute 2.5, volume 3.1"). */
function fromStandardHeader(value: string | null): string | undefined {
  if (value === null) return undefined;
  for (const part of value.split(',')) {
    const [service, version] = part.trim().split(/\s+/, 2);
    if (service?.toLowerCase() === 'compute' && version) return version;
  }
  return undefined;
}

export type Negotiated =
  | { ok: true; version: ApiVersion }
  | { ok: false; status: 400 | 406; message: string; version?: ApiVersion };

/** Pick the request's microversion within [min, max]. */
export function negotiate(headers: Headers, min: ApiVersion, max: ApiVersion): Negotiated {
  const raw = fromStandardHeader(headers.get(NEW_HEADER)) ?? headers.get(LEGACY_HEADER) ?? undefined;
  if (raw === undefined) return { ok: true, version: min };
  if (raw === 'latest') return { ok: true, version: max };
  const v = parseVersion(raw);
  if (!v) {
    return { ok: false, status: 400, message: `API Version String ${raw} is of invalid format. Must be of format MajorNum.MinorNum.` };
  }
  if (compareVersions(v, min) < 0 || compareVersions(v, max) > 0) {
    const message = `Version ${formatVersion(v)} is not supported by the API. Minimum is ${formatVersion(min)} and maximum is ${formatVersion(max)}.`;
    return { ok: false, status: 406, message, version: v };
  }
  return { ok: true, version: v };
}

/** Response headers Nova adds for a negotiated version. */
export function versionHeaders(v: ApiVersion): Record<string, string> {
  return {
    [NEW_HEADER]: `compute ${formatVersion(v)}`,
    [LEGACY_HEADER]: formatVersion(v),
    Vary: `${NEW_HEADER}, ${LEGACY_HEADER}`,
  };
}
