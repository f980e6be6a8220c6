// `trio2o config check` validates without starting: exit 0 when `serve` would start, else 1 with
// the very text `serve` prints for the same configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../ops/process';
import { confFile } from './helpers';

const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'trio2o-check-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function trio2o(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/main.ts'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, RUST_LOG: 'off', TRIO2O_ADMIN_API_PORT: '0', TRIO2O_COMPUTE_API_PORT: '0', TRIO2O_VOLUME_API_PORT: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a configuration serve refuses: check exits 1 with the same message and touches nothing', () => {
  const bad = confFile('[DEFAULT]', 'auth_strategy = keystone', 'bind_hots = 0.0.0.0', '[pods]', 'connections = 0', '[database]', `url = file:${join(dir, 'never.db')}`);
  const check = trio2o('config', 'check', '--config', bad);
  const serve = trio2o('serve', '--config', bad);
  assert.equal(check.code, 1);
  assert.equal(serve.code, 1);
  assert.match(check.stderr, /^trio2o: invalid configuration \(3 problems\):\n  \[DEFAULT\] bind_hots .*unknown key; did you mean bind_host\?\n/);
  assert.equal(check.stderr, serve.stderr);
  assert.equal(check.stdout, '');
});

test('keystone mode without service credentials: the same message as serve', () => {
  const conf = confFile('[keystone]', 'auth_url = http://127.0.0.1:5000/v3', '[database]', `url = file:${join(dir, 'never.db')}`);
  const check = trio2o('config', 'check', '--config', conf);
  assert.equal(check.code, 1);
  assert.equal(check.stderr, 'trio2o: auth_strategy = keystone needs [keystone] username (env TRIO2O_KEYSTONE_USERNAME), [keystone] password (env TRIO2O_KEYSTONE_PASSWORD), [keystone] project_name (env TRIO2O_KEYSTONE_PROJECT_NAME)\n');
  assert.equal(trio2o('serve', '--config', conf).stderr, check.stderr);
});

test('a policy file that does not parse fails the check; a good configuration passes (exit 0)', () => {
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, '"admin_api": "role:admin" and (\n');
  const conf = confFile('[DEFAULT]', 'auth_strategy = noauth', `policy_file = ${policy}`);
  const check = trio2o('config', 'check', '--config', conf);
  assert.equal(check.code, 1);
  assert.match(check.stderr, new RegExp(`^trio2o: .*${policy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  writeFileSync(policy, '"admin_api": "role:admin or role:operator"\n');
  const good = trio2o('config', 'check', '--config', conf);
  assert.deepEqual([good.code, good.stderr], [0, '']);
  assert.equal(good.stdout, `configuration OK (${conf} and TRIO2O_* variables)\n`);
  assert.equal(trio2o('config').code, 2, 'no subcommand is a usage error');
});
