// `trio2o serve` as a process: READY=1 once listening; SIGHUP reloads the policy file and the
// log level without dropping a keep-alive connection; SIGTERM stops accepting, lets an in-flight
// request finish, closes the store and exits 0. Last: the whole run's output holds none of the
// tokens, passwords or auth headers it was given.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { call, ADMIN } from '../support/http';
import { startServe, until, type ServeProcess } from './process';
import { startServerPod, routeServers } from './support';

const SECRETS = {
  userToken: `gAAAA-user-token-${randomUUID()}`,
  bearer: `bearer-secret-${randomUUID()}`,
  dbToken: `db-jwt-${randomUUID()}`,
  ksPassword: `ks-password-${randomUUID()}`,
};
const runs: ServeProcess[] = [];
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(extra = ''): { dir: string; conf: string; write: (logLevel: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-serve-'));
  dirs.push(dir);
  const conf = join(dir, 'trio2o.conf');
  const write = (logLevel: string) =>
    writeFileSync(
      conf,
      [
        '[DEFAULT]',
        'auth_strategy = noauth',
        `log_level = ${logLevel}`,
        `policy_file = ${join(dir, 'policy.yaml')}`,
        'graceful_shutdown_timeout = 5',
        extra,
        '[admin_api]\nport = 0\n[compute_api]\nport = 0\n[volume_api]\nport = 0',
        `[database]\nurl = file:${join(dir, 'trio2o.db')}\nauth_token = ${SECRETS.dbToken}`,
        `[keystone]\nusername = trio2o\npassword = ${SECRETS.ksPassword}`,
      ].join('\n'),
    );
  write('info');
  return { dir, conf, write };
}

const user = (project: string) => ({
  'x-project-id': project,
  'x-user-id': 'u1',
  'x-roles': 'member',
  'x-auth-token': SECRETS.userToken,
  authorization: `Bearer ${SECRETS.bearer}`,
});
const admin = { ...ADMIN, 'x-auth-token': SECRETS.userToken, authorization: `Bearer ${SECRETS.bearer}` };

/** Sends one request on an open socket and resolves with the raw response. */
function exchange(sock: ReturnType<typeof connect>, path: string): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = /content-length: (\d+)/i.exec(buf);
      const head = buf.indexOf('\r\n\r\n');
      if (m && head >= 0 && buf.length >= head + 4 + Number(m[1])) (sock.off('data', onData), resolve(buf));
    };
    sock.on('data', onData);
    sock.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nX-Auth-Token: ${SECRETS.userToken}\r\n\r\n`);
  });
}

test('READY=1 after listening; SIGHUP reloads policy and log level, keeping connections', async (t) => {
  const { dir, conf, write } = setup();
  const p = await startServe({ dir, args: ['--config', conf] });
  runs.push(p);
  t.after(() => void p.child.kill('SIGKILL'));
  await until('READY=1', () => p.notified().length === 1);
  assert.match(p.notified()[0]!, /^--pid=\d+ READY=1 STATUS=serving/);

  const sock = connect(Number(new URL(p.urls.admin).port), '127.0.0.1');
  t.after(() => void sock.destroy());
  assert.match(await exchange(sock, '/healthcheck'), /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nOK$/);
  assert.equal((await call(`${p.urls.admin}/v1.0/pods`, { headers: admin })).status, 200);
  const before = p.out.length;
  assert.ok(!p.out.some((l) => l.includes('"path":"/healthcheck"')), 'health checks are debug lines');

  writeFileSync(join(dir, 'policy.yaml'), '"admin_api:pods:list": "!"\n');
  write('debug');
  p.child.kill('SIGHUP');
  const reloaded = await p.waitFor('reloaded', before);
  assert.equal(reloaded.log_level, 'debug');
  assert.match(await exchange(sock, '/healthcheck'), /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nOK$/, 'same connection still served');
  await until('debug health line', () => p.out.slice(before).some((l) => l.includes('"path":"/healthcheck"')));
  assert.equal((await call(`${p.urls.admin}/v1.0/pods`, { headers: admin })).status, 403);
  await until('READY=1 again', () => p.notified().length === 3);
  assert.deepEqual(p.notified().slice(1), ['--pid=' + p.child.pid + ' RELOADING=1 STATUS=reloading', '--pid=' + p.child.pid + ' READY=1 STATUS=serving']);

  // A broken policy file keeps the rules in force and says so.
  writeFileSync(join(dir, 'policy.yaml'), '"admin_api:pods:list": "role:(\n');
  const mark = p.out.length;
  p.child.kill('SIGHUP');
  await p.waitFor('reload_failed', mark);
  assert.equal((await call(`${p.urls.admin}/v1.0/pods`, { headers: admin })).status, 403);
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0);
});

test('SIGTERM: in-flight request finishes, new connections are refused, store closed, exit 0', async (t) => {
  const { dir, conf } = setup();
  const p = await startServe({ dir, args: ['--config', conf] });
  runs.push(p);
  t.after(() => void p.child.kill('SIGKILL'));
  const pod = await startServerPod(p.urls.admin, { delayMs: 600 });
  t.after(() => pod.close());
  const db = createClient({ url: `file:${join(dir, 'trio2o.db')}` });
  await routeServers(db, 'p1', pod.podId, ['slow-1']);
  db.close();

  const inflight = call(`${p.urls.compute}/v2.1/p1/servers/slow-1`, { headers: user('p1') });
  await until('request reached the pod', () => pod.paths.some((u) => u.endsWith('/servers/slow-1')));
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  await p.waitFor('stopping');
  await until('listener closed', async () => {
    try {
      await fetch(`${p.urls.admin}/healthcheck`, { signal: AbortSignal.timeout(200) });
      return false;
    } catch (err) {
      return /ECONNREFUSED/.test(String((err as { cause?: unknown }).cause));
    }
  });
  const r = await inflight;
  assert.equal(r.status, 200);
  assert.equal(r.body.server.id, 'slow-1');
  assert.equal(await p.exited, 0);
  assert.ok(Date.now() - t0 < 5000);
  const drained = p.out.map((l) => (l.startsWith('{') ? JSON.parse(l) : {})).find((o) => o.event === 'drained');
  assert.equal(drained.clean, true);
  assert.ok(p.out.some((l) => l.includes('"event":"stopped"')));
  assert.ok(p.notified().some((l) => /^--pid=\d+ STOPPING=1/.test(l)), p.notified().join('\n'));
});

test('the whole run logged no token, password or auth header', () => {
  assert.ok(runs.length >= 2 && runs.every((r) => r.out.length > 5), 'the runs above produced logs');
  const all = runs.flatMap((r) => r.out).join('\n');
  assert.ok(all.includes('"event":"request"'), 'request lines were logged');
  for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!all.includes(secret), `${name} leaked into the log`);
  assert.ok(!/x-auth-token|authorization/i.test(all), 'an auth header name appeared in the log');
});
