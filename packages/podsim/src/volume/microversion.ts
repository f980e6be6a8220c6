// Volume microversion negotiation, as Cinder's wsgi.Request.set_api_version_request:
// no header -> 3.0, 'latest' -> max, a string that is not Major.Minor -> 400,
// a version outside [3.0, max] -> 406 (computeFault, Cinder has no name for 406).
// The negotiated version is echoed on every response with Vary.
//
// Version history used by this simulator (cinder/api/openstack/rest_api_version_history.rst):
//   3.0  base                      3.13 group_id in volume
//   3.21 provider_id (admin)       3.27 attachments API
//   3.41 snapshot user_id          3.43 backup metadata
//   3.44 attachment complete       3.45 list count (with_count)
//   3.47 create volume from backup 3.48 shared_targets, service_uuid
//   3.61 cluster_name (admin)      3.63 volume_type_id
//   3.65 consumes_quota            3.67 project id optional in URL
//   3.69 shared_targets tri-state
import { CinderFault } from './faults';

export const API_VERSION_HEADER = 'OpenStack-API-Version';
export const VOLUME_SERVICE = 'volume';
export const MIN_VERSION = '3.0';

/** A negotiated volume API version, 3.minor. */
export interface ApiVersion {
  major: number;
  minor: number;
}

const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

export function parseVersion(text: string): ApiVersion | null {
  const m = VERSION_RE.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export function versionString(v: ApiVersion): string {
  return `${v.major}.${v.minor}`;
}

function compare(a: ApiVersion, b: ApiVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** True when v >= '3.x' (the microversion given as a string). */
export function atLeast(v: ApiVersion, min: string): boolean {
  const m = parseVersion(min);
  if (!m) throw new Error(`bad microversion constant ${min}`);
  return compare(v, m) >= 0;
}

export interface Negotiated {
  version: ApiVersion;
  /** A fault to answer instead of running the request, with the version to echo (if any). */
  fault?: CinderFault;
  echo?: ApiVersion;
}

/**
 * Negotiate the version from the raw header value.
 * @param header value of OpenStack-API-Version, or null when absent
 * @param maxVersion the service's maximum, e.g. '3.70'
 */
export function negotiate(header: string | null, maxVersion: string): Negotiated {
  const min = parseVersion(MIN_VERSION)!;
  const max = parseVersion(maxVersion);
  if (!max) throw new Error(`maxVersion must look like 3.x, got ${maxVersion}`);
  if (header === null) return { version: min, echo: min };
  let requested: string | undefined;
  for (const part of header.split(',')) {
    if (part.includes(VOLUME_SERVICE)) {
      requested = part.trim().split(/\s+/)[1];
      break;
    }
  }
  if (!requested) {
    return {
      version: min,
      fault: new CinderFault(400, `API version ${requested ?? 'None'} is not supported on this method.`),
    };
  }
  if (requested === 'latest') return { version: max, echo: max };
  const v = parseVersion(requested);
  if (!v) {
    return {
      version: min,
      fault: new CinderFault(
        400,
        `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`,
      ),
    };
  }
  if (compare(v, min) < 0 || compare(v, max) > 0) {
    return {
      version: min,
      echo: v,
      fault: new CinderFault(
        406,
        `Version ${versionString(v)} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${versionString(max)}.`,
      ),
    };
  }
  return { version: v, echo: v };
}
