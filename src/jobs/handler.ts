/**
 * What a job type is to the runner: a handler that runs one attempt and says how it went. A
 * handler reads the current state when it runs (the store, the pod) rather than trusting its
 * payload, so running a job twice, or an old job after a newer one, does no harm.
 */
import type { Job } from '../store';

/** How one attempt ended. A thrown error is a `wait` with the error's message (and backoff). */
export type JobOutcome =
  /** The work is done; `detail` goes to the attempt's history. */
  | { kind: 'done'; detail?: string }
  /** Not yet (the pod is still deleting, a server is still building...): try again later. */
  | { kind: 'wait'; reason: string; delayMs?: number }
  /** Never will be (a conflict a person must resolve): the job fails now, `reason` kept. */
  | { kind: 'fail'; reason: string };

export const done = (detail?: string): JobOutcome => ({ kind: 'done', detail });
export const wait = (reason: string, delayMs?: number): JobOutcome => ({ kind: 'wait', reason, delayMs });
export const fail = (reason: string): JobOutcome => ({ kind: 'fail', reason });

/** What a running attempt gets besides its job. */
export interface JobContext {
  /** Aborted when the lease is lost, the attempt's deadline passes or the runner stops. */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface Backoff {
  /** Delay before the second attempt; doubled for each later one. */
  baseMs: number;
  /** No delay is longer than this. */
  capMs: number;
}

export interface JobHandler {
  run(job: Job, ctx: JobContext): Promise<JobOutcome>;
  /** Attempts before the job fails (with the last reason kept). @default the runner's */
  maxAttempts?: number;
  /** @default the runner's */
  backoff?: Backoff;
}

/** What the job runner writes to the log; the gateway's Logger fits. */
export interface JobLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** The delay before attempt `attempt + 1`: base × 2^(attempt−1), capped, ±20% jitter. */
export function backoffMs(b: Backoff, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(b.capMs, exp * (0.8 + 0.4 * random())));
}
