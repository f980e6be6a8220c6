// Cinder version documents (cinder/api/versions.py): GET / answers 300
// Multiple Choices, GET /v3 answers 200, both with the single v3.0 entry whose
// version/min_version cinderclient reads to discover microversions. Links are
// built from the request's own URL; no token is needed.
import type { Ctx } from './context';
import { serviceBase } from './context';
import { MIN_VERSION } from './microversion';

/** UPDATED of cinder/api/openstack/api_version_request.py. */
export const VERSION_UPDATED = '2023-08-31T00:00:00Z';

export function versionsBody(c: Ctx, maxVersion: string): Record<string, unknown> {
  return {
    versions: [
      {
        id: 'v3.0',
        status: 'CURRENT',
        version: maxVersion,
        min_version: MIN_VERSION,
        updated: VERSION_UPDATED,
        links: [
          { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
          { rel: 'self', href: `${serviceBase(c)}/v3/` },
        ],
        'media-types': [
          { base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' },
        ],
      },
    ],
  };
}
