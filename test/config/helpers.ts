// Temporary config files for the loader tests, removed when the process exits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'trio2o-config-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Write `lines` to a fresh .conf file and return its path. */
export function confFile(...lines: string[]): string {
  const path = join(dir, `t${++n}.conf`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The temporary directory itself (a path that exists but is not a file). */
export const TMP_DIR = dir;

/** Env with the one setting a default config needs (Keystone is the default auth strategy). */
export const KEYSTONE_ENV = { TRIO2O_KEYSTONE_AUTH_URL: 'http://keystone.test:5000/v3' };

/** The error `fn` throws (node:assert's `throws` returns nothing in Node 20). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new assert.AssertionError({ message: 'expected the call to throw' });
}
