// Secrets (keystone password, database auth_token) never appear in errors and are redacted for logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, redactConfig, REDACTED, SECRET_SETTINGS } from '../../src/config';
import { confFile, KEYSTONE_ENV, thrown } from './helpers';

const SECRET = 'S3cr3t-Valu3';

function message(fn: () => unknown): string {
  const err = thrown(fn);
  assert.ok(err instanceof ConfigError);
  return `${err.message}\n${err.problems.join('\n')}`;
}

test('the schema marks exactly password and auth_token as secret', () => {
  assert.deepEqual([...SECRET_SETTINGS].sort(), ['database.auth_token', 'keystone.password']);
});

test('an invalid secret is reported without its value (file and env)', () => {
  const file = confFile('[keystone]', 'auth_url = http://k/v3', `password = "${SECRET}\t"`);
  const fromFile = message(() => loadConfig({ file, env: {} }));
  assert.ok(fromFile.includes(`[keystone] password (env TRIO2O_KEYSTONE_PASSWORD): must be non-empty without control characters; got a secret value (not shown) (from ${file} line 3)`), fromFile);
  assert.ok(!fromFile.includes(SECRET));

  const fromEnv = message(() => loadConfig({ file: null, env: { ...KEYSTONE_ENV, TRIO2O_DATABASE_AUTH_TOKEN: `${SECRET}\n` } }));
  assert.ok(fromEnv.includes('[database] auth_token (env TRIO2O_DATABASE_AUTH_TOKEN): must be non-empty without control characters; got a secret value (not shown)'), fromEnv);
  assert.ok(!fromEnv.includes(SECRET));
});

test('a secret under a misspelt key, env variable or old option name is not echoed', () => {
  const file = confFile('[keystone]', `pasword = ${SECRET}`, '[client]', `admin_password = ${SECRET}`, '[database]', SECRET);
  const syntax = message(() => loadConfig({ file, env: {} }));
  assert.ok(!syntax.includes(SECRET), syntax);
  const file2 = confFile('[keystone]', `pasword = ${SECRET}`, '[client]', `admin_password = ${SECRET}`);
  const unknown = message(() => loadConfig({ file: file2, env: { TRIO2O_DATABASE_AUTHTOKEN: SECRET } }));
  assert.match(unknown, /\[keystone\] pasword/);
  assert.match(unknown, /TRIO2O_DATABASE_AUTHTOKEN/);
  assert.ok(!unknown.includes(SECRET), unknown);
});

test('valid secrets are loaded verbatim (inner spaces, #, = kept)', () => {
  const file = confFile('[keystone]', 'auth_url = http://k/v3', 'password = " p#ss = word "', '[database]', 'auth_token = eyJ.abc.def');
  const c = loadConfig({ file, env: {} });
  assert.equal(c.keystone.password, ' p#ss = word ');
  assert.equal(c.database.auth_token, 'eyJ.abc.def');
});

test('redactConfig replaces set secrets with *** in a copy; unset stay undefined', () => {
  const c = loadConfig({ file: null, env: { ...KEYSTONE_ENV, TRIO2O_KEYSTONE_PASSWORD: SECRET, TRIO2O_KEYSTONE_USERNAME: 'trio2o' } });
  const r = redactConfig(c);
  assert.equal(r.keystone.password, REDACTED);
  assert.equal(r.database.auth_token, undefined);
  assert.equal(r.keystone.username, 'trio2o');
  assert.ok(!JSON.stringify(r).includes(SECRET));
  assert.equal(c.keystone.password, SECRET, 'the original is untouched');
  assert.deepEqual({ ...r, keystone: { ...r.keystone, password: SECRET } }, c);
});
