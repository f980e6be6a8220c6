// The fingerprint of everything that goes into dist/trio2o (sources, build scripts, lockfile,
// the node binary). The build writes it to dist/trio2o.stamp; the single-file test rebuilds
// when the stamp differs, so it never tests a stale binary.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Hex SHA-256 over the build inputs' paths and contents. */
export function inputsFingerprint(root = ROOT) {
  const h = createHash('sha256');
  const files = [...walk(join(root, 'src'), []), ...walk(join(root, 'build'), []), join(root, 'package.json'), join(root, 'package-lock.json'), join(root, 'systemd/trio2o.service')];
  for (const f of files) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  const node = statSync(process.execPath);
  h.update(`${process.execPath}:${process.version}:${node.size}:${node.mtimeMs}`);
  return h.digest('hex');
}
