// Every admin route answers 403 (never 401) to an authenticated non-admin; a policy file can open one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway } from '../support/gateway';
import { call, identity } from '../support/http';

const ROUTES: [string, string, unknown?][] = [
  ['GET', '/v1.0/pods'],
  ['POST', '/v1.0/pods', { pod: { pod_name: 'P', az_name: 'a' } }],
  ['GET', '/v1.0/pods/x'],
  ['PUT', '/v1.0/pods/x', { pod: { dc_name: 'd' } }],
  ['DELETE', '/v1.0/pods/x'],
  ['GET', '/v1.0/bindings'],
  ['POST', '/v1.0/bindings', { pod_binding: { tenant_id: 't', pod_id: 'p' } }],
  ['GET', '/v1.0/bindings/x'],
  ['DELETE', '/v1.0/bindings/x'],
  ['GET', '/v1.0/routings'],
  ['POST', '/v1.0/routings', { routing: { top_id: 'x', pod_id: 'p', resource_type: 'server' } }],
  ['POST', '/v1.0/routings/prune', { prune: { pod_id: 'p' } }],
  ['GET', '/v1.0/routings/1'],
  ['PUT', '/v1.0/routings/1', { routing: { pod_id: 'p' } }],
  ['DELETE', '/v1.0/routings/1'],
  ['GET', '/v1.0/jobs'],
  ['GET', '/v1.0/jobs/x'],
  ['POST', '/v1.0/jobs/x/retry'],
  ['DELETE', '/v1.0/jobs/x'],
];

const dir = mkdtempSync(join(tmpdir(), 'trio2o-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a member gets 403 forbidden on every admin route', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.close());
  const member = identity('p1', ['member']);
  for (const [method, path, body] of ROUTES) {
    const r = await call(`${gw.urls.admin}${path}`, { method, headers: member, body });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.match(r.body.forbidden.message, /^Policy doesn't allow admin_api:\w+:\w+ to be performed\.$/);
  }
});

test('a YAML policy file can grant pod listing to another role, and only that', async (t) => {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, `"admin_api:pods:list": "role:pod-reader or rule:admin_api"\n`);
  const gw = await startTestGateway({ policyFile: file });
  t.after(() => gw.close());
  const reader = identity('p1', ['pod-reader']);
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { headers: reader })).status, 200);
  assert.equal((await call(`${gw.urls.admin}/v1.0/bindings`, { headers: reader })).status, 403);
  assert.equal((await call(`${gw.urls.admin}/v1.0/pods`, { headers: identity('p1', ['ADMIN']) })).status, 200, 'roles are case-insensitive');
});
