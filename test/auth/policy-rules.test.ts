// Policy rules are registered by the APIs; asking for a name nobody registered is refused instead
// of falling back to a `default` rule (`admin_api:pods:lst` used to be allowed for a member).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Policy, PolicyNotRegisteredError, type PolicyCreds } from '../../src/auth/policy';
import { API_RULES, type ApiRule } from '../../src/api/policy-rules';

const member: PolicyCreds = { userId: 'u1', projectId: 'p1', roles: ['member'], isAdmin: false };
const admin: PolicyCreds = { userId: 'a1', projectId: 'p0', roles: ['admin'], isAdmin: true };

test('an unregistered rule name throws PolicyNotRegisteredError, whoever asks', () => {
  const policy = new Policy(API_RULES);
  for (const who of [member, admin]) {
    // @ts-expect-error: the rule names are typed; a typo does not compile
    assert.throws(() => policy.enforce('admin_api:pods:lst', who), (e: unknown) => e instanceof PolicyNotRegisteredError && e.rule === 'admin_api:pods:lst');
  }
  const untyped = policy as unknown as Policy<string>;
  assert.throws(() => untyped.enforce('default', member), PolicyNotRegisteredError);
  assert.throws(() => untyped.authorize('constructor', member), PolicyNotRegisteredError);
});

test('registered rules keep their defaults: the admin API and shared catalogs need admin', () => {
  const policy = new Policy(API_RULES);
  const adminOnly: ApiRule[] = ['admin_api:pods:list', 'admin_api:routings:delete', 'os_compute_api:os-flavor-manage:create', 'volume_extension:types_manage'];
  for (const rule of adminOnly) {
    assert.equal(policy.enforce(rule, member), false, rule);
    assert.equal(policy.enforce(rule, admin), true, rule);
  }
  assert.equal(policy.enforce('os_compute_api:os-quota-sets:show', member, { project_id: 'p1' }), true);
  assert.equal(policy.enforce('os_compute_api:os-quota-sets:show', member, { project_id: 'p2' }), false);
  assert.equal(policy.enforce('os_compute_api:limits', member), true);
});

test('a policy file overrides a registered rule by name and may add rules for others to refer to', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-policy-'));
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, '"operators": "role:operator"\n"admin_api": "rule:operators or role:admin"\n');
  const policy = new Policy(API_RULES, file);
  const operator: PolicyCreds = { ...member, roles: ['operator'] };
  assert.equal(policy.enforce('admin_api:pods:create', operator), true);
  assert.equal(policy.enforce('admin_api:pods:create', member), false);
  // A rule only the file defines is not an API rule: it cannot be asked for directly.
  assert.throws(() => (policy as unknown as Policy<string>).enforce('operators', operator), PolicyNotRegisteredError);
});
