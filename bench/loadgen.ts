/**
 * The external pieces of the forwarding benchmark: Debian's `wrk` as the load generator (a C
 * program in its own process, so the load generator is never the system under test) and
 * Debian's `nginx-light` as the reference reverse proxy. Both are installed with apt when missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { track } from './processes';

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `apt-get update` then install `pkgs` when any of `cmds` is missing (the bench runs as root on CI machines). */
export function ensureTools(): void {
  const missing = [['wrk', 'wrk'], ['nginx', 'nginx-light']].filter(([cmd]) => !has(cmd!) && !existsSync(`/usr/sbin/${cmd}`));
  if (missing.length === 0) return;
  const pkgs = missing.map(([, pkg]) => pkg!);
  console.log(`installing ${pkgs.join(', ')} with apt-get`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args: string[]) => execFileSync(sudo[0] ?? args[0]!, sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs]);
}

export interface WrkResult {
  rps: number;
  /** Latency percentiles in ms (wrk's --latency distribution). */
  p50: number;
  p99: number;
  /** Non-2xx/3xx answers plus socket errors. */
  errors: number;
  requests: number;
}

/** wrk prints `1.23ms`, `850.00us`, `1.02s`. */
function toMs(s: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(s.trim());
  if (!m) throw new Error(`wrk latency not understood: ${s}`);
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

export function parseWrk(out: string): WrkResult {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out);
    if (!m) throw new Error(`wrk output without ${p}%: ${out}`);
    return toMs(m[1]!);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  const total = /^\s*(\d+) requests in/m.exec(out);
  if (!rps || !total) throw new Error(`wrk output not understood: ${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps: Number(rps[1]), p50: pct('50'), p99: pct('99'), errors: non2xx + socketErrors, requests: Number(total[1]) };
}

export interface WrkRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Paths picked at random per request (on the origin of `url`) instead of the url's own. */
  paths?: string[];
}

/**
 * One wrk run: `connections` keep-alive connections on one wrk thread for `seconds`. Method,
 * headers and body go through a generated Lua script (wrk's only way to send a body).
 */
export function wrk(dir: string, req: WrkRequest, connections: number, seconds: number): Promise<WrkResult> {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, `req-${Math.random().toString(36).slice(2)}.lua`);
  const lua = [
    `wrk.method = ${JSON.stringify(req.method ?? 'GET')}`,
    ...Object.entries(req.headers ?? {}).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    req.body === undefined ? '' : `wrk.body = ${JSON.stringify(req.body)}`,
    ...(req.paths ? [`local paths = { ${req.paths.map((p) => JSON.stringify(p)).join(', ')} }`, 'request = function() return wrk.format(nil, paths[math.random(#paths)]) end'] : []),
  ].join('\n');
  writeFileSync(script, lua);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, req.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      try {
        resolve(parseWrk(out));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/**
 * nginx in front of `upstream` (host:port): `proxy_pass` to an upstream block with `keepalive`,
 * HTTP/1.1 to the upstream, `workers` worker processes, access log to a file (as in production).
 */
export async function startNginx(dir: string, port: number, upstream: string, workers: number): Promise<ChildProcess> {
  mkdirSync(join(dir, 'nginx'), { recursive: true });
  const root = join(dir, 'nginx');
  const conf = join(root, 'nginx.conf');
  writeFileSync(conf, `worker_processes ${workers};
daemon off;
pid ${root}/nginx.pid;
error_log ${root}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${root}/access.log;
  client_body_temp_path ${root}/client_body;
  proxy_temp_path ${root}/proxy;
  upstream pod {
    server ${upstream};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pod;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`);
  const bin = has('nginx') ? 'nginx' : '/usr/sbin/nginx';
  const child = track(spawn(bin, ['-c', conf, '-p', root, '-e', join(root, 'error.log')], { stdio: 'ignore' }));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}; see ${root}/error.log`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      await r.arrayBuffer();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill('SIGTERM');
  throw new Error('nginx did not start');
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const USER_HZ = Number((() => {
  try {
    return execFileSync('getconf', ['CLK_TCK']).toString().trim();
  } catch {
    return '100';
  }
})());

/** CPU time (user + system) used so far by `pid` and its child processes (nginx workers), in ms. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  const pids = [pid];
  try {
    pids.push(...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    // no children file: the process alone
  }
  for (const p of pids) {
    try {
      // Fields after the command name (which may hold spaces): state is 3rd, utime 14th, stime 15th.
      const rest = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ').pop()!.split(' ');
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / USER_HZ;
}
