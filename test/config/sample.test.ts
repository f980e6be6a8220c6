// `trio2o config sample` is generated from the one schema: every option with its help, type and
// default; the copy in etc/ is that output (this test fails when it is stale); uncommented, the
// sample loads to exactly the defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { CONFIG_SECTIONS, ConfigSchema, configSample, loadConfig } from '../../src/config';
import { optionInfo } from '../../src/config/fields';
import { confFile } from './helpers';

const SAMPLE = new URL('../../etc/trio2o.conf.sample', import.meta.url);
const REGENERATE = 'npm run config:sample';

test('etc/trio2o.conf.sample is what `trio2o config sample` prints', () => {
  assert.ok(readFileSync(SAMPLE, 'utf8') === configSample(), `etc/trio2o.conf.sample is stale: regenerate it with \`${REGENERATE}\``);
});

test('every option of the schema has help text and appears in its section with its default', () => {
  const sample = configSample();
  for (const section of CONFIG_SECTIONS) {
    const body = sample.split(`\n[${section}]\n`)[1]!.split(/\n\[/)[0]!;
    for (const [key, schema] of Object.entries(ConfigSchema.entries[section].entries) as [string, v.GenericSchema][]) {
      const info = optionInfo(schema);
      assert.ok(info.help.length > 10, `[${section}] ${key} has help text`);
      const shown = info.default === undefined ? '<None>' : String(info.default);
      assert.ok(body.includes(`\n#${key} = ${shown}\n`), `[${section}] ${key} = ${shown} in the sample`);
    }
  }
  assert.match(sample, /^# Seconds between replica syncs\. \(floating point value\)\n# Must be a number of seconds > 0\.\n# Environment variable: TRIO2O_DATABASE_SYNC_INTERVAL\n#sync_interval = 1$/m);
  assert.match(sample, /^# Password of the service user\. \(string value\)\n(#.*\n)*# Secret: never logged or printed\.\n# Environment variable: TRIO2O_KEYSTONE_PASSWORD\n#password = <None>$/m);
});

test('the sample with every default uncommented loads to the same configuration as no file', () => {
  const lines = configSample().split('\n').map((l) => (/^#\w+ = /.test(l) && !l.endsWith('<None>') ? l.slice(1) : l));
  const file = confFile(...lines);
  const overrides = { DEFAULT: { auth_strategy: 'noauth' } };
  assert.deepEqual(loadConfig({ file, env: {}, overrides }), loadConfig({ file: null, env: {}, overrides }));
});
