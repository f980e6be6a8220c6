/**
 * `serve` with `[DEFAULT] workers` above 1: this process (the cluster primary) migrates the
 * store once, then forks that many listener workers with node:cluster and serves nothing itself.
 *
 * The workers share each listening socket: on Linux Node's primary accepts the connections and
 * hands them to the workers in turn (`cluster.SCHED_RR`); Node 20 has no SO_REUSEPORT option on
 * `listen`. Every worker opens the same store and keeps its own caches, which follow the store
 * the way they follow it across sites (the routing change log every sync_interval, the pod
 * directory's TTL). Worker 1 alone runs the job runner. A worker that exits without being asked
 * is forked again in its slot (after a pause that grows while it keeps dying young); SIGTERM and
 * SIGINT stop every worker (each drains as a single process does), SIGHUP reaches every worker.
 */
import cluster, { type Worker } from 'node:cluster';
import * as sea from 'node:sea';
import { openStore } from '../store';
import { sdNotify, type Logger } from '../ops';
import { storeOptions } from './options';
import { readConfig, type ServeArgs } from './serve';

/** The env variable telling a forked process its slot (1..workers); no config section is named `worker`. */
export const WORKER_SLOT_ENV = 'TRIO2O_WORKER_SLOT';
/** The slot whose worker runs the job runner. */
export const JOBS_SLOT = 1;
/** A worker that lived less than this was dying young: its next start waits longer. */
const YOUNG_MS = 10_000;
const FIRST_PAUSE_MS = 500;
/** admin, compute, volume. */
const LISTENERS = 3;
const MAX_PAUSE_MS = 30_000;

/** This process's worker slot, or undefined when it is not a cluster worker. */
export function workerSlot(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const slot = Number(process.env[WORKER_SLOT_ENV]);
  return Number.isInteger(slot) && slot > 0 ? slot : undefined;
}

export interface Supervisor {
  /** SIGTERM to every worker; resolves when all have exited (each drains first). */
  stop: () => Promise<void>;
  /** SIGHUP to every worker. */
  reload: () => void;
}

/**
 * Migrates the store, forks `count` workers and keeps them running.
 * @example const sup = await superviseWorkers(args, 4, log); installSignalHandlers({ ...sup, log });
 */
export async function superviseWorkers(args: ServeArgs, count: number, log: Logger): Promise<Supervisor> {
  const config = readConfig(args);
  // Migrations run here, once, before any worker opens the store (workers open it without).
  const store = await openStore({ ...storeOptions(config), log });
  await store.close();

  if (sea.isSea()) {
    // cluster.fork runs `execPath [execArgv] exec ...args`, with exec = argv[1] by default. In the
    // single executable argv[1] is the executable again (Node repeats argv[0] there, as a script
    // name), and every start repeats it once more: the default would make the worker's command
    // line begin with the executable's path. So the first word of the command goes in its place.
    const [first, ...rest] = process.argv.slice(2);
    cluster.setupPrimary({ exec: first, args: rest });
  }
  let stopping = false;
  const workers = new Map<number, Worker>();
  const pauses = new Map<number, number>();

  const start = (slot: number) => {
    const startedAt = Date.now();
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(slot) });
    workers.set(slot, worker);
    worker.once('exit', (code, signal) => {
      workers.delete(slot);
      if (stopping) return;
      const young = Date.now() - startedAt < YOUNG_MS;
      const pause = young ? Math.min(MAX_PAUSE_MS, (pauses.get(slot) ?? FIRST_PAUSE_MS / 2) * 2) : FIRST_PAUSE_MS;
      pauses.set(slot, pause);
      log.warn('worker_exited', { worker: slot, pid: worker.process.pid, code, signal, restart_in_ms: pause });
      setTimeout(() => {
        if (!stopping) start(slot);
      }, pause);
    });
  };

  for (let slot = 1; slot <= count; slot++) start(slot);
  log.info('workers_started', { workers: count, jobs_worker: JOBS_SLOT, primary_pid: process.pid });
  // Ready once every first worker listens on all three listeners.
  let listening = 0;
  const onListening = () => {
    if (++listening < count * LISTENERS) return;
    cluster.off('listening', onListening);
    void sdNotify({ READY: 1, STATUS: `serving with ${count} workers` });
  };
  cluster.on('listening', onListening);

  return {
    stop: async () => {
      stopping = true;
      const exits = [...workers.values()].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
      for (const w of workers.values()) w.process.kill('SIGTERM');
      await Promise.all(exits);
    },
    reload: () => {
      for (const w of workers.values()) w.process.kill('SIGHUP');
    },
  };
}
