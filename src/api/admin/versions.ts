/** Admin API version documents: `GET /` and `GET /v1.0`. */
import { Hono } from 'hono';
import { publicBase } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';

const UPDATED = '2015-09-09';
const RESOURCES = ['bindings', 'jobs', 'pods', 'routings', 'status'] as const;

export function versionsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', (c) => {
    const base = publicBase(c, deps.publicUrl);
    return c.json({ versions: [{ status: 'CURRENT', links: [{ rel: 'self', href: `${base}/v1.0/` }], id: 'v1.0', updated: UPDATED }] });
  });
  app.get('/v1.0', (c) => {
    const base = publicBase(c, deps.publicUrl);
    return c.json({
      version: '1.0',
      links: [{ rel: 'self', href: `${base}/v1.0` }, ...RESOURCES.map((r) => ({ rel: r, href: `${base}/v1.0/${r}` }))],
    });
  });
  return app;
}
