/**
 * Cinder version documents (cinder/api/versions.py), served without a token because cinderclient's
 * discovery (`get_server_version`) GETs the endpoint root with no token and reads
 * `versions[].version` / `min_version`. `GET /` answers 300 Multiple Choices, `GET /v3` 200, both
 * with the single v3.0 entry — as Cinder does; the original's `{"version": ...}` at /v3 is not what
 * Cinder or its clients use. `version` is the gateway's current maximum (the pods').
 */
import { Hono, type Context } from 'hono';
import { formatVersion, publicBase, type GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';

export const VOLUME_MIN_VERSION = '3.0';
/** UPDATED of cinder/api/openstack/api_version_request.py. */
const V3_UPDATED = '2023-08-31T00:00:00Z';

function versionsBody(base: string, max: string) {
  return {
    versions: [
      {
        id: 'v3.0',
        status: 'CURRENT',
        version: max,
        min_version: VOLUME_MIN_VERSION,
        updated: V3_UPDATED,
        links: [
          { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
          { rel: 'self', href: `${base}/v3/` },
        ],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
      },
    ],
  };
}

export function versionsApp(deps: VolumeDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const body = (c: Context) => versionsBody(publicBase(c, deps.publicUrl), formatVersion(deps.maxVersion()));
  app.get('/', (c) => c.json(body(c), 300));
  app.get('/v3', (c) => c.json(body(c)));
  app.get('/v3/', (c) => c.json(body(c)));
  return app;
}
