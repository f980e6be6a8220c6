// Test helper (not a test): makes sure dist/trio2o is built from the current sources. The build
// writes a fingerprint of its inputs to dist/trio2o.stamp; when it differs, `npm run build` runs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './process';

export const BINARY = join(ROOT, 'dist/trio2o');

export function ensureBuilt(): string {
  const want = execFileSync(process.execPath, ['--input-type=module', '-e', "import { inputsFingerprint } from './build/inputs.mjs'; console.log(inputsFingerprint())"], { cwd: ROOT, encoding: 'utf8' }).trim();
  const stamp = join(ROOT, 'dist/trio2o.stamp');
  if (!existsSync(BINARY) || !existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== want) {
    execFileSync(process.execPath, [join(ROOT, 'build/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  }
  return BINARY;
}

/** True when this process may create mount namespaces (root with unshare available). */
export function canUnshare(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('unshare', ['--mount', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
