// A policy file naming rules that no API registered loaded silently: a typo such as
// `admin_api:pods:lst` overrode nothing and nobody was told. Each file rule that is not registered
// and that no rule refers to is reported at load (and at every reload), as a warning per name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Policy } from '../../src/auth/policy';
import { API_RULES } from '../../src/api/policy-rules';
import { serve } from '../../src/cli/serve';
import { createLogger } from '../../src/ops';

function policyFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'trio2o-policy-')), 'policy.yaml');
  writeFileSync(file, text);
  return file;
}

const FILE = [
  '"admin_api:pods:lst": "@"', // a typo of admin_api:pods:list: overrides nothing
  '"operators": "role:operator"', // referred to by admin_api below: used
  '"admin_api": "rule:operators or role:admin"',
  '"nobody_refers_to_me": "role:x"',
].join('\n');

test('unregistered file rules nobody refers to are reported, one call per name; used ones are not', () => {
  const file = policyFile(FILE);
  const unused: [string, string][] = [];
  const policy = new Policy(API_RULES, file, { onUnusedRule: (name, source) => unused.push([name, source]) });
  assert.deepEqual(unused, [['admin_api:pods:lst', file], ['nobody_refers_to_me', file]]);
  unused.length = 0;
  policy.reload();
  assert.deepEqual(unused.map(([n]) => n), ['admin_api:pods:lst', 'nobody_refers_to_me'], 'reported again at reload');
  unused.length = 0;
  new Policy(API_RULES, policyFile('"admin_api:pods:list": "role:admin"\n'), { onUnusedRule: (n, s) => unused.push([n, s]) });
  assert.deepEqual(unused, [], 'overriding a registered rule is silent');
});

test('serve logs policy_unknown_rule as a warning per name, at start and on reload', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-serve-'));
  const policy = policyFile(FILE);
  const config = join(dir, 'trio2o.conf');
  writeFileSync(config, [
    '[DEFAULT]', 'auth_strategy = noauth', `policy_file = ${policy}`,
    '[admin_api]', 'port = 0', '[compute_api]', 'port = 0', '[volume_api]', 'port = 0',
    '[database]', `url = file:${join(dir, 'trio2o.db')}`, '',
  ].join('\n'));
  const lines: string[] = [];
  const running = await serve({ config }, createLogger('info', (l) => lines.push(l)));
  t.after(() => running.stop());
  const warnings = () => lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'policy_unknown_rule');
  assert.deepEqual(warnings().map((w) => [w.level, w.rule, w.file]), [['warn', 'admin_api:pods:lst', policy], ['warn', 'nobody_refers_to_me', policy]]);
  assert.match(warnings()[0].message, /no API registered and no rule refers to/);
  await running.reload();
  assert.equal(warnings().length, 4);
});
