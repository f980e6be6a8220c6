// Test helper (not a test): runs `trio2o serve` as its own process (tsx, or the built binary),
// collects every stdout/stderr line, and fakes `systemd-notify` through PATH so readiness
// notifications can be asserted without systemd.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface ServeProcess {
  child: ChildProcess;
  /** Every line written to stdout (JSON logs) and stderr. */
  out: string[];
  urls: { admin: string; compute: string; volume: string };
  /** Lines the fake systemd-notify received, one call per entry. */
  notified(): string[];
  /** Resolves with the first log event named `event` (after `from` lines). */
  waitFor(event: string, from?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Creates `dir/bin/systemd-notify`, which appends its arguments to `dir/notify.log`. */
function fakeNotify(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'systemd-notify');
  writeFileSync(script, `#!/bin/sh\necho "$*" >> ${JSON.stringify(join(dir, 'notify.log'))}\n`);
  chmodSync(script, 0o755);
  return bin;
}

export async function startServe(opts: { dir: string; args: string[]; env?: Record<string, string>; command?: string[] }): Promise<ServeProcess> {
  const bin = fakeNotify(opts.dir);
  // tsx by absolute URL: the child's cwd is a temp dir with no node_modules.
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const cmd = opts.command ?? [process.execPath, '--import', tsx, join(ROOT, 'src/main.ts')];
  const child = spawn(cmd[0]!, [...cmd.slice(1), 'serve', ...opts.args], {
    cwd: opts.dir,
    env: { HOME: opts.dir, RUST_LOG: 'off', NOTIFY_SOCKET: join(opts.dir, 'notify.sock'), ...opts.env, PATH: [bin, opts.env?.PATH ?? process.env.PATH].filter(Boolean).join(':') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const waiters: { event: string; from: number; resolve: (o: Record<string, unknown>) => void }[] = [];
  const parse = (l: string) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const feed = (chunk: Buffer, buf: { s: string }) => {
    buf.s += chunk.toString('utf8');
    let i;
    while ((i = buf.s.indexOf('\n')) >= 0) {
      const line = buf.s.slice(0, i);
      buf.s = buf.s.slice(i + 1);
      out.push(line);
      const o = parse(line);
      for (const w of [...waiters]) {
        if (o?.event === w.event && out.length > w.from) (waiters.splice(waiters.indexOf(w), 1), w.resolve(o));
      }
    }
  };
  const so = { s: '' };
  const se = { s: '' };
  child.stdout!.on('data', (c: Buffer) => feed(c, so));
  child.stderr!.on('data', (c: Buffer) => feed(c, se));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const waitFor = (event: string, from = 0) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = out.slice(from).map(parse).find((o) => o?.event === event);
      if (found) return resolve(found);
      waiters.push({ event, from, resolve });
      void exited.then(() => reject(new Error(`process exited before "${event}":\n${out.join('\n')}`)));
    });
  const listening = await waitFor('listening');
  return {
    child,
    out,
    urls: { admin: String(listening.admin), compute: String(listening.compute), volume: String(listening.volume) },
    notified: () => (existsSync(join(opts.dir, 'notify.log')) ? readFileSync(join(opts.dir, 'notify.log'), 'utf8').trim().split('\n') : []),
    waitFor,
    exited,
  };
}

/** Polls until `fn` is true. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
