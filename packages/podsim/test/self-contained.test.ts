// The simulator stands on its own: no source file under src/ may reach outside this package
// (the gateway's src/, the repository's test/ ...) or use a package it does not list as a
// dependency. Node built-ins are allowed with the `node:` prefix.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PKG_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SRC_DIR = join(PKG_DIR, 'src');
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as PackageJson;

/** A module specifier found in a source text; `null` for an import() whose argument is not a literal. */
interface Found {
  spec: string | null;
  line: number;
}

const PATTERNS: RegExp[] = [
  // import x from '…', import { a, type B } from '…', import * as n from '…', import type …,
  // export { a } from '…', export * from '…', export * as n from '…', export type { T } from '…'
  /\b(?:import|export)\s+(?:type\s+)?[\w$*\s{},]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  // import '…' (side effects only)
  /\bimport\s*(['"])([^'"\n]+)\1/g,
  // import('…'), require('…'), import x = require('…')
  /\b(?:import|require)\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g,
];
/** import( / require( followed by something other than a string literal. */
const NON_LITERAL = /\b(?:import|require)\s*\(\s*(?!['"`])(?=\S)/g;

/**
 * Every module specifier in a source text. Comments are scanned too (an import written in a
 * comment is reported as well), so no real import can hide behind a comment-stripping mistake.
 */
function specifiers(text: string): Found[] {
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const out: Found[] = [];
  for (const re of PATTERNS) {
    for (const m of text.matchAll(re)) out.push({ spec: m[2]!, line: lineOf(m.index!) });
  }
  for (const m of text.matchAll(NON_LITERAL)) {
    // `import(` preceded by `.` is a method call (e.g. x.import()), not the keyword.
    if (m.index! > 0 && text[m.index! - 1] === '.') continue;
    out.push({ spec: null, line: lineOf(m.index!) });
  }
  return out;
}

/** Package name of a bare specifier: '@scope/name/sub' -> '@scope/name', 'name/sub' -> 'name'. */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Why `spec`, imported by `file`, is not allowed; undefined when it is. */
function problem(file: string, spec: string | null, pkgDir: string, manifest: PackageJson): string | undefined {
  if (spec === null) return 'import()/require() of a computed specifier cannot be checked';
  if (spec.startsWith('node:')) return undefined;
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) {
    const target = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(dirname(file), spec);
    if (target === pkgDir || target.startsWith(pkgDir + sep)) return undefined;
    return `'${spec}' resolves outside the package (to ${target})`;
  }
  const name = packageName(spec);
  if (name === manifest.name) return undefined; // the package importing itself by name
  const listed = { ...manifest.optionalDependencies, ...manifest.peerDependencies, ...manifest.dependencies };
  if (name in listed) return undefined;
  return `'${spec}' is not a dependency in ${manifest.name}'s package.json (node built-ins need the node: prefix)`;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

test('the scanner sees every form of import and export', () => {
  const text = [
    "import a from './a';",
    "import { b, type C } from '../b';",
    'import {',
    '  d,',
    '  e,',
    "} from '../../../src/d';",
    "import * as f from 'f-lib';",
    "import type { G } from '@scope/g/sub';",
    "import 'side-effect';",
    "export { h } from './h';",
    "export * from './i';",
    "export * as j from './j';",
    "export type { K } from './k';",
    "const l = await import('./l');",
    'const m = await import(`./m`);',
    "const n = require('n');",
    'const o = await import(name);',
    "// import p from '../../p';",
  ].join('\n');
  const specs = specifiers(text).map((f) => f.spec);
  for (const s of ['./a', '../b', '../../../src/d', 'f-lib', '@scope/g/sub', 'side-effect', './h', './i', './j', './k', './l', './m', 'n', '../../p']) {
    assert.ok(specs.includes(s), `scanner missed ${s}`);
  }
  assert.ok(specs.includes(null), 'scanner missed import(name)');
  const lines = specifiers(text).filter((f) => f.spec === '../../../src/d').map((f) => f.line);
  assert.deepEqual(lines, [3]);
});

test('the checker refuses what leaves the package and accepts what stays in it', () => {
  const dir = join(SRC_DIR, 'compute');
  const file = join(dir, 'x.ts');
  const manifest: PackageJson = { name: '@trio2o/podsim', dependencies: { hono: '^4' } };
  for (const ok of ['./y', '../pod', '../../package.json', 'node:crypto', 'hono', 'hono/http-exception', '@trio2o/podsim/image']) {
    assert.equal(problem(file, ok, PKG_DIR, manifest), undefined, ok);
  }
  for (const bad of ['../../../../src/main', '../../../../test/support/cloud', '../../../other/x', 'valibot', 'fs', '@hono/node-server', null]) {
    assert.ok(problem(file, bad, PKG_DIR, manifest), `accepted ${String(bad)}`);
  }
  // A sibling folder whose name starts with the package's must not count as inside it.
  assert.ok(problem(file, '../../../podsim-other/x', PKG_DIR, manifest));
});

test('no file under packages/podsim/src imports outside the package or an unlisted package', () => {
  const files = sourceFiles(SRC_DIR);
  assert.ok(files.length > 10, `only ${files.length} source files found under ${SRC_DIR}`);
  const bad: string[] = [];
  let seen = 0;
  for (const file of files) {
    for (const { spec, line } of specifiers(readFileSync(file, 'utf8'))) {
      seen++;
      const why = problem(file, spec, PKG_DIR, pkg);
      if (why) bad.push(`${relative(PKG_DIR, file)}:${line}: ${why}`);
    }
  }
  assert.ok(seen > files.length, `only ${seen} specifiers found in ${files.length} files: the scanner is broken`);
  assert.deepEqual(bad, [], `imports that leave @trio2o/podsim:\n  ${bad.join('\n  ')}`);
});
