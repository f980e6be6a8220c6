/**
 * Process signals of `trio2o serve`:
 *   SIGTERM, SIGINT → stop once: drain (bounded), close the store, exit 0 (1 if stopping failed);
 *   SIGHUP          → reload (policy file, log level) without touching any connection.
 * A second SIGTERM/SIGINT while stopping is ignored: the drain deadline already bounds the stop,
 * and systemd's TimeoutStopSec is the hard limit above it.
 */
import { sdNotify } from './sd-notify';
import type { Logger } from './log';

export interface SignalHandlers {
  stop: () => Promise<void>;
  reload: () => Promise<void> | void;
  log: Logger;
  /** @default process.exit */
  exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them (tests). */
export function installSignalHandlers(h: SignalHandlers): () => void {
  const exit = h.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  let reloading: Promise<void> | undefined;
  const onStop = (signal: NodeJS.Signals) => {
    if (stopping) return h.log.info('signal_ignored', { signal, reason: 'already stopping' });
    stopping = true;
    h.log.info('stopping', { signal });
    void sdNotify({ STOPPING: 1, STATUS: 'draining' });
    h.stop().then(
      () => (h.log.info('stopped', { signal }), exit(0)),
      (err: unknown) => (h.log.error('stop_failed', { signal, error: String(err) }), exit(1)),
    );
  };
  const onReload = () => {
    if (stopping) return;
    // A reload arriving during a reload runs after it, so the last file state wins.
    reloading = (reloading ?? Promise.resolve()).then(async () => {
      h.log.info('reloading', { signal: 'SIGHUP' });
      void sdNotify({ RELOADING: 1, STATUS: 'reloading' });
      try {
        await h.reload();
      } catch (err) {
        h.log.error('reload_failed', { error: err instanceof Error ? err.message : String(err) });
      }
      void sdNotify({ READY: 1, STATUS: 'serving' });
    });
  };
  const term = () => onStop('SIGTERM');
  const int = () => onStop('SIGINT');
  process.on('SIGTERM', term);
  process.on('SIGINT', int);
  process.on('SIGHUP', onReload);
  return () => {
    process.off('SIGTERM', term);
    process.off('SIGINT', int);
    process.off('SIGHUP', onReload);
  };
}
