// The real-pods bed's process supervision, with `sleep` standing in for Nova: stop() ends the
// daemon and whatever it forked; a test process that dies without stop() takes its daemons
// with it; a daemon that ignores TERM is killed after its grace. (Fast: part of npm test.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, isRunning, runSupervised, startDaemon } from './bed/daemon';

async function gone(pids: number[], ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pids.every((p) => !isRunning(p))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids.every((p) => !isRunning(p));
}

test('stop() ends the daemon and the processes it forked; its output is in the log', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-daemon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'd.log');
  const d = await startDaemon({ name: 'forker', command: '/bin/sh', args: ['-c', 'echo hello; sleep 300 & sleep 300 & wait'], log });
  assert.ok(d.alive());
  let kids: number[] = [];
  for (let i = 0; i < 50 && kids.length < 2; i++) {
    kids = descendants(d.pid);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(kids.length, 2, 'two forked sleeps');
  await d.stop();
  assert.ok(await gone([d.pid, d.pgid, ...kids]), 'daemon, watchdog and children are gone');
  assert.match(readFileSync(log, 'utf8'), /hello/);
  await d.stop(); // twice is fine
});

test('a daemon that ignores TERM is killed after its grace', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-daemon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'd.log');
  const d = await startDaemon({ name: 'stubborn', command: '/bin/sh', args: ['-c', "trap '' TERM; echo trapped; while :; do sleep 0.1; done"], log, graceS: 1 });
  const said = () => {
    try {
      return readFileSync(log, 'utf8').includes('trapped');
    } catch {
      return false; // the shell has not opened the log yet
    }
  };
  for (let i = 0; i < 250 && !said(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(said(), 'the daemon set its trap');
  const started = Date.now();
  await d.stop();
  assert.ok(await gone([d.pid]), 'killed');
  const took = Date.now() - started;
  assert.ok(took >= 900 && took < 8_000, `KILLed after the 1 s grace (${took} ms)`);
});

test('a daemon that exits by itself is reported dead (a zombie is not alive)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-daemon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const d = await startDaemon({ name: 'short', command: '/bin/true', args: [], log: join(dir, 'd.log') });
  const end = Date.now() + 5_000;
  while (d.alive() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.equal(d.alive(), false);
  await d.stop();
});

test('when the process that started them dies (SIGKILL), its daemons die too', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-daemon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const module = new URL('./bed/daemon.ts', import.meta.url).pathname;
  const script = `import { startDaemon, descendants } from ${JSON.stringify(module)};
    const d = await startDaemon({ name: 'orphan', command: '/bin/sh', args: ['-c', 'sleep 300 & wait'], log: ${JSON.stringify(join(dir, 'o.log'))} });
    await new Promise((r) => setTimeout(r, 200));
    console.log(JSON.stringify({ pid: d.pid, pgid: d.pgid, kids: descendants(d.pid) }));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  const { pid, pgid, kids } = JSON.parse(line) as { pid: number; pgid: number; kids: number[] };
  assert.ok(isRunning(pid));
  child.kill('SIGKILL');
  assert.ok(await gone([pid, pgid, ...kids]), 'the watchdog noticed the closed pipe and stopped everything');
});

test('runSupervised: a one-shot command\'s output and exit status; a failure rejects with its stderr', async () => {
  const ok = await runSupervised('/bin/sh', ['-c', 'echo out; echo err >&2']);
  assert.equal(ok.stdout, 'out\n');
  assert.equal(ok.stderr, 'err\n');
  await assert.rejects(runSupervised('/bin/sh', ['-c', 'echo broken >&2; exit 3']), /exited with 3\nbroken/);
});

test('runSupervised: past its deadline the command is killed (by its group) and the call rejects', async () => {
  const started = Date.now();
  await assert.rejects(runSupervised('/bin/sh', ['-c', 'sleep 300 & wait'], { timeoutMs: 300 }), /timed out after 300 ms/);
  assert.ok(Date.now() - started < 8_000);
});

test('when the process that runs a one-shot command dies (SIGKILL), the command dies too', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-daemon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pidFile = join(dir, 'pid');
  const module = new URL('./bed/daemon.ts', import.meta.url).pathname;
  const script = `import { runSupervised } from ${JSON.stringify(module)};
    console.log('go'); await runSupervised('/bin/sh', ['-c', 'echo $$ > ${pidFile}; exec sleep 300']);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  let pid = 0;
  for (let i = 0; i < 250 && !pid; i++) {
    try {
      pid = Number(readFileSync(pidFile, 'utf8'));
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  assert.ok(pid > 0 && isRunning(pid), 'the command runs');
  child.kill('SIGKILL');
  assert.ok(await gone([pid]), 'the watchdog noticed the closed pipe and killed the command');
});
