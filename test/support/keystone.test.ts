// The real-Keystone harness itself: it fails loudly when Keystone is missing, stop() leaves
// nothing behind, and a test process that dies without stop() does not leak uwsgi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeystone } from './keystone';
import { alive } from './pids';

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (!alive(pid)) return true;
  }
  return !alive(pid);
}

test('without Keystone installed, startKeystone throws a clear error', async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    await assert.rejects(startKeystone(), /real Keystone is not installed \(missing: keystone-manage, uwsgi, sqlite3/);
  } finally {
    process.env.PATH = path;
  }
});

test('a started Keystone serves v3 and admin operations; stop() kills it and removes its folder', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'ks-harness-'));
  t.after(() => rm(parent, { recursive: true, force: true }));
  const started = Date.now();
  const ks = await startKeystone({ dir: parent });
  t.diagnostic(`startKeystone took ${Date.now() - started} ms`);
  t.after(() => ks.stop());
  assert.match(ks.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await readdir(parent)).length, 1);
  const project = await ks.createProject('harness');
  await ks.createUser('carol', 'carol-pw', project, ['member', 'observer']);
  const issued = await ks.issueToken('carol', 'carol-pw', 'harness');
  assert.equal(issued.projectId, project);
  assert.ok(Date.parse(issued.expiresAt) > Date.now());
  // The identity endpoint points at this instance, not at the template's placeholder.
  const catalog = await fetch(`${ks.url}/v3/auth/catalog`, { headers: { 'x-auth-token': issued.token } });
  const identity = ((await catalog.json()) as { catalog: { type: string; endpoints: { url: string }[] }[] })
    .catalog.find((s) => s.type === 'identity');
  assert.equal(identity?.endpoints[0]?.url, `${ks.url}/v3/`);

  const workers = (await readFile(`/proc/${ks.pid}/task/${ks.pid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
  assert.equal(workers.length, 2, 'two uwsgi workers');
  await ks.stop();
  for (const pid of [ks.pid, ...workers]) assert.ok(await waitGone(pid, 5_000), `uwsgi ${pid} is gone`);
  await assert.rejects(stat(ks.dir), { code: 'ENOENT' });
  await ks.stop(); // twice is fine
});

test('if the test process dies without stop(), its Keystone dies too', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'ks-orphan-'));
  t.after(() => rm(parent, { recursive: true, force: true }));
  const harness = new URL('./keystone.ts', import.meta.url).pathname;
  const script = `import { startKeystone } from ${JSON.stringify(harness)};
    const ks = await startKeystone({ dir: ${JSON.stringify(parent)} });
    console.log(JSON.stringify({ pid: ks.pid })); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"pid":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before Keystone was up`)));
  });
  assert.ok(alive(pid));
  child.kill('SIGKILL'); // no exit handlers run: only the watchdog pipe can save us
  assert.ok(await waitGone(pid, 15_000), `uwsgi ${pid} survived its test process`);
});
