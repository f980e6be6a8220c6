// The single executable's own loader, and the V8 code caches it picks from.
//
// V8 accepts a code cache only under the V8 flags it was made with (the flag hash in its
// header). Node's SEA `useCodeCache` embeds ONE cache, so a binary built for the unit's
// NODE_OPTIONS (a heap cap) printed "Warning: Code cache data rejected" and started slower
// when run plainly, and the other way round. Here the SEA's main is this small loader: the
// bundle is an asset, compiled with `vm.Script` and the cache made under the same flags as the
// process (one cache per flag set in CODE_CACHE_FLAGS). A cache V8 still refuses costs the
// compile time only — vm.Script reports it in `cachedDataRejected` instead of warning — and
// the loader leaves the outcome in a global for the start-up log.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** What the bundle is wrapped in: Node's CommonJS wrapper. */
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n})';
/** The name stack traces show for the bundle's frames. */
const FILENAME = 'trio2o.cjs';
/** Where the loader leaves 'accepted' | 'rejected' | 'none' (src/ops/code-cache.ts reads it). */
const STATE_KEY = 'trio2o.codeCache';

/**
 * Writes the source the loader compiles: the bundle inside the wrapper, all ASCII. V8 keeps a
 * script's source in memory; one non-ASCII character (esbuild escapes them in code, not in
 * comments) would make it a two-byte string twice the size. Escaping is safe for that reason.
 */
export function writeWrappedSource(bundle, file) {
  const ascii = readFileSync(bundle, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(file, HEAD + ascii + TAIL);
}

/** NODE_OPTIONS as the loader compares it: words separated by one space. */
const normalize = (flags) => flags.trim().split(/\s+/).filter(Boolean).join(' ');

/** The loader: the SEA's main script (it may require built-in modules only). */
export function loaderSource(index) {
  return `'use strict';
const sea = require('node:sea');
const vm = require('node:vm');
const index = ${JSON.stringify(index)};
const flags = (process.env.NODE_OPTIONS || '').trim().split(/\\s+/).filter(Boolean).join(' ');
const asset = index[flags] ?? index[''];
const cachedData = asset ? new Uint8Array(sea.getRawAsset(asset)) : undefined;
// latin1 from a Buffer over the asset (no copy) makes a one-byte string: the source is ASCII.
const script = new vm.Script(Buffer.from(sea.getRawAsset('${FILENAME}')).toString('latin1'), { filename: '${FILENAME}', cachedData });
globalThis[Symbol.for('${STATE_KEY}')] = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;
}

/**
 * Makes one code cache of `bundle` (written by writeWrappedSource) per flag set, each in a node
 * process started with those flags.
 * @returns { assets: {name: file}, index: {flags: name} }
 */
export function makeCodeCaches(bundle, flagSets, outPrefix) {
  const assets = {};
  const index = {};
  // The cache is made after the bundle ran `trio2o --version`: by then every module's top level
  // has run, and V8 includes the functions compiled on the way, which a start then skips.
  const maker = `const vm = require('node:vm'); const fs = require('node:fs');
const [bundle, out] = process.argv.slice(1);
const s = new vm.Script(fs.readFileSync(bundle, 'latin1'), { filename: '${FILENAME}' });
process.argv = [process.argv[0], 'trio2o', '--version'];
s.runInThisContext()(exports, require, module, __filename, __dirname);
setImmediate(() => fs.writeFileSync(out, s.createCachedData()));`;
  flagSets.map(normalize).forEach((flags, i) => {
    if (flags in index) return;
    const name = `code-cache-${i}`;
    const file = `${outPrefix}${i}.bin`;
    execFileSync(process.execPath, [...(flags ? flags.split(' ') : []), '-e', maker, bundle, file], { stdio: 'pipe', env: { ...process.env, NODE_OPTIONS: '' } });
    assets[name] = file;
    index[flags] = name;
  });
  return { assets, index };
}

export function writeLoader(file, index) {
  writeFileSync(file, loaderSource(index));
}
