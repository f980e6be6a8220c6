/**
 * `npm run test:realpods [-- filters...]`: the real-pods scenarios against ONE bed.
 * Starts the bed (test/realpods/bed: Keystone, two real pods, the gateway) — or attaches to a
 * running one given TRIO2O_REALPODS_BED=<bed.json> (test/realpods/bed/cli.ts) — then loads every
 * test/realpods/scenarios/*.test.ts whose name contains one of the filters (all without
 * filters) into this process, so they share the bed; the bed stops after the last test. A
 * single test: add `--test-name-pattern=<regex>` before the script (see README "Real pods").
 */
import { after } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { acquireBed, releaseBed } from './scenarios/support';

const dir = new URL('./scenarios/', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  process.stderr.write(`no scenario matches ${filters.join(' ')} in ${dir}\n`);
  process.exit(1);
}
process.stderr.write(`[realpods] scenarios: ${files.join(' ')}\n`);
const started = Date.now();
// Held for the whole run, so the bed is not stopped between two files.
const bed = acquireBed();
bed.then(
  (b) => process.stderr.write(`[realpods] bed up in ${((Date.now() - started) / 1000).toFixed(1)} s (${JSON.stringify(b.timings)})\n`),
  () => {},
);
after(async () => {
  const t = Date.now();
  await releaseBed();
  process.stderr.write(`[realpods] whole run ${((Date.now() - started) / 1000).toFixed(1)} s (bed stop ${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
});
for (const f of files) await import(join(dir, f));
