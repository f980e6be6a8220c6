// The layering of src/ holds: no import cycle between folders, every import looks down the layer
// order, nothing below api/ imports api/, and src/http/ imports nothing else. The checker is
// shown to fail on each kind of problem.
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
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /^import cycle between folders routing, store: routing -> store \(routing\/index.ts\); store -> routing \(store\/index.ts\)$/);
  assert.equal(problems[1], 'store imports routing, which is above it in the layer order (store/index.ts)');
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

test('an import up the layer order is found even without a cycle; an unknown folder too', () => {
  const root = tree({
    'pods/client.ts': "import { PodDirectory } from '../routing';\nexport const c = PodDirectory;\n",
    'routing/index.ts': 'export class PodDirectory {}\n',
    'gizmos/index.ts': "export { c } from '../pods/client';\n",
  });
  assert.deepEqual(layeringProblems(folderGraph(root)), [
    'gizmos is not in the layer order (scripts/check-layers.ts LAYERS)',
    'pods imports routing, which is above it in the layer order (pods/client.ts)',
  ]);
});
