/**
 * Loads libSQL's native addon for the bundled builds (esbuild output and the single executable).
 *
 * The esbuild plugin in build/libsql-native.mjs rewrites `requireNative()` in the `libsql`
 * package to call `loadLibsqlNative()` instead of requiring `@libsql/<target>`, so:
 * - inside the single executable (`dist/trio2o`), the addon travels as the SEA asset
 *   `libsql.node`; it is written once to a cache directory (`$CACHE_DIRECTORY` under systemd,
 *   else a per-uid folder in the temp dir), checked by SHA-256, and loaded with process.dlopen;
 * - in the plain bundle (`node dist/trio2o.cjs` next to node_modules), the platform package is
 *   required as libsql itself would.
 * Under tsx (tests, development) this module is never used: libsql loads its addon unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sea from 'node:sea';

/** SHA-256 (hex) of the embedded addon; injected by the build. */
declare const __LIBSQL_SHA256__: string;
/** Name of the SEA asset holding the addon. */
export const LIBSQL_ASSET = 'libsql.node';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Where the extracted addon lives; the directory must allow exec (not a noexec mount). */
export function nativeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return env.TRIO2O_NATIVE_DIR || env.CACHE_DIRECTORY?.split(':')[0] || join(tmpdir(), `trio2o-native-${uid}`);
}

/** Writes the asset to the cache (atomically, for concurrent starts) unless a verified copy is there. */
function extract(): string {
  const dir = nativeCacheDir();
  const file = join(dir, `libsql-${__LIBSQL_SHA256__.slice(0, 16)}.node`);
  if (existsSync(file) && sha256(readFileSync(file)) === __LIBSQL_SHA256__) return file;
  const data = new Uint8Array(sea.getRawAsset(LIBSQL_ASSET) as ArrayBuffer);
  if (sha256(data) !== __LIBSQL_SHA256__) throw new Error('embedded libsql addon is corrupt (checksum mismatch)');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o500 });
  renameSync(tmp, file);
  return file;
}

function platformPackage(): string {
  // The same names libsql uses; only glibc Linux is built and tested here.
  const abi = process.platform === 'linux' ? '-gnu' : '';
  return `@libsql/${process.platform}-${process.arch}${abi}`;
}

/** The addon's exports, as `require('@libsql/<target>')` would give them. */
export function loadLibsqlNative(): unknown {
  if (!sea.isSea()) return require(platformPackage());
  const file = extract();
  const mod = { exports: {} as unknown };
  try {
    process.dlopen(mod, file, constants.dlopen.RTLD_NOW);
  } catch (err) {
    throw new Error(`cannot load the libsql addon from ${file} (is the directory mounted noexec? set CACHE_DIRECTORY or TRIO2O_NATIVE_DIR)`, { cause: err });
  }
  return mod.exports;
}
