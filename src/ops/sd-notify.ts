/**
 * systemd readiness and status (sd_notify) through the `systemd-notify` CLI.
 *
 * Node's dgram has no AF_UNIX and the npm sd-notify modules are native addons that a single
 * executable cannot carry, so we run the CLI (systemd-notify(1)). It sends from its own PID,
 * hence `NotifyAccess=all` in the unit; `--pid` names us as the main process. Without
 * NOTIFY_SOCKET (not under systemd) every call is a no-op.
 */
import { execFile } from 'node:child_process';

export type NotifyState = Record<string, string | number>;

export interface SdNotifyOptions {
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default 'systemd-notify' */
  command?: string;
}

/**
 * Send `KEY=VALUE` assignments, e.g. `{ READY: 1, STATUS: 'serving' }`.
 * @returns whether a notification was sent (false when not under systemd or the CLI failed)
 */
export function sdNotify(state: NotifyState, opts: SdNotifyOptions = {}): Promise<boolean> {
  const env = opts.env ?? process.env;
  if (!env.NOTIFY_SOCKET) return Promise.resolve(false);
  const args = [`--pid=${process.pid}`, ...Object.entries(state).map(([k, v]) => `${k}=${v}`)];
  return new Promise((resolve) => {
    execFile(opts.command ?? 'systemd-notify', args, { env, timeout: 5_000 }, (err) => resolve(!err));
  });
}
