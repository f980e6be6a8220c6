// Runs Keystone's public WSGI app under uwsgi on 127.0.0.1 for tests, and makes sure it dies.
// uwsgi is started by a tiny sh watchdog whose stdin is a pipe from this process: when the test
// process ends for any reason (even SIGKILL) the pipe closes, `read` returns and the watchdog
// kills uwsgi by PID. --http11-socket keeps client keep-alive working (plain --http-socket resets
// reused connections); --no-orphans makes the workers follow a master that was killed hard.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { KeystoneBinaries } from './keystone-state';
import { alive } from './pids';

/** Keystone is serving ~2 s after spawn on an idle machine, 10-20 s on an overloaded one. */
const READY_TIMEOUT_MS = 90_000;
const READY_POLL_MS = 100;
/** uwsgi master exits within ~1 s of TERM; after this we SIGKILL it. */
const STOP_TIMEOUT_MS = 10_000;

const BROKEN_APP = /no app loaded|unable to load app|(died :\([\s\S]*){4}/;

/**
 * Threads per worker. uwsgi's HTTP/1.1 mode holds a thread for each kept-alive connection
 * until it has been idle for --socket-timeout (4 s), so a handful of idle client connections
 * (test harness, proxies, the client under test) would otherwise queue new ones for seconds.
 */
const THREADS = 8;

const WATCHDOG = 'uwsgi "$@" & ks=$!; echo "$ks"; read -r _; kill -TERM "$ks" 2>/dev/null; wait "$ks"';

/** Asks the OS for a free TCP port on 127.0.0.1 (the listener is closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Status of GET url, or 0 if it cannot connect; no keep-alive so nothing lingers. */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export interface RunningServer {
  url: string;
  port: number;
  /** PID of the uwsgi master. */
  pid: number;
  stop(): Promise<void>;
}

/** PIDs of a process's children (the uwsgi workers), read from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((t) => readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '')));
  return lists.join(' ').split(/\s+/).filter(Boolean).map(Number);
}

async function tail(file: string): Promise<string> {
  return readFile(file, 'utf8').then((s) => s.slice(-3000), () => '(no log)');
}

/** Starts uwsgi for the state folder `dir` on `port` and waits (bounded) until /v3 answers 200. */
export async function serveKeystone(dir: string, port: number, bins: KeystoneBinaries): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  const out = join(dir, 'server.out');
  const args = [
    '--plugins', 'python3', '--http11-socket', `127.0.0.1:${port}`, '--wsgi-file', bins.wsgiPublic,
    '--env', `OS_KEYSTONE_CONFIG_FILES=${join(dir, 'keystone.conf')}`,
    '--master', '--processes', '2', '--threads', String(THREADS), '--lazy-apps', '--die-on-term', '--no-orphans',
    // A worker stuck in start-up otherwise holds the master's shutdown for 60 s.
    '--worker-reload-mercy', '5',
    '--buffer-size', '65535', '--logto', out,
  ];
  const watchdog: ChildProcess = spawn('/bin/sh', ['-c', WATCHDOG, 'keystone-watchdog', ...args], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, PATH: `${join(bins.uwsgi, '..')}:${process.env.PATH ?? ''}` },
  });
  let exited = false;
  const exitedP = new Promise<void>((resolve) => watchdog.once('exit', () => ((exited = true), resolve())));
  const pid = await new Promise<number>((resolve, reject) => {
    let buf = '';
    watchdog.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(Number(buf.trim()));
    });
    watchdog.once('exit', () => reject(new Error('uwsgi watchdog exited before starting uwsgi')));
  });
  // Last resort if the caller never calls stop(): the pipe closing also does it, a bit later.
  const onExit = () => alive(pid) && process.kill(pid, 'SIGKILL');
  process.once('exit', onExit);

  // A forgotten stop() must not keep the test process alive; the pipe watchdog covers it.
  watchdog.unref();
  (watchdog.stdin as Socket).unref();
  (watchdog.stdout as Socket).unref();

  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    watchdog.ref();
    const workers = await childrenOf(pid);
    if (alive(pid)) process.kill(pid, 'SIGTERM');
    watchdog.stdin?.end();
    const timer = setTimeout(() => {
      for (const p of [pid, ...workers]) if (alive(p)) process.kill(p, 'SIGKILL');
      if (!exited) watchdog.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exitedP;
    clearTimeout(timer);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let poll = 1; ; poll++) {
    if (exited || !alive(pid)) {
      await stop();
      throw new Error(`uwsgi for Keystone exited during start-up on port ${port}:\n${await tail(out)}`);
    }
    const status = await probe(`${url}/v3`);
    if (status === 200) break;
    // uwsgi keeps serving 500 when the app fails to load, and respawns crashing workers forever.
    if (poll % 10 === 0 && BROKEN_APP.test(await tail(out))) {
      await stop();
      throw new Error(`Keystone failed to load under uwsgi on port ${port}:\n${await tail(out)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Keystone on ${url} not ready after ${READY_TIMEOUT_MS} ms (last status ${status}):\n${await tail(out)}`);
    }
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  return { url, port, pid, stop };
}
