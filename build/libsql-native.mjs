// esbuild plugin: bundle libsql's JS but replace how it finds its native addon.
// libsql's `requireNative()` ends in require(`@libsql/${target}`), a template no bundler can
// follow. We rewrite the function body to call src/ops/native-libsql.ts, which loads the addon
// from the single executable's assets (or the platform package outside a SEA). The plugin fails
// the build if the pattern disappears in a future libsql, rather than shipping a broken binary.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const LOADER = fileURLToPath(new URL('../src/ops/native-libsql.ts', import.meta.url));
const NATIVE_FN = /function requireNative\(\) \{[\s\S]*?\n\}\n/;
const SPECIFIER = '#libsql-native';

/** @returns {import('esbuild').Plugin} */
export function libsqlNative() {
  return {
    name: 'libsql-native',
    setup(b) {
      b.onResolve({ filter: /^#libsql-native$/ }, () => ({ path: LOADER }));
      b.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/](index|promise)\.js$/ }, async (args) => {
        const src = await readFile(args.path, 'utf8');
        if (!NATIVE_FN.test(src)) {
          throw new Error(`libsql-native: no requireNative() in ${args.path}; libsql changed, update build/libsql-native.mjs`);
        }
        const contents = src.replace(NATIVE_FN, `function requireNative() {\n  return require(${JSON.stringify(SPECIFIER)}).loadLibsqlNative();\n}\n`);
        return { contents, loader: 'js' };
      });
    },
  };
}
