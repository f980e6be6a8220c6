// Builds dist/trio2o: one esbuild CJS bundle of src/main.ts with a node shebang.
// (The single-executable packaging of the ops issue builds on this bundle.)
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
mkdirSync('dist', { recursive: true });
// dist/ holds CommonJS: keep package.json's "type": "module" from applying to it.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
const started = Date.now();
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/trio2o',
  banner: { js: '#!/usr/bin/env node' },
  define: {
    __TRIO2O_VERSION__: JSON.stringify(pkg.version),
    'process.env.WS_NO_BUFFER_UTIL': '"1"',
    'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
  },
  // The libSQL native addon is loaded by name at run time; it cannot be bundled.
  external: ['@libsql/linux-x64-gnu', '@libsql/linux-x64-musl', '@libsql/linux-arm64-gnu', '@libsql/linux-arm64-musl', '@libsql/darwin-x64', '@libsql/darwin-arm64'],
  logLevel: 'warning',
});
chmodSync('dist/trio2o', 0o755);
console.log(`built dist/trio2o in ${Date.now() - started} ms`);
