/**
 * Encoded traversal refused at the edge. The gateway forwards a routed id's sub-path to the pod as
 * it came (`/servers/{id}/...`); a segment holding `%2F` (or `%5C`, or a dot segment encoded twice)
 * is one segment to the gateway's router, but a pod front end that decodes it would route it
 * somewhere else. Refusing is safer than normalising: whatever a decoded form means to the pod,
 * the gateway did not route it.
 *
 * Single-encoded dot segments (`%2e%2e` alone) are resolved by URL parsing before any route is
 * matched (RFC 3986 §5.2.4 removes dot segments, and the WHATWG URL parser counts `%2e` as a dot),
 * so the gateway routes exactly what it forwards; they never reach this check.
 */
import type { MiddlewareHandler } from 'hono';
import { badRequest } from './errors';

/** Rounds of percent-decoding tried on one segment: catches `%252f` and `%25252f`. */
const DECODE_ROUNDS = 3;

/** A decoded segment that would change the path if a pod decoded it: separators, controls, dots. */
const DANGEROUS = /[/\\\u0000-\u001f\u007f]/;

/** True when `segment` (raw, still encoded) decodes, in up to DECODE_ROUNDS rounds, to something a pod could route elsewhere. */
export function isTraversalSegment(segment: string): boolean {
  let s = segment;
  for (let round = 0; round < DECODE_ROUNDS && s.includes('%'); round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      return false; // not decodable (e.g. a lone `%`): a pod cannot decode it either
    }
    if (decoded === s) break;
    if (DANGEROUS.test(decoded) || decoded === '.' || decoded === '..') return true;
    s = decoded;
  }
  return false;
}

/** The raw path of a request URL, without query string. */
function rawPath(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const q = url.indexOf('?', start);
  return q === -1 ? url.slice(start) : url.slice(start, q);
}

/** A `%` not followed by two hex digits: not a URI (RFC 3986 §2.1), whatever a pod makes of it. */
const MALFORMED_PERCENT = /%(?![0-9a-fA-F]{2})/;

/** Whether the octets a path percent-encodes form UTF-8: ids and names are text to every service. */
function decodesAsUtf8(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses (400) a request whose path has malformed percent-encoding or encoded octets that are
 * not UTF-8, or a segment that decodes to a separator, a backslash, a control character or a dot
 * segment, before anything routes or forwards it.
 */
export function pathGuard(): MiddlewareHandler {
  return async function pathGuardMiddleware(c, next) {
    const path = rawPath(c.req.url);
    if (!path.includes('%')) return next();
    if (MALFORMED_PERCENT.test(path)) throw badRequest('The path has malformed percent-encoding (RFC 3986 §2.1); it is not accepted.');
    if (!decodesAsUtf8(path)) throw badRequest('The path has percent-encoded octets that are not UTF-8 (RFC 3986 §2.5); it is not accepted.');
    if (path.split('/').some(isTraversalSegment)) {
      throw badRequest('The path has a segment that decodes to a path separator, a backslash, a control character or a dot segment; it is not accepted.');
    }
    await next();
  };
}
