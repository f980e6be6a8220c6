/**
 * The job runner: one in every `serve` process, all of them sharing the jobs table of the store.
 *
 * Each tick it reads the due jobs of the types it knows from its local store (a site replica),
 * then claims them one by one with the lease write (src/store/jobs.ts): only the runner whose
 * claim came back owns the job, whatever the other sites do at the same moment. While an attempt
 * runs its lease is renewed; a runner that cannot renew (its primary went away, or it was too
 * slow and someone took over) aborts the attempt, and its result is not recorded. A runner that
 * dies holds its leases only until they expire; then any runner takes the jobs over. While the
 * primary is away nothing can be claimed, so runners wait. Jobs are rows: they survive restarts.
 *
 * Each attempt is one log line (`job_attempt`) and one count in the metrics by type and outcome.
 * A failed attempt is retried after an exponential backoff with a cap, up to a bound of
 * attempts; then the job fails with the last reason kept (visible in /v1.0/jobs).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isUnavailable, type Job, type JobResult, type Lease, type Store } from '../store';
import { backoffMs, type Backoff, type JobHandler, type JobLog, type JobOutcome } from './handler';

/** Lease of one attempt; renewed every third of it. */
export const DEFAULT_LEASE_MS = 30_000;
/** Time between two looks for due jobs. */
export const DEFAULT_POLL_MS = 1_000;
/** Attempts running at once in one process. */
export const DEFAULT_CONCURRENCY = 4;
/** Attempts before a job fails, unless its handler says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 10;
/** Retry delays: 1 s, 2 s, 4 s … capped at 5 minutes. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, capMs: 300_000 };
/** One attempt may take this long before it is aborted. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 120_000;
/** A week of finished jobs stays listable. */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 3_600_000;
/** How long `stop()` lets running attempts finish before aborting them. */
const STOP_GRACE_MS = 5_000;

/** Work a runner does every `everyMs` besides running jobs (finding stale pending rows...). */
export interface Sweep {
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

export interface JobRunnerOptions {
  store: Store;
  handlers: Readonly<Record<string, JobHandler>>;
  log: JobLog;
  /** This runner's name in leases and history. @default `<host>/<pid>/<random>` */
  owner?: string;
  /** @default DEFAULT_LEASE_MS */
  leaseMs?: number;
  /** @default DEFAULT_POLL_MS */
  pollMs?: number;
  /** @default DEFAULT_CONCURRENCY */
  concurrency?: number;
  /** @default DEFAULT_MAX_ATTEMPTS */
  maxAttempts?: number;
  /** @default DEFAULT_BACKOFF */
  backoff?: Backoff;
  /** @default DEFAULT_ATTEMPT_TIMEOUT_MS */
  attemptTimeoutMs?: number;
  sweeps?: Sweep[];
  /**
   * Brings the local store up to the primary before a claimed job runs (a site replica syncs), so
   * the handler reads at least what was written before the claim.
   */
  beforeRun?: () => Promise<void>;
}

/** Counters for /metrics: attempts by type and outcome, and what runs now. */
export interface JobRunnerStats {
  attempts: { type: string; outcome: string; n: number }[];
  /** Seconds spent in attempts, by type (with the count, an average). */
  seconds: { type: string; s: number }[];
  running: number;
  /** Ticks skipped because the primary could not be written. */
  primaryWaits: number;
}

type Running = { lease: Lease; abort: AbortController; done: Promise<void> };

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 500);

export class JobRunner {
  readonly owner: string;
  readonly #o: Required<Omit<JobRunnerOptions, 'beforeRun' | 'owner'>> & Pick<JobRunnerOptions, 'beforeRun'>;
  readonly #types: string[];
  readonly #running = new Map<string, Running>();
  readonly #lastSweep = new Map<string, number>();
  readonly #attempts = new Map<string, number>();
  readonly #seconds = new Map<string, number>();
  #primaryWaits = 0;
  #waitingForPrimary = false;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | null = null;
  #stopped = true;

  constructor(opts: JobRunnerOptions) {
    this.owner = opts.owner ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.#o = {
      store: opts.store,
      handlers: opts.handlers,
      log: opts.log,
      leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
      pollMs: opts.pollMs ?? DEFAULT_POLL_MS,
      concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      backoff: opts.backoff ?? DEFAULT_BACKOFF,
      attemptTimeoutMs: opts.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
      sweeps: opts.sweeps ?? [],
      beforeRun: opts.beforeRun,
    };
    this.#types = Object.keys(opts.handlers);
  }

  /** Whether the runner looks for due jobs (started and not stopped). */
  get started(): boolean {
    return !this.#stopped;
  }

  /** Starts looking for due jobs every `pollMs`. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    // Sweeps first run one period after the start, not at once: a restart causes no burst of writes.
    for (const s of this.#o.sweeps) if (!this.#lastSweep.has(s.name)) this.#lastSweep.set(s.name, Date.now());
    this.#schedule(0);
  }

  /** Stops claiming; lets running attempts finish (bounded), then aborts the rest. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    const all = [...this.#running.values()];
    const grace = new Promise<void>((r) => setTimeout(r, STOP_GRACE_MS).unref());
    await Promise.race([Promise.all(all.map((r) => r.done)), grace]);
    for (const r of this.#running.values()) r.abort.abort(new Error('the job runner is stopping'));
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  /** One look for due jobs (and due sweeps); resolves once claimed attempts have started. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  /** Resolves when no attempt of this runner is running (tests). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  stats(): JobRunnerStats {
    const split = (k: string) => k.split('\u0001') as [string, string];
    return {
      attempts: [...this.#attempts].map(([k, n]) => ({ type: split(k)[0], outcome: split(k)[1], n })),
      seconds: [...this.#seconds].map(([type, s]) => ({ type, s })),
      running: this.#running.size,
      primaryWaits: this.#primaryWaits,
    };
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.tick().finally(() => this.#schedule(this.#o.pollMs)), ms);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#o.store.mode === 'replica-detached') return this.#primaryAway('the state store is detached from its primary');
    try {
      await this.#claimDue();
      await this.#sweep();
      if (this.#waitingForPrimary) {
        this.#waitingForPrimary = false;
        this.#o.log.info('job_runner_resumed', { owner: this.owner });
      }
    } catch (err) {
      if (isUnavailable(err)) return this.#primaryAway(oneLine(err));
      this.#o.log.error('job_runner_error', { owner: this.owner, error: oneLine(err) });
    }
  }

  #primaryAway(why: string): void {
    this.#primaryWaits++;
    if (this.#waitingForPrimary) return;
    this.#waitingForPrimary = true;
    this.#o.log.warn('job_runner_waiting', { owner: this.owner, reason: why, message: 'jobs wait until the primary can be written' });
  }

  async #claimDue(): Promise<void> {
    const free = this.#o.concurrency - this.#running.size;
    if (free <= 0 || this.#stopped) return;
    const { jobs } = this.#o.store;
    const ids = (await jobs.due(free * 4, this.#types)).filter((id) => !this.#running.has(id));
    let started = 0;
    for (const id of ids) {
      if (started >= free || this.#stopped) break;
      const lease = await jobs.claim(id, this.owner, this.#o.leaseMs);
      if (!lease) continue; // another runner has it
      started++;
      this.#begin(lease);
    }
  }

  async #sweep(): Promise<void> {
    const now = Date.now();
    for (const s of this.#o.sweeps) {
      if (this.#stopped) return;
      if (now - (this.#lastSweep.get(s.name) ?? 0) < s.everyMs) continue;
      this.#lastSweep.set(s.name, now);
      try {
        await s.run();
      } catch (err) {
        if (isUnavailable(err)) throw err;
        this.#o.log.error('job_sweep_error', { sweep: s.name, error: oneLine(err) });
      }
    }
  }

  #begin(lease: Lease): void {
    const abort = new AbortController();
    const entry: Running = { lease, abort, done: Promise.resolve() };
    entry.done = this.#attempt(lease, abort).finally(() => this.#running.delete(lease.job.id));
    this.#running.set(lease.job.id, entry);
  }

  async #attempt(lease: Lease, abort: AbortController): Promise<void> {
    const { job } = lease;
    const handler = this.#o.handlers[job.type]!;
    const { store, log, leaseMs } = this.#o;
    const started = performance.now();
    let lost = false;
    const heartbeat = setInterval(() => {
      store.jobs.renew(lease, leaseMs).then(
        (held) => {
          if (!held) ((lost = true), abort.abort(new Error('the lease was lost')));
        },
        (err: unknown) => ((lost = true), abort.abort(new Error(`the lease could not be renewed: ${oneLine(err)}`))),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    const deadline = setTimeout(() => abort.abort(new Error(`the attempt took longer than ${this.#o.attemptTimeoutMs} ms`)), this.#o.attemptTimeoutMs);
    deadline.unref();
    let outcome: JobOutcome;
    try {
      await store.jobs.recordStart(lease).catch(() => {});
      await this.#o.beforeRun?.().catch(() => {});
      outcome = await handler.run(job, { signal: abort.signal, attempt: lease.attempt });
    } catch (err) {
      outcome = { kind: 'wait', reason: abort.signal.aborted ? oneLine(abort.signal.reason) : oneLine(err) };
    } finally {
      clearInterval(heartbeat);
      clearTimeout(deadline);
    }
    const result = this.#result(job, handler, lease.attempt, outcome);
    let recorded: string = 'lost';
    if (!lost) {
      try {
        recorded = await store.jobs.finish(lease, result);
      } catch (err) {
        // Not recorded: the lease expires and the job runs again (handlers are idempotent).
        log.warn('job_result_unrecorded', { job_id: job.id, type: job.type, error: oneLine(err) });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    this.#count(job.type, recorded, seconds);
    const fields: Record<string, unknown> = {
      job_id: job.id,
      type: job.type,
      resource_id: job.resource_id,
      attempt: lease.attempt,
      outcome: recorded,
      duration_ms: Math.round(seconds * 1000),
      owner: this.owner,
    };
    if (result.outcome === 'success' && result.detail) fields.detail = result.detail;
    if (result.outcome !== 'success') fields.error = result.error;
    if (result.outcome === 'retry') fields.next_attempt_in_ms = result.delayMs;
    (recorded === 'fail' || recorded === 'lost' ? log.warn : log.info).call(log, 'job_attempt', fields);
  }

  #result(job: Job, handler: JobHandler, attempt: number, outcome: JobOutcome): JobResult {
    if (outcome.kind === 'done') return { outcome: 'success', detail: outcome.detail };
    if (outcome.kind === 'fail') return { outcome: 'fail', error: outcome.reason };
    const max = job.max_attempts ?? handler.maxAttempts ?? this.#o.maxAttempts;
    if (attempt >= max) return { outcome: 'fail', error: `gave up after ${attempt} attempts: ${outcome.reason}` };
    return { outcome: 'retry', error: outcome.reason, delayMs: outcome.delayMs ?? backoffMs(handler.backoff ?? this.#o.backoff, attempt) };
  }

  #count(type: string, outcome: string, seconds: number): void {
    const k = `${type}\u0001${outcome}`;
    this.#attempts.set(k, (this.#attempts.get(k) ?? 0) + 1);
    this.#seconds.set(type, (this.#seconds.get(type) ?? 0) + seconds);
  }
}
