// The layering of src/ holds: no import cycle between folders, nothing below api/ imports api/,
// and src/http/ imports nothing else. The checker is shown to fail on each kind of problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { folderGraph, layeringProblems } from '../../scripts/check-layers';

const SRC = new URL('../../src', import.meta.url).pathname;

/** A throw-away source tree: path → file text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'trio2o-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('src/ has no folder cycle, nothing below api/ imports api/, and http/ imports nothing', () => {
  assert.deepEqual(layeringProblems(folderGraph(SRC)), []);
});

test('a cycle between folders is found, type-only imports included', () => {
  const root = tree({
    'store/index.ts': "import type { Env } from '../routing';\nexport const a = 1;\n",
    'routing/index.ts': "import { a } from '../store';\nexport type Env = { a: typeof a };\n",
  });
  const problems = layeringProblems(folderGraph(root));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^import cycle between folders routing, store: /);
});

test('a domain folder importing api/ is found, and so is http/ importing anything', () => {
  const root = tree({
    'api/common/index.ts': 'export const x = 1;\n',
    'scheduling/scheduler.ts': "import { x } from '../api/common';\nexport const y = x;\n",
    'http/errors.ts': "export { y } from '../scheduling/scheduler';\n",
    'server/gateway.ts': "import { x } from '../api/common';\nimport('../http/errors');\nexport const z = x;\n",
  });
  assert.deepEqual(layeringProblems(folderGraph(root)), [
    'http is the bottom layer but imports scheduling (http/errors.ts)',
    'scheduling is below api/ but imports api/common (scheduling/scheduler.ts)',
  ]);
});
