/**
 * `/v1.0/jobs`: the work the job runners do (catalog sync, deletion tracking, reconciliation,
 * adoption, pruning). List (filters `status`, `type`, `resource_id`; `limit`/`marker` by job
 * id, `jobs_links`), show (with the history of every attempt), retry a finished job, delete a
 * finished job. Waiting and running jobs belong to the runners: they cannot be deleted.
 */
import { Hono } from 'hono';
import { authorize } from '../../auth';
import { adminRule, type ADMIN_API_OPERATIONS } from './policy-rules';
import { JOB_STATUSES, type JobStatus } from '../../store';
import { badRequest, conflict, firstValues, isFullPage, nextLink, notFound } from '../../http';
import type { AdminDeps, AdminEnv } from './deps';
import { ADMIN_QUERY, pageParams, queryOf, storeWrite } from '../common';

const RULE = (op: (typeof ADMIN_API_OPERATIONS)['jobs'][number]) => adminRule('jobs', op);

export function jobsApp(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { jobs } = deps.store;

  app.get('/', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('list'));
    const { status, type, resource_id } = c.req.query();
    if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus)) throw badRequest(`Invalid status: must be one of ${JOB_STATUSES.join(', ')}`);
    const { limit, marker } = pageParams(queryOf(c), ADMIN_QUERY.limit, deps.maxLimit);
    if (marker !== undefined && !(await jobs.get(marker))) throw badRequest(`marker [${marker}] not found`);
    const list = await jobs.list({ status: status as JobStatus | undefined, type, resource_id }, { limit, marker });
    const body: Record<string, unknown> = { jobs: list };
    const last = list.at(-1);
    if (isFullPage(limit, list.length) && last) {
      const query = firstValues(queryOf(c));
      query.delete('marker');
      body.jobs_links = [nextLink(c, last.id, { publicUrl: deps.publicUrl, path: '/v1.0/jobs', query })];
    }
    return c.json(body);
  });

  app.get('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('show'));
    const job = await jobs.get(c.req.param('id'));
    if (!job) throw notFound('Job not found');
    return c.json({ job: { ...job, history: await jobs.history(job.id) } });
  });

  /** A job that has finished, or the 404/409 saying why this one is not. */
  const finished = async (id: string, verb: string) => {
    const job = await jobs.get(id);
    if (!job) throw notFound('Job not found');
    if (job.status === 'new' || job.status === 'running') throw conflict(`Job ${id} is ${job.status}: only a finished job can be ${verb}.`);
    return job;
  };

  app.post('/:id/retry', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('retry'));
    const id = c.req.param('id');
    const job = await finished(id, 'retried');
    const again = await storeWrite(() => jobs.retry(id));
    if (!again) throw conflict(`Job ${id} cannot be retried: another job for ${job.dedup_key ?? 'the same work'} is waiting.`);
    return c.json({ job: again }, 202);
  });

  app.delete('/:id', async (c) => {
    authorize(deps.policy, c.get('auth'), RULE('delete'));
    const id = c.req.param('id');
    await finished(id, 'deleted');
    if (!(await storeWrite(() => jobs.deleteFinished(id)))) throw notFound('Job not found');
    return c.body(null, 200);
  });

  return app;
}
