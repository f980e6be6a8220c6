/**
 * Long-running processes of the real-pods bed, each under a tiny sh watchdog.
 *
 * The watchdog is started in a new session (so it leads a process group of its own), starts
 * the daemon in the background with its output appended to a log file, prints the daemon's PID
 * and then blocks reading its stdin, a pipe from this process. The pipe closes when stop() is
 * called, and also when this process dies for any reason (SIGKILL included): the watchdog then
 * sends TERM to the daemon's PID, waits for it (bounded), and finally KILLs what is left of its
 * own process group — the daemon's forked workers (nova-api, uwsgi, beam.smp's helpers). Nothing
 * is ever looked up or killed by name. One-shot commands (nova-manage, mariadb, ...) run under
 * the same kind of watchdog (runSupervised), so none outlives the test process either.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/**
 * $1 = log file, $2 = grace in tenths of a second, then the command. `wait` (not a `kill -0`
 * loop) tells when the daemon is gone: a child the shell has not reaped still answers kill -0.
 * dash (Debian's sh) takes no `--` in kill: `kill -KILL -PGID` names the group.
 */
const WATCHDOG = [
  'log=$1; grace=$2; shift 2',
  '"$@" >>"$log" 2>&1 </dev/null &',
  'pid=$!',
  'echo "$pid"',
  'read -r _ || true',
  'kill -TERM "$pid" 2>/dev/null',
  '( n=0; while [ "$n" -lt "$grace" ]; do sleep 0.1; n=$((n+1)); done; kill -KILL "-$$" ) &',
  'wait "$pid"',
  'kill -KILL "-$$" 2>/dev/null',
].join('\n');

export interface DaemonOptions {
  /** Short name for messages, e.g. `pod1-nova-api`. */
  name: string;
  command: string;
  args: string[];
  /** Appended to, never truncated: a restarted daemon keeps its history. */
  log: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Seconds between TERM and KILL on stop. @default 15 */
  graceS?: number;
}

export interface Daemon {
  name: string;
  /** PID of the daemon itself (the watchdog's background job). */
  pid: number;
  /** PID of the watchdog, which is also the process group id of everything below it. */
  pgid: number;
  log: string;
  /** True while the daemon's PID is a live process (not gone, not a zombie). */
  alive(): boolean;
  /** TERM, wait up to the grace, KILL the group; resolves when the watchdog is gone. Idempotent. */
  stop(): Promise<void>;
}

/** Whether a PID is a running process; a zombie (exited, not yet reaped) counts as dead. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The PIDs below `pid` (children, grandchildren, ...), read from /proc. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return;
    }
    for (const c of tasks.map(Number)) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const grace = String(Math.round((o.graceS ?? 15) * 10));
  const wd = spawn('/bin/sh', ['-c', WATCHDOG, `watchdog:${o.name}`, o.log, grace, o.command, ...o.args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'ignore'],
    env: o.env ?? process.env,
    cwd: o.cwd,
  });
  let exited = false;
  const exitedP = new Promise<void>((resolve) => wd.once('exit', () => ((exited = true), resolve())));
  return new Promise<Daemon>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (!buf.includes('\n')) return;
      wd.stdout!.off('data', onData);
      const pid = Number(buf.trim().split('\n')[0]);
      // The bed must not keep the test process alive; the pipe does the clean-up if it dies.
      wd.unref();
      (wd.stdin as Socket).unref();
      (wd.stdout as Socket).unref();
      let stopping: Promise<void> | undefined;
      resolve({
        name: o.name,
        pid,
        pgid: wd.pid!,
        log: o.log,
        alive: () => isRunning(pid),
        stop() {
          stopping ??= (async () => {
            if (exited) return;
            wd.ref();
            wd.stdin!.end();
            // The watchdog kills its group after the grace; this is the backstop if it is stuck.
            const backstop = setTimeout(() => {
              try {
                process.kill(-wd.pid!, 'SIGKILL');
              } catch {
                /* already gone */
              }
            }, (Number(grace) / 10 + 10) * 1000);
            await exitedP;
            clearTimeout(backstop);
          })();
          return stopping;
        },
      });
    };
    wd.stdout!.on('data', onData);
    wd.once('error', reject);
    wd.once('exit', (code) => {
      if (!buf.includes('\n')) reject(new Error(`${o.name}: watchdog exited (${code}) before starting ${o.command}`));
    });
  });
}

/**
 * The one-shot watchdog: runs the command with its stdout/stderr on the watchdog's, waits for it,
 * prints a marker line with its exit status, then KILLs its own group. A reader in the
 * background holds the pipe from this process: when it closes early (timeout, this process
 * dies), the command gets TERM, then the group KILL 5 s later. A background job's stdin is
 * /dev/null in a shell without job control, hence the copy on fd 3.
 */
const ONE_SHOT = [
  'marker=$1; shift',
  'exec 3<&0',
  '"$@" </dev/null &',
  'pid=$!',
  '( read -r _ <&3 || true; kill -TERM "$pid" 2>/dev/null; sleep 5; kill -KILL "-$$" ) &',
  'wait "$pid"',
  'rc=$?',
  'printf \'\\n%s %s\\n\' "$marker" "$rc"',
  'kill -KILL "-$$" 2>/dev/null',
].join('\n');

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion under a watchdog: killed (by its process group) on timeout and
 * when this process dies. Rejects with the tail of its output when it fails.
 */
export function runSupervised(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  const marker = `__trio2o_exit_${process.pid}_${Date.now()}`;
  const wd = spawn('/bin/sh', ['-c', ONE_SHOT, `run:${cmd}`, marker, cmd, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  let out = '';
  let err = '';
  wd.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  wd.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const timeoutMs = opts.timeoutMs ?? 300_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    wd.stdin!.end();
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    wd.once('error', (e) => (clearTimeout(timer), reject(e)));
    wd.once('close', () => {
      clearTimeout(timer);
      const at = out.lastIndexOf(`\n${marker} `);
      const rc = at >= 0 ? Number(out.slice(at + marker.length + 2).trim()) : NaN;
      const stdout = at >= 0 ? out.slice(0, at) : out;
      if (rc === 0) return resolve({ stdout, stderr: err });
      const why = timedOut ? `timed out after ${timeoutMs} ms` : Number.isNaN(rc) ? 'was killed' : `exited with ${rc}`;
      reject(new Error(`${cmd} ${args.join(' ')} ${why}\n${err.slice(-3000)}${stdout.slice(-1000)}`));
    });
  });
}
