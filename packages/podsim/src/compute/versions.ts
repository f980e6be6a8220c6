// Compute version documents: GET /compute/ lists v2.0 and v2.1, GET /compute/v2.1 shows
// v2.1 with its microversion range, GET /compute/v2 the legacy v2.0. All are reachable
// without a token, as in Nova.
import type { Context } from 'hono';

const V21_UPDATED = '2013-07-23T11:33:21Z';
const V20_UPDATED = '2025-07-04T12:00:00Z';

function root(c: Context): string {
  const url = new URL(c.req.url);
  const i = url.pathname.indexOf('/compute');
  return `${url.origin}${i >= 0 ? url.pathname.slice(0, i) : ''}/compute`;
}

/** GET /compute/ — the version list (200, not 300: that is what Nova's root answers). */
export function versionList(c: Context, maxVersion: string, minVersion: string) {
  const base = root(c);
  return c.json({
    versions: [
      {
        id: 'v2.0',
        links: [{ href: `${base}/v2/`, rel: 'self' }],
        status: 'SUPPORTED',
        version: '',
        min_version: '',
        updated: V20_UPDATED,
      },
      {
        id: 'v2.1',
        links: [{ href: `${base}/v2.1/`, rel: 'self' }],
        status: 'CURRENT',
        version: maxVersion,
        min_version: minVersion,
        updated: V21_UPDATED,
      },
    ],
  });
}

/** GET /compute/v2.1 — the one version document. */
export function versionShow(c: Context, maxVersion: string, minVersion: string) {
  return c.json({
    version: {
      id: 'v2.1',
      links: [
        { href: `${root(c)}/v2.1/`, rel: 'self' },
        { href: 'http://docs.openstack.org/', rel: 'describedby', type: 'text/html' },
      ],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
      status: 'CURRENT',
      version: maxVersion,
      min_version: minVersion,
      updated: V21_UPDATED,
    },
  });
}

/**
 * GET /compute/v2 — the legacy v2.0 document. The version list links to it, and clients
 * (Tempest's test_get_version_details) follow every self link, so it must answer as Nova does.
 */
export function versionShowV20(c: Context) {
  return c.json({
    version: {
      id: 'v2.0',
      links: [
        { href: `${root(c)}/v2/`, rel: 'self' },
        { href: 'http://docs.openstack.org/', rel: 'describedby', type: 'text/html' },
      ],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }],
      status: 'SUPPORTED',
      version: '',
      min_version: '',
      updated: V20_UPDATED,
    },
  });
}
