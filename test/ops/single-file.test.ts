// dist/trio2o is ONE file that runs alone: copied into an empty directory, with node hidden
// (bind-mounted /dev/null over it in a private mount namespace when we may), it answers
// --version, `db migrate` and `serve` (health, metrics, a clean SIGTERM), under 110 MiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../support/http';
import { ensureBuilt, canUnshare } from './binary';
import { startServe } from './process';

const MAX_BYTES = 110 * 2 ** 20;

test('the single executable runs alone in an empty directory', { timeout: 120_000 }, async (t) => {
  const built = ensureBuilt();
  assert.ok(statSync(built).size < MAX_BYTES, `dist/trio2o is ${statSync(built).size} bytes`);
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-single-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const exe = join(dir, 'trio2o');
  copyFileSync(built, exe);
  assert.deepEqual(readdirSync(dir), ['trio2o']);
  // Without node: hide the node binary inside a private mount namespace (nothing on the host changes).
  const hideNode = canUnshare() ? ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `mount --bind /dev/null ${process.execPath} && exec "$@"`, 'sh'] : [];
  const env = { PATH: '/usr/bin:/bin', HOME: dir, TRIO2O_DEFAULT_AUTH_STRATEGY: 'noauth', TRIO2O_NATIVE_DIR: join(dir, '.cache'), RUST_LOG: 'off' };
  const run = (...args: string[]) => {
    const cmd = [...hideNode, exe, ...args];
    return execFileSync(cmd[0]!, cmd.slice(1), { cwd: dir, env, encoding: 'utf8' });
  };
  assert.equal(run('--version'), 'trio2o 0.1.0\n');
  if (hideNode.length) assert.throws(() => execFileSync(hideNode[0]!, [...hideNode.slice(1), process.execPath, '--version'], { stdio: 'ignore' }), 'node is hidden');
  const version = /^applied migrations [\d, ]+; schema version (\d+)\n$/.exec(run('db', 'migrate'))?.[1];
  assert.ok(version, 'db migrate applied the migrations');
  assert.equal(run('db', 'migrate'), `schema is up to date (version ${version})\n`);

  const p = await startServe({
    dir,
    args: [],
    command: [...hideNode, exe],
    env: { ...env, TRIO2O_ADMIN_API_PORT: '0', TRIO2O_COMPUTE_API_PORT: '0', TRIO2O_VOLUME_API_PORT: '0' },
  });
  t.after(() => void p.child.kill('SIGKILL'));
  assert.equal((await call(`${p.urls.compute}/healthcheck`)).text, 'OK');
  assert.match((await call(`${p.urls.admin}/metrics`)).text, /^trio2o_http_requests_total\{listener="compute",route="\/healthcheck",method="GET",status="200"\} 1$/m);
  assert.equal((await call(`${p.urls.compute}/`)).status, 200);
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0);
  assert.deepEqual(readdirSync(dir).sort(), ['.cache', 'bin', 'data', 'notify.log', 'trio2o']);
  assert.match(readdirSync(join(dir, '.cache'))[0]!, /^libsql-[0-9a-f]{16}\.node$/);
});
