// systemd/trio2o.service and trio2o-primary.service pass `systemd-analyze verify` with the
// binaries at the units' paths (private mount namespace, systemd/verify.sh); verify does catch a
// missing binary; and the gateway unit boots under a real systemd (systemd/boot-test.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, canUnshare } from './binary';
import { ROOT } from './process';

const root = canUnshare();
const hasSystemd = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = !root ? 'needs root for a private mount namespace' : !hasSystemd ? 'systemd-analyze not installed' : false;

test('both units verify with the binaries installed at their ExecStart paths', { skip, timeout: 120_000 }, () => {
  ensureBuilt();
  const r = spawnSync(join(ROOT, 'systemd/verify.sh'), { encoding: 'utf8' });
  // Host units unrelated to ours may add notes (e.g. "keystone.service: Dependency ... dropped").
  const ours = (r.stdout + r.stderr).split('\n').filter((l) => /trio2o/.test(l));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(ours, []);
});

test('verify fails for a unit whose ExecStart binary is missing (the check is real)', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-units-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const unit = readFileSync(join(ROOT, 'systemd/trio2o.service'), 'utf8').replace('ExecStart=/usr/local/bin/trio2o', 'ExecStart=/nonexistent/trio2o');
  writeFileSync(join(dir, 'trio2o.service'), unit);
  const r = spawnSync('systemd-analyze', ['verify', join(dir, 'trio2o.service')], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /\/nonexistent\/trio2o/);
});

test('the unit boots under a real systemd: notify readiness, health, reload, clean stop', { skip, timeout: 120_000 }, () => {
  ensureBuilt();
  const r = spawnSync(join(ROOT, 'systemd/boot-test.sh'), { encoding: 'utf8', timeout: 90_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Status: "serving/);
  assert.match(r.stdout, /after stop: Result=success ExecMainStatus=0/);
  assert.match(r.stdout, /boot-test: PASS/);
});
