// loadConfig rejects bad values, naming the section/key, env variable, rule and bad value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../src/config';
import { confFile, KEYSTONE_ENV, thrown } from './helpers';

function configError(opts: LoadConfigOptions): ConfigError {
  const err = thrown(() => loadConfig(opts));
  assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
  return err;
}

// [section, key, bad value, the rule text expected in the message]
const INVALID: [string, string, string, string][] = [
  ['DEFAULT', 'bind_host', 'not a host!', 'must be an IP address or a host name'],
  ['DEFAULT', 'auth_strategy', 'Keystone', 'must be one of keystone, noauth'],
  ['DEFAULT', 'log_level', 'trace', 'must be one of debug, info, warn, error'],
  ['admin_api', 'port', '65536', 'must be an integer from 0 to 65535'],
  ['admin_api', 'port', '80abc', 'must be an integer from 0 to 65535'],
  ['admin_api', 'public_url', 'gw.example.com', 'must be an absolute URL with scheme http: or https:'],
  ['admin_api', 'public_url', 'https://gw/?x=1', 'must not contain a query or fragment'],
  ['compute_api', 'port', '-1', 'must be an integer from 0 to 65535'],
  ['compute_api', 'max_microversion', '3.1', 'must be a microversion "2.N"'],
  ['compute_api', 'max_microversion', '2.079', 'must be a microversion "2.N"'],
  ['volume_api', 'port', '1.5', 'must be an integer from 0 to 65535'],
  ['volume_api', 'max_microversion', 'latest', 'must be a microversion "3.N"'],
  ['database', 'url', '/var/lib/x.db', 'must be an absolute URL with scheme file: or libsql:'],
  ['database', 'sync_url', 'file:/x.db', 'must be an absolute URL with scheme libsql: or http:'],
  ['database', 'sync_interval', '0', 'must be a number of seconds > 0'],
  ['database', 'sync_interval', '1e3', 'must be a number of seconds > 0'],
  ['keystone', 'auth_url', 'keystone:5000', 'must be an absolute URL with scheme http: or https:'],
  ['keystone', 'token_cache_seconds', '-5', 'must be a number of seconds >= 0'],
  ['pods', 'request_timeout', 'soon', 'must be a number of seconds > 0'],
  ['pods', 'list_timeout', '0x10', 'must be a number of seconds > 0'],
  ['pods', 'connections', '0', 'must be an integer from 1 to 10000'],
  ['pods', 'breaker_threshold', '2.5', 'must be an integer >= 1'],
  ['pods', 'breaker_cooldown', '-1', 'must be a number of seconds > 0'],
  ['api', 'max_limit', '0', 'must be an integer >= 1'],
  ['api', 'max_body_bytes', 'big', 'must be an integer >= 1'],
  ['jobs', 'lease_seconds', '0', 'must be'],
  ['jobs', 'enabled', 'yes', 'must be'],
];

for (const [section, key, bad, rule] of INVALID) {
  const env = `TRIO2O_${section.toUpperCase()}_${key.toUpperCase()}`;
  test(`[${section}] ${key} = ${JSON.stringify(bad)} from the file names key, env, rule, value, line`, () => {
    const file = confFile('# header', `[${section}]`, `${key} = ${bad}`);
    // The env must not override the bad file value being tested.
    const otherEnv = Object.fromEntries(Object.entries(KEYSTONE_ENV).filter(([name]) => name !== env));
    const err = configError({ file, env: otherEnv });
    assert.equal(err.code, 'TRIO2O_CONFIG_INVALID');
    assert.equal(err.problems.length, 1);
    const p = err.problems[0]!;
    assert.ok(p.startsWith(`[${section}] ${key} (env ${env}): `), p);
    assert.ok(p.includes(rule), p);
    assert.ok(p.includes(`got ${JSON.stringify(bad)} (from ${file} line 3)`), p);
    assert.ok(err.message.includes(p));
  });
  test(`[${section}] ${key} = ${JSON.stringify(bad)} from env ${env} is rejected the same way`, () => {
    const err = configError({ file: null, env: { ...KEYSTONE_ENV, [env]: bad } });
    assert.equal(err.problems.length, 1);
    const p = err.problems[0]!;
    assert.ok(p.startsWith(`[${section}] ${key} (env ${env}): ${rule}`), p);
    // The origin is the env variable already named, so no "(from ...)" suffix.
    assert.ok(p.endsWith(`; got ${JSON.stringify(bad)}`), p);
  });
}

test('all problems are collected and reported together', () => {
  const file = confFile('[pods]', 'connections = none', 'list_timeout = -1', '[api]', 'max_limit = 0', 'colour = blue');
  const err = configError({ file, env: { TRIO2O_DEFAULT_LOG_LEVEL: 'loud' } });
  assert.equal(err.problems.length, 6, err.message);
  assert.match(err.message, /^invalid configuration \(6 problems\):/);
  for (const needle of ['[pods] connections', '[pods] list_timeout', '[api] max_limit', '[api] colour', '[DEFAULT] log_level', '[keystone] auth_url']) {
    assert.ok(err.message.includes(needle), needle);
  }
});

test('auth_strategy keystone (the default) without auth_url is an error; noauth is not', () => {
  const err = configError({ file: null, env: {} });
  assert.deepEqual(err.problems, [
    '[keystone] auth_url (env TRIO2O_KEYSTONE_AUTH_URL): is required when [DEFAULT] auth_strategy = keystone; not set',
  ]);
  assert.equal(loadConfig({ file: null, env: { TRIO2O_DEFAULT_AUTH_STRATEGY: 'noauth' } }).keystone.auth_url, undefined);
});

test('unknown key: named with its line and a suggestion', () => {
  const file = confFile('[keystone]', 'auth_url = http://k/v3', 'pasword = x', '[DEFAULT]', 'port = 1', 'frobnicate = 1');
  const err = configError({ file, env: {} });
  assert.deepEqual(err.problems, [
    `[keystone] pasword (${file} line 3): unknown key; did you mean password?`,
    `[DEFAULT] port (${file} line 5): unknown key; port belongs in [admin_api], [compute_api], [volume_api]`,
    `[DEFAULT] frobnicate (${file} line 6): unknown key`,
  ]);
});

test('unknown section, and old Python Trio2o options say what replaced them', () => {
  const file = confFile('[DEFAULT]', 'bind_port = 19999', '[client]', 'admin_username = admin', 'auto_refresh_endpoint = True', '[keystone]', 'auth_url = http://k/v3');
  const err = configError({ file, env: {} });
  assert.deepEqual(err.problems, [
    `[DEFAULT] bind_port (${file} line 2): unknown key; use [admin_api] port, [compute_api] port and [volume_api] port instead`,
    `[client] admin_username (${file} line 4): unknown option; use [keystone] username instead`,
    `[client] (${file} line 4): unknown section; known sections are [DEFAULT], [admin_api], [compute_api], [volume_api], [database], [keystone], [pods], [api], [jobs]`,
  ]);
});

test('unknown env variable under a known section, and unknown override', () => {
  const err = configError({
    file: null,
    env: { ...KEYSTONE_ENV, TRIO2O_KEYSTONE_PASWORD: 'x', TRIO2O_PODS_TIMEOUT: '1' },
    overrides: { nope: { a: '1' }, pods: { conections: '1' } },
  });
  assert.deepEqual(err.problems, [
    'env TRIO2O_KEYSTONE_PASWORD: unknown setting [keystone] pasword; did you mean TRIO2O_KEYSTONE_PASSWORD?',
    'env TRIO2O_PODS_TIMEOUT: unknown setting [pods] timeout',
    'override [nope] a: unknown setting',
    'override [pods] conections: unknown setting; did you mean connections?',
  ]);
});

test('a missing file named explicitly is an error; an unreadable path too', async () => {
  const missing = configError({ file: '/nonexistent/trio2o.conf', requireFile: true, env: KEYSTONE_ENV });
  assert.equal(missing.code, 'TRIO2O_CONFIG_NOT_FOUND');
  assert.deepEqual(missing.problems, ['config file /nonexistent/trio2o.conf not found']);
  assert.equal((missing.cause as NodeJS.ErrnoException).code, 'ENOENT');
  const { TMP_DIR } = await import('./helpers');
  const dir = configError({ file: TMP_DIR, env: KEYSTONE_ENV });
  assert.equal(dir.code, 'TRIO2O_CONFIG_UNREADABLE');
  assert.deepEqual(dir.problems, [`config file ${TMP_DIR} cannot be read (EISDIR)`]);
});

test('an INI syntax error gives TRIO2O_CONFIG_SYNTAX with file and line', () => {
  const file = confFile('[DEFAULT]', 'bind_host = ::1', 'oops');
  const err = configError({ file, env: KEYSTONE_ENV });
  assert.equal(err.code, 'TRIO2O_CONFIG_SYNTAX');
  assert.deepEqual(err.problems, [`${file} line 3: expected "[section]" or "key = value"`]);
});

test('listeners may not share a port, a default included; 0 never clashes', () => {
  const err = configError({ file: null, env: { ...KEYSTONE_ENV, TRIO2O_ADMIN_API_PORT: '19998' } });
  assert.deepEqual(err.problems, [
    '[compute_api] port (env TRIO2O_COMPUTE_API_PORT): must differ from [admin_api] port; got the default 19998',
  ]);
  const zero = { admin_api: { port: '0' }, compute_api: { port: '0' }, volume_api: { port: '0' } };
  assert.equal(loadConfig({ file: null, env: KEYSTONE_ENV, overrides: zero }).volume_api.port, 0);
});

test('sync_url needs a file: url (the local replica)', () => {
  const err = configError({
    file: null,
    env: { ...KEYSTONE_ENV, TRIO2O_DATABASE_URL: 'libsql://remote:8080', TRIO2O_DATABASE_SYNC_URL: 'libsql://primary:8080' },
  });
  assert.deepEqual(err.problems, [
    '[database] url (env TRIO2O_DATABASE_URL): must be a file: URL when [database] sync_url is set (the local embedded replica); got "libsql://remote:8080"',
  ]);
});
