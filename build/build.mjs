// Builds dist/trio2o, ONE executable file (a Node single executable application,
// https://nodejs.org/api/single-executable-applications.html): esbuild CJS bundle of src/main.ts → SEA blob whose
// main is a small loader (build/sea-loader.mjs), with the bundle, its V8 code caches and the libsql addon as assets
// → injected with postject into a (stripped) copy of this node binary.
//
//   node build/build.mjs            dist/trio2o (single executable) + dist/trio2o.cjs
//   node build/build.mjs --bundle   only dist/trio2o.cjs, the plain bundle (`node dist/trio2o.cjs`
//                                   runs it next to node_modules; a fallback and for debugging)
// Env: TRIO2O_STRIP=0 keeps node's symbols (bigger file, same behaviour).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inputsFingerprint, ROOT } from './inputs.mjs';
import { libsqlNative } from './libsql-native.mjs';
import { makeCodeCaches, writeLoader, writeWrappedSource } from './sea-loader.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'trio2o.cjs');
const EXE = join(DIST, 'trio2o');
/** The sentinel Node looks for to know a blob was injected (Node SEA docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ADDON_PKG = '@libsql/linux-x64-gnu';
const LIBSQL_PLATFORM_PACKAGES = ['linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'linux-arm64-musl', 'darwin-x64', 'darwin-arm64'].map((t) => `@libsql/${t}`);

const UNIT_V8_FLAGS = (/^Environment=NODE_OPTIONS=(.*)$/m.exec(readFileSync(join(ROOT, 'systemd/trio2o.service'), 'utf8'))?.[1] ?? '').split(/\s+/).filter(Boolean);
const started = Date.now();
const step = (what, t0) => console.log(`  ${what} ${Date.now() - t0} ms`);
const bundleOnly = process.argv.includes('--bundle');
const fingerprint = inputsFingerprint();

mkdirSync(DIST, { recursive: true });
// dist/ holds CommonJS: keep package.json's "type": "module" from applying to it.
writeFileSync(join(DIST, 'package.json'), '{ "type": "commonjs" }\n');

const addonPath = require.resolve(`${ADDON_PKG}/index.node`);
const addon = readFileSync(addonPath);
const addonSha = createHash('sha256').update(addon).digest('hex');

let t0 = Date.now();
await build({
  entryPoints: [join(ROOT, 'src/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs', // Node 20 SEA runs CommonJS only
  outfile: BUNDLE,
  define: {
    __TRIO2O_VERSION__: JSON.stringify(pkg.version),
    __LIBSQL_SHA256__: JSON.stringify(addonSha),
    // Compile out ws's optional native helpers (a SEA can only require built-ins).
    'process.env.WS_NO_BUFFER_UTIL': '"1"',
    'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
  },
  plugins: [libsqlNative()],
  // Reached only by the plain bundle, outside a SEA (see src/ops/native-libsql.ts).
  external: LIBSQL_PLATFORM_PACKAGES,
  logLevel: 'warning',
});
step('esbuild', t0);

if (!bundleOnly) {
  t0 = Date.now();
  const blob = join(DIST, 'trio2o.blob');
  const seaConfig = join(DIST, 'sea-config.json');
  const loader = join(DIST, 'sea-main.cjs');
  // One code cache for a plain start and one for the unit's NODE_OPTIONS (see sea-loader.mjs).
  const wrapped = join(DIST, 'sea-bundle.cjs');
  writeWrappedSource(BUNDLE, wrapped);
  const caches = makeCodeCaches(wrapped, ['', UNIT_V8_FLAGS.join(' ')], join(DIST, 'code-cache-'));
  writeLoader(loader, caches.index);
  writeFileSync(
    seaConfig,
    JSON.stringify({ main: loader, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, assets: { 'libsql.node': addonPath, 'trio2o.cjs': wrapped, ...caches.assets } }, null, 2),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'pipe', env: { ...process.env, NODE_OPTIONS: '' } });
  step('sea blob', t0);

  t0 = Date.now();
  const tmp = `${EXE}.tmp`;
  rmSync(tmp, { force: true });
  copyFileSync(process.execPath, tmp);
  chmodSync(tmp, 0o755);
  // Node ships unstripped (~12 MiB of symbols); a stripped copy runs the SEA the same.
  if (process.env.TRIO2O_STRIP !== '0' && spawnSync('strip', [tmp], { stdio: 'inherit' }).status !== 0) {
    console.log('  strip unavailable or failed; keeping symbols');
  }
  step('copy+strip node', t0);

  t0 = Date.now();
  const { inject } = require('postject');
  // postject prints harmless "Can't find string offset for section name '.note.100'" warnings
  // on some Node builds; keep every other line.
  const { log, warn } = console;
  const quiet = (out) => (...a) => (/string offset for section name/.test(String(a[0])) ? undefined : out(...a));
  console.log = quiet(log);
  console.warn = quiet(warn);
  try {
    await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    Object.assign(console, { log, warn });
  }
  renameSync(tmp, EXE);
  rmSync(blob, { force: true });
  for (const f of [wrapped, ...Object.values(caches.assets)]) rmSync(f, { force: true });
  writeFileSync(`${EXE}.stamp`, `${fingerprint}\n`);
  step('postject', t0);
  const size = statSync(EXE).size;
  console.log(`built dist/trio2o: ${(size / 2 ** 20).toFixed(1)} MiB in ${Date.now() - started} ms`);
} else {
  console.log(`built dist/trio2o.cjs in ${Date.now() - started} ms`);
}
