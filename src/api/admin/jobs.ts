/** `/v1.0/jobs`: the asynchronous jobs the gateway runs (flavor/type pushes, reconciliation). */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import type { JobStatus } from '../../store';
import { badRequest, notFound } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['jobs'][number]) => adminRule('jobs', op);
const STATUSES: readonly JobStatus[] = ['new', 'running', 'success', 'fail'];

export function jobsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    const { status, type } = c.req.query();
    if (status !== undefined && !STATUSES.includes(status as JobStatus)) throw badRequest(`Invalid status: must be one of ${STATUSES.join(', ')}`);
    return c.json({ jobs: await deps.store.jobs.list({ status: status as JobStatus | undefined, type }) });
  });
  app.get('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    const job = await deps.store.jobs.get(c.req.param('id'));
    if (!job) throw notFound('Job not found');
    return c.json({ job });
  });
  return app;
}
