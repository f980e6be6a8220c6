// ops/prometheus/trio2o-alerts.yml passes `promtool check rules` (Debian's prometheus package),
// its unit tests (trio2o-alerts.test.yml) pass `promtool test rules`, and promtool does refuse a
// broken rule (the check is real). Every alert carries a severity, a summary, a description and
// a runbook. Without promtool the promtool tests skip, except under CI, where they fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const DIR = fileURLToPath(new URL('../../ops/prometheus/', import.meta.url));
const RULES = join(DIR, 'trio2o-alerts.yml');
const SEVERITIES = ['critical', 'warning', 'info'];

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = hasPromtool || process.env.CI === 'true' ? false : 'promtool not installed (apt-get install prometheus)';

function promtool(args: string[], cwd = DIR) {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, out: r.stdout + r.stderr };
}

test('promtool check rules accepts the alert rules', { skip }, () => {
  const r = promtool(['check', 'rules', RULES]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /SUCCESS: \d+ rules found/);
});

test('promtool test rules: the alerts unit tests pass', { skip }, () => {
  const r = promtool(['test', 'rules', 'trio2o-alerts.test.yml']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /SUCCESS/);
});

test('promtool check rules refuses a rule with a PromQL error', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-rules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const broken = readFileSync(RULES, 'utf8').replace('max by (job, instance) (trio2o_replica_detached) == 1', 'max by (job, instance) (trio2o_replica_detached == 1');
  writeFileSync(join(dir, 'broken.yml'), broken);
  const r = promtool(['check', 'rules', join(dir, 'broken.yml')], dir);
  assert.notEqual(r.status, 0);
  assert.match(r.out, /"Trio2oReplicaDetached": could not parse expression/);
});

test('every alert has a severity, a summary, a description and a runbook, and a unique name', () => {
  const doc = parseYaml(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[] };
  const alerts = doc.groups.flatMap((g) => g.rules).filter((r) => r.alert);
  assert.ok(alerts.length >= 6);
  assert.equal(new Set(alerts.map((a) => a.alert)).size, alerts.length);
  for (const a of alerts) {
    assert.ok(SEVERITIES.includes(a.labels?.severity ?? ''), `${a.alert} severity`);
    for (const k of ['summary', 'description', 'runbook']) assert.ok((a.annotations?.[k] ?? '').length > 10, `${a.alert} ${k}`);
  }
});
