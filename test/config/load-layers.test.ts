// loadConfig: defaults, file values, env over file, overrides over env, empty = unset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { confFile, KEYSTONE_ENV } from './helpers';

test('no file: every default, exactly', () => {
  const config = loadConfig({ file: null, env: { TRIO2O_DEFAULT_AUTH_STRATEGY: 'noauth' } });
  assert.deepEqual(config, {
    DEFAULT: { bind_host: '127.0.0.1', auth_strategy: 'noauth', policy_file: '/etc/trio2o/policy.yaml', log_level: 'info', workers: 1, graceful_shutdown_timeout: 30 },
    admin_api: { port: 19996 },
    compute_api: { port: 19998 },
    volume_api: { port: 19997 },
    database: { url: 'file:./data/trio2o.db', sync_interval: 1 },
    keystone: { user_domain_name: 'Default', project_domain_name: 'Default', top_region_name: 'RegionOne', token_cache_seconds: 300 },
    pods: { request_timeout: 30, list_timeout: 10, connections: 64, breaker_threshold: 5, breaker_cooldown: 30 },
    api: { max_limit: 1000, max_body_bytes: 1048576 },
    jobs: { enabled: true, lease_seconds: 30, poll_interval: 1, concurrency: 4, max_attempts: 10, pending_timeout: 120, retention: 604800 },
  });
});

test('a missing file that was not named explicitly means defaults', () => {
  const config = loadConfig({ file: '/nonexistent/trio2o.conf', env: KEYSTONE_ENV });
  assert.equal(config.admin_api.port, 19996);
  assert.equal(config.keystone.auth_url, 'http://keystone.test:5000/v3');
});

test('file values are read and coerced to numbers', () => {
  const file = confFile(
    '[DEFAULT]',
    'bind_host = 0.0.0.0',
    'log_level = debug',
    '[admin_api]',
    'port = 8001',
    'public_url = https://gw.example.com/admin/',
    '[compute_api]',
    'max_microversion = 2.79',
    '[volume_api]',
    'max_microversion = 3.70',
    '[database]',
    'url = file:/var/lib/trio2o/replica.db',
    'sync_url = libsql://primary.example.com:8080',
    'auth_token = tok',
    'sync_interval = 0.5',
    '[keystone]',
    'auth_url = http://keystone:5000/v3',
    'username = trio2o',
    'password = pw',
    'project_name = service',
    'token_cache_seconds = 0',
    '[pods]',
    'request_timeout = 12.5',
    'connections = 8',
    '[api]',
    'max_limit = 50',
  );
  const c = loadConfig({ file, env: {}, requireFile: true });
  assert.equal(c.DEFAULT.bind_host, '0.0.0.0');
  assert.equal(c.DEFAULT.log_level, 'debug');
  assert.equal(c.admin_api.port, 8001);
  assert.equal(c.admin_api.public_url, 'https://gw.example.com/admin', 'trailing slash trimmed');
  assert.equal(c.compute_api.max_microversion, '2.79');
  assert.equal(c.volume_api.max_microversion, '3.70');
  assert.equal(c.database.sync_url, 'libsql://primary.example.com:8080');
  assert.equal(c.database.auth_token, 'tok');
  assert.equal(c.database.sync_interval, 0.5);
  assert.equal(c.keystone.password, 'pw');
  assert.equal(c.keystone.token_cache_seconds, 0);
  assert.equal(c.pods.request_timeout, 12.5);
  assert.equal(c.pods.connections, 8);
  assert.equal(c.pods.list_timeout, 10, 'unset keys keep their default');
  assert.equal(c.api.max_limit, 50);
});

test('env overrides the file, overrides win over env', () => {
  const file = confFile('[admin_api]', 'port = 8001', '[compute_api]', 'port = 8002', '[volume_api]', 'port = 8003');
  const c = loadConfig({
    file,
    env: { ...KEYSTONE_ENV, TRIO2O_ADMIN_API_PORT: '9001', TRIO2O_COMPUTE_API_PORT: '9002' },
    overrides: { compute_api: { port: '0' } },
  });
  assert.equal(c.admin_api.port, 9001);
  assert.equal(c.compute_api.port, 0);
  assert.equal(c.volume_api.port, 8003);
});

test('an empty value means unset: env can clear a file value back to its default', () => {
  const file = confFile('[database]', 'sync_url = libsql://primary:8080', 'sync_interval =', '[keystone]', 'auth_url = http://k/v3');
  const c = loadConfig({ file, env: { TRIO2O_DATABASE_SYNC_URL: '' } });
  assert.equal(c.database.sync_url, undefined);
  assert.equal(c.database.sync_interval, 1);
});

test('env variables outside the known sections are ignored; undefined values skipped', () => {
  const c = loadConfig({
    file: null,
    env: { ...KEYSTONE_ENV, TRIO2O_CONFIG: '/x', TRIO2O_SOMETHING_ELSE: 'y', TRIO2O_PODS_CONNECTIONS: undefined, PATH: '/bin' },
  });
  assert.equal(c.pods.connections, 64);
});

test('noauth needs no Keystone settings; IPv6 and host names bind', () => {
  for (const host of ['::', '::1', 'localhost', 'gw-1.example.com', '10.0.0.1']) {
    const c = loadConfig({ file: null, env: { TRIO2O_DEFAULT_AUTH_STRATEGY: 'noauth', TRIO2O_DEFAULT_BIND_HOST: host } });
    assert.equal(c.DEFAULT.bind_host, host);
  }
});

test('the config is frozen: settings are validated once and cannot drift', () => {
  const c = loadConfig({ file: null, env: KEYSTONE_ENV });
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.pods));
  assert.throws(() => {
    (c.pods as { connections: number }).connections = 1;
  }, TypeError);
});

test('process.env is read when no env is given', () => {
  const saved = process.env.TRIO2O_KEYSTONE_AUTH_URL;
  process.env.TRIO2O_KEYSTONE_AUTH_URL = 'http://from-process-env/v3';
  try {
    assert.equal(loadConfig({ file: null }).keystone.auth_url, 'http://from-process-env/v3');
  } finally {
    if (saved === undefined) delete process.env.TRIO2O_KEYSTONE_AUTH_URL;
    else process.env.TRIO2O_KEYSTONE_AUTH_URL = saved;
  }
});
