// Runs every *.test.ts under test/ and under packages/*/test/ with node:test, TypeScript loaded
// through tsx, in one node --test process. Node 20's --test takes no globs, so the file list is
// built here.
// Usage: node test/run.mjs [substring filters...]
// A filter matches the file's path relative to the repository root (test/compute/...,
// packages/podsim/test/...), so the folder the repository is checked out in never matches.
// test/realpods/scenarios/ is left out: those tests need real OpenStack pods and run with
// `npm run test:realpods` (test/realpods/run.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const files = [];
const SLOW = join(root, 'test', 'realpods', 'scenarios');
function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (p === SLOW) continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
walk(join(root, 'test'));
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg, 'test');
  if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir);
}
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)));
if (chosen.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
console.log(`running ${chosen.length} test files: ${chosen.map((f) => relative(root, f)).join(' ')}`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...chosen],
  { stdio: 'inherit', env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'off' } },
);
process.exit(r.status ?? 1);
