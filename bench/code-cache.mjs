// What the code cache saves at each start, measured as CPU time (user + system) of
// `trio2o --version`, which loads the whole bundle (every module's top level) and exits: CPU time
// is far less sensitive than wall time to a machine shared with other work. Each binary runs
// with no NODE_OPTIONS (a plain start) and with the unit's, interleaved, ROUNDS times; the
// median is printed per binary and flag set, with whether V8 warned.
//   node bench/code-cache.mjs [binary ...]          (default dist/trio2o)
// Env: ROUNDS (30)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const UNIT = /^Environment=NODE_OPTIONS=(.*)$/m.exec(readFileSync(join(ROOT, 'systemd/trio2o.service'), 'utf8'))?.[1] ?? '';
const binaries = process.argv.slice(2).length ? process.argv.slice(2) : [join(ROOT, 'dist/trio2o')];
const variants = binaries.flatMap((bin) => [['plain', ''], ['unit', UNIT]].map(([name, flags]) => ({ bin, name, flags, cpu: [], warned: 0 })));

/** CPU milliseconds of one run, read by the shell's `times` after the child exits. */
function run(v) {
  // The binary's stderr goes to stdout (its stdout is dropped), then `times` prints the shell's
  // own and its children's user and system time, e.g. "0m0.123s 0m0.045s".
  const r = spawnSync('/bin/sh', ['-c', '"$0" --version 2>&1 >/dev/null; times', v.bin], { env: { PATH: '/usr/bin:/bin', NODE_OPTIONS: v.flags }, encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  const [user, sys] = lines.at(-1).split(/\s+/).map((t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return Number(m[1]) * 60 + Number(m[2]); });
  v.cpu.push((user + sys) * 1000);
  if (/Code cache data rejected/.test(lines.slice(0, -2).join('\n'))) v.warned++;
}

for (let i = 0; i < ROUNDS; i++) for (const v of variants) run(v);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${ROUNDS} rounds, unit NODE_OPTIONS='${UNIT}'`);
for (const v of variants) console.log(`${v.bin} ${v.name.padEnd(5)}: CPU median ${median(v.cpu).toFixed(0)} ms; "Code cache data rejected" in ${v.warned}/${ROUNDS}`);
