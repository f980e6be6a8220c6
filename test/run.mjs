// Runs every *.test.ts under test/ with node:test, TypeScript loaded through tsx.
// Node 20's --test takes no globs, so the file list is built here.
// Usage: node test/run.mjs [substring filters...]
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
})(root);
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
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
