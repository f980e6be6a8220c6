// The primary's JWT auth: keys from `trio2o primary keygen`, tokens from `primary token`, checked
// by a real sqld started with --auth-jwt-key-file; a refused token is named as such, not as a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primaryCli, signPrimaryToken, generatePrimaryKeys, writePrimaryKeys } from '../../src/cli/primary-keys';
import { openStore, isUnavailable, probePrimary } from '../../src/store';
import { startPrimary } from './primary';

const newPod = (name: string) => ({ pod_name: name, az_name: 'az1', pod_az_name: '', dc_name: '', enabled: true, endpoints: null });

test('keygen files, then rw / ro / foreign / expired tokens against sqld', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-auth-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  assert.equal(primaryCli(['keygen', '--dir', dir], (s) => lines.push(s)), 0);
  const pub = join(dir, 'primary-jwt.pub.pem');
  const key = join(dir, 'primary-jwt.key.pem');
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.match(readFileSync(pub, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  assert.throws(() => writePrimaryKeys(dir), /already exists/);

  const primary = await startPrimary({ dir, jwtKeyFile: pub });
  t.after(() => primary.stop());
  assert.equal(primaryCli(['token', '--key', key, '--days', '1'], (s) => lines.push(s)), 0);
  const rw = lines.at(-1)!.trim();
  const claims = JSON.parse(Buffer.from(rw.split('.')[1]!, 'base64url').toString());
  assert.equal(claims.a, 'rw');
  assert.equal(claims.exp - claims.iat, 86_400);

  const site = await openStore({ url: `file:${join(dir, 'site.db')}`, syncUrl: primary.url, authToken: rw, syncInterval: 0.2 });
  t.after(() => site.close());
  assert.equal(site.mode, 'replica');
  await site.pods.create(newPod('P1'));

  const ro = signPrimaryToken(readFileSync(key, 'utf8'), { access: 'ro' });
  const reader = await openStore({ url: `file:${join(dir, 'reader.db')}`, syncUrl: primary.url, authToken: ro, syncInterval: 0.2 });
  t.after(() => reader.close());
  assert.deepEqual((await reader.pods.list()).map((p) => p.pod_name), ['P1']);
  const denied = await reader.pods.create(newPod('P2')).then(() => undefined, (e: unknown) => e);
  assert.ok(denied && isUnavailable(denied), `a read-only token cannot write: ${String(denied)}`);

  const foreign = signPrimaryToken(generatePrimaryKeys().privatePem);
  const none = await probePrimary(primary.url, undefined, 1000);
  assert.deepEqual([none.ok, !none.ok && none.reason], [false, 'unauthorized']);
  await assert.rejects(
    openStore({ url: `file:${join(dir, 'intruder.db')}`, syncUrl: primary.url, authToken: foreign, syncInterval: 0.2 }),
    /refused the replica's token \(HTTP 401: .*The JWT is invalid.*check \[database\] auth_token/,
  );
  const expired = signPrimaryToken(readFileSync(key, 'utf8'), { now: Date.now() - 7_200_000, expiresInSeconds: 3600 });
  const late = await probePrimary(primary.url, expired, 1000);
  assert.ok(!late.ok && late.reason === 'unauthorized' && /expired/.test(late.message), JSON.stringify(late));
});
