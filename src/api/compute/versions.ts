/**
 * Compute version documents (https://docs.openstack.org/api-ref/compute/#api-versions), served
 * without a token as Nova does.
 */
import { Hono, type Context } from 'hono';
import { formatVersion, publicBase } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';

export const COMPUTE_MIN_VERSION = '2.1';
const V21_UPDATED = '2013-07-23T11:33:21Z';
const V20_UPDATED = '2011-01-21T11:33:21Z';

function v21(base: string, max: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: max,
    min_version: COMPUTE_MIN_VERSION,
    updated: V21_UPDATED,
    links: [{ rel: 'self', href: `${base}/v2.1/` }],
  };
}

export function versionsApp(deps: ComputeDeps): Hono<ComputeEnv> {
  const app = new Hono<ComputeEnv>();
  app.get('/', (c) => {
    const base = publicBase(c, deps.publicUrl);
    return c.json({
      versions: [
        { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: V20_UPDATED, links: [{ rel: 'self', href: `${base}/v2/` }] },
        v21(base, formatVersion(deps.maxVersion())),
      ],
    });
  });
  const one = (c: Context<ComputeEnv>) => {
    const base = publicBase(c, deps.publicUrl);
    const doc = v21(base, formatVersion(deps.maxVersion()));
    return c.json({
      version: {
        ...doc,
        links: [...doc.links, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
      },
    });
  };
  app.get('/v2.1', one);
  app.get('/v2.1/', one);
  // The legacy v2.0 document the version list links to (Nova still serves it; Tempest follows it).
  const legacy = (c: Context<ComputeEnv>) => {
    const base = publicBase(c, deps.publicUrl);
    return c.json({
      version: {
        id: 'v2.0',
        status: 'SUPPORTED',
        version: '',
        min_version: '',
        updated: V20_UPDATED,
        links: [
          { rel: 'self', href: `${base}/v2/` },
          { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
        ],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }],
      },
    });
  };
  app.get('/v2', legacy);
  app.get('/v2/', legacy);
  return app;
}
