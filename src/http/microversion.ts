/**
 * Microversion negotiation for compute (`compute 2.x`) and volume (`volume 3.x`).
 *
 * Compute follows the original Trio2o's tested rules: the `OpenStack-API-Version` header wins over
 * the legacy `X-OpenStack-Nova-API-Version`; the new header must be `compute X.Y` (the service
 * prefix is required there and forbidden in the legacy one); `X.latest`/`latest` mean the maximum;
 * anything malformed or out of range is a 406. The maximum is not fixed: it is the lowest maximum
 * among the enabled pods (capped by config), so every forwarded call is one each pod understands.
 *
 * Volume follows Cinder's own rules (cinder/api/openstack/wsgi.py set_api_version_request): the
 * header is a comma list and the `volume X.Y` entry counts; no such entry is a 400 ("API version
 * None is not supported on this method."); `latest` is the maximum (`3.latest` is not a version); a
 * malformed version is a 400 and one outside the range a 406.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';
import type { GatewayEnv } from './env';

export interface Version {
  major: number;
  minor: number;
}

export interface MicroversionSpec {
  /** Service name in the header: 'compute' or 'volume'. */
  service: string;
  /** Legacy header that carries only the number (compute: X-OpenStack-Nova-API-Version). */
  legacyHeader?: string;
  min: Version;
  /** The current maximum; a function because it follows the pods. */
  max: () => Version;
  /** Whose parsing rules apply. @default 'nova' */
  rules?: 'nova' | 'cinder';
}

export interface MicroversionVariables {
  apiVersion: Version;
}

export const parseVersion = (s: string): Version | undefined => {
  const m = /^(\d+)\.(\d+)$/.exec(s.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
};
export const formatVersion = (v: Version): string => `${v.major}.${v.minor}`;
export const compareVersions = (a: Version, b: Version): number => a.major - b.major || a.minor - b.minor;
export const minVersion = (a: Version, b: Version): Version => (compareVersions(a, b) <= 0 ? a : b);

/** True when the negotiated version is at least `atLeast` ("2.69"). */
export function isSupported(v: Version, atLeast: string): boolean {
  return compareVersions(v, parseVersion(atLeast)!) >= 0;
}

function notAcceptable(message: string): ApiError {
  return new ApiError(406, message);
}

/** Cinder's `^([1-9]\d*)\.([1-9]\d*|0)$` (api_version_request.APIVersionRequest). */
const CINDER_VERSION = /^([1-9]\d*)\.([1-9]\d*|0)$/;

function negotiateCinder(spec: MicroversionSpec, raw: string | undefined): Version {
  if (raw === undefined) return spec.min;
  const entry = raw.split(',').find((part) => part.includes(spec.service));
  const tokens = entry?.trim().split(/\s+/) ?? [];
  if (tokens.length !== 2) throw new ApiError(400, `API version ${tokens[1] ?? 'None'} is not supported on this method.`);
  const requested = tokens[1]!;
  const max = spec.max();
  if (requested === 'latest') return max;
  const m = CINDER_VERSION.exec(requested);
  if (!m) throw new ApiError(400, `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
  const v = { major: Number(m[1]), minor: Number(m[2]) };
  if (compareVersions(v, spec.min) < 0 || compareVersions(v, max) > 0) {
    throw notAcceptable(`Version ${requested} is not supported by the API. Minimum is ${formatVersion(spec.min)} and maximum is ${formatVersion(max)}.`);
  }
  return v;
}

/** Picks the version a request asks for; throws a 4xx ApiError (406 out of range) when it cannot be served. */
export function negotiate(spec: MicroversionSpec, header: (name: string) => string | undefined): Version {
  if (spec.rules === 'cinder') return negotiateCinder(spec, header('openstack-api-version'));
  const max = spec.max();
  const fresh = header('openstack-api-version');
  const legacy = spec.legacyHeader ? header(spec.legacyHeader) : undefined;
  let raw: string;
  if (fresh !== undefined) {
    const tokens = fresh.trim().split(/\s+/);
    if (tokens[0]?.toLowerCase() !== spec.service) {
      throw notAcceptable(`Invalid OpenStack-API-Version header "${fresh}": it must be "${spec.service} X.Y".`);
    }
    raw = tokens.slice(1).join('');
  } else if (legacy !== undefined) {
    raw = legacy.trim();
  } else {
    return spec.min;
  }
  const latest = /^(\d+)\.latest$/i.exec(raw);
  if (raw.toLowerCase() === 'latest') return max;
  if (latest) {
    if (Number(latest[1]) !== max.major) throw notAcceptable(`Version ${raw} is not supported by the API.`);
    return max;
  }
  const v = /^\d+$/.test(raw) ? { major: Number(raw), minor: 0 } : parseVersion(raw);
  if (!v) throw notAcceptable(`API Version String ${raw} is of invalid format. Must be of format MajorNum.MinorNum.`);
  if (compareVersions(v, spec.min) < 0 || compareVersions(v, max) > 0) {
    throw notAcceptable(`Version ${raw} is not supported by the API. Minimum is ${formatVersion(spec.min)} and maximum is ${formatVersion(max)}.`);
  }
  return v;
}

/** Headers that say which version answered, on every response, faults included. */
export function versionHeaders(spec: MicroversionSpec, v: Version): Record<string, string> {
  const h: Record<string, string> = { 'OpenStack-API-Version': `${spec.service} ${formatVersion(v)}` };
  if (spec.legacyHeader) h[spec.legacyHeader] = formatVersion(v);
  h.Vary = spec.legacyHeader ? `OpenStack-API-Version, ${spec.legacyHeader}` : 'OpenStack-API-Version';
  return h;
}

/**
 * Negotiates before authentication (as Nova does) and echoes the result. A 406 carries the
 * minimum version in its headers, so clients still learn the range.
 */
export function microversion(spec: MicroversionSpec): MiddlewareHandler<GatewayEnv> {
  return async function microversionMiddleware(c, next) {
    let v: Version;
    try {
      v = negotiate(spec, (n) => c.req.header(n));
    } catch (err) {
      if (err instanceof ApiError) {
        for (const [k, val] of Object.entries(versionHeaders(spec, spec.min))) err.headers[k] = val;
      }
      throw err;
    }
    c.set('apiVersion', v);
    await next();
    for (const [k, val] of Object.entries(versionHeaders(spec, v))) c.res.headers.set(k, val);
  };
}
