/**
 * Runs `tempest run` in a workspace and reads its subunit-trace output into per-test results.
 * Tempest is started in its own process group so a timeout can stop it and its stestr workers
 * together, by that group's id.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface TestResult {
  /** Test id without Tempest's `[id-...,smoke]` tags; `setUpClass (x.Y)` for class fixtures. */
  id: string;
  outcome: Outcome;
  /** Skip reason, when skipped. */
  reason?: string;
}

export interface TempestRun {
  results: Map<string, TestResult>;
  ran: number;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** Exit code of `tempest run` (non-zero when anything failed), or null when it was killed. */
  exitCode: number | null;
  /** Full console output of the run. */
  logFile: string;
}

export interface RunTempestOptions {
  workspace: string;
  regex: string;
  /** Tests to leave out (stestr --exclude-regex). */
  excludeRegex?: string;
  /** 1 = --serial. @default 2 */
  concurrency?: number;
  /** The run is killed after this long. */
  timeoutMs: number;
  /** Called with a one-line progress message now and then. */
  progress?: (line: string) => void;
}

/** subunit-trace: `{0} tempest.api.x.Y.test_z[id-...] [0.1s] ... ok` (worker prefix optional). */
const RESULT_LINE = /^(?:\{\d+\} )?(.+?)(?: \[[\d.]+s\])? \.\.\. (ok|FAILED|SKIPPED(?:: (.*))?)$/;
const PROGRESS_EVERY = 25;

/** Parse one subunit-trace line; undefined when it is not a result line. */
export function parseResultLine(line: string): TestResult | undefined {
  const m = RESULT_LINE.exec(line.trimEnd());
  if (!m) return undefined;
  const id = m[1]!.replace(/\[[^\]]*\]$/, '');
  if (m[2] === 'ok') return { id, outcome: 'passed' };
  if (m[2] === 'FAILED') return { id, outcome: 'failed' };
  return { id, outcome: 'skipped', reason: m[3] };
}

/**
 * Run Tempest and collect the results.
 * @example const run = await runTempest({ workspace, regex: '^tempest\\.api\\.compute', timeoutMs: 600_000 });
 */
export function runTempest(o: RunTempestOptions): Promise<TempestRun> {
  const args = ['run', '--regex', o.regex];
  if (o.excludeRegex) args.push('--exclude-regex', o.excludeRegex);
  if ((o.concurrency ?? 2) <= 1) args.push('--serial');
  else args.push('--concurrency', String(o.concurrency ?? 2));
  const logFile = join(o.workspace, 'run.out');
  const log = createWriteStream(logFile);
  const started = Date.now();
  const results = new Map<string, TestResult>();
  const child = spawn('tempest', args, { cwd: o.workspace, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => {
    o.progress?.(`tempest timed out after ${o.timeoutMs / 1000} s; stopping it`);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, o.timeoutMs);
  let buf = '';
  const onData = (d: Buffer) => {
    log.write(d);
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const r = parseResultLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (!r) continue;
      results.set(r.id, r);
      if (results.size % PROGRESS_EVERY === 0) o.progress?.(`${results.size} tests done (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (d: Buffer) => log.write(d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      log.end();
      const all = [...results.values()];
      const count = (k: Outcome) => all.filter((r) => r.outcome === k).length;
      resolve({
        results,
        ran: all.length,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        seconds: Math.round((Date.now() - started) / 1000),
        exitCode: code,
        logFile,
      });
    });
  });
}
