// dist/trio2o started as a user starts it — no NODE_OPTIONS — prints no V8 warning and starts
// from its code cache; so does the systemd unit's NODE_OPTIONS (the heap cap). Other V8 flags
// compile from source without a V8 warning, and the start-up log says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './binary';
import { ROOT, startServe } from './process';

const UNIT_NODE_OPTIONS = /^Environment=NODE_OPTIONS=(.*)$/m.exec(readFileSync(join(ROOT, 'systemd/trio2o.service'), 'utf8'))![1]!;

test('--version with a clean environment writes nothing to stderr', () => {
  const exe = ensureBuilt();
  const r = spawnSync(exe, ['--version'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'trio2o 0.1.0\n');
  assert.equal(r.stderr, '');
  assert.equal(execFileSync(exe, ['--version'], { env: { PATH: '/usr/bin:/bin', NODE_OPTIONS: UNIT_NODE_OPTIONS }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), 'trio2o 0.1.0\n');
});

for (const [name, nodeOptions, expected] of [
  ['no NODE_OPTIONS (a plain start)', undefined, 'accepted'],
  [`the unit's NODE_OPTIONS (${UNIT_NODE_OPTIONS})`, UNIT_NODE_OPTIONS, 'accepted'],
  ['other V8 flags', '--max-old-space-size=300', 'rejected'],
] as const) {
  test(`serve with ${name}: no "Code cache data rejected"; code cache ${expected}`, { timeout: 120_000 }, async (t) => {
    const exe = ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'trio2o-clean-start-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const p = await startServe({
      dir,
      args: ['--noauth'],
      command: [exe],
      env: {
        TRIO2O_ADMIN_API_PORT: '0', TRIO2O_COMPUTE_API_PORT: '0', TRIO2O_VOLUME_API_PORT: '0', TRIO2O_NATIVE_DIR: join(dir, 'cache'),
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      },
    });
    t.after(() => void p.child.kill('SIGKILL'));
    const listening = await p.waitFor('listening');
    assert.equal(listening.code_cache, expected);
    if (expected === 'rejected') assert.match(String((await p.waitFor('code_cache_rejected')).message), /NODE_OPTIONS \(--max-old-space-size=300\)/);
    p.child.kill('SIGTERM');
    await p.exited;
    assert.deepEqual(p.out.filter((l) => /code cache data rejected|\(node:\d+\) Warning/i.test(l)), []);
  });
}
