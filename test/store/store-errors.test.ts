// libSQL failures leave the store only as classified StoreErrors: callers switch on a code (and
// the violated columns), never on a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStoreError, isForeignKeyViolation, isUnavailable, isUniqueViolation, openStore, StoreError } from '../../src/store';

test('a repository write that breaks a UNIQUE constraint is TRIO2O_STORE_CONFLICT naming the columns', async (t) => {
  const store = await openStore({ url: ':memory:' });
  t.after(() => store.close());
  const flavor = { flavorid: 'f1', name: 'one', memory_mb: 1, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, is_public: true, description: null };
  await store.flavors.create(flavor);
  const byId = await store.flavors.create({ ...flavor, name: 'two' }).catch((e: unknown) => e);
  assert.ok(byId instanceof StoreError);
  assert.equal(byId.code, 'TRIO2O_STORE_CONFLICT');
  assert.deepEqual(byId.columns, ['flavors.flavorid']);
  assert.equal(isUniqueViolation(byId, 'flavors.flavorid'), true);
  assert.equal(isUniqueViolation(byId, 'flavors.name'), false);
  const byName = await store.flavors.create({ ...flavor, flavorid: 'f2' }).catch((e: unknown) => e);
  assert.equal(isUniqueViolation(byName, 'flavors.name'), true);
  assert.equal(isUnavailable(byName), false);
});

test('classification: replica write delegation, read-only file, foreign key, anything else', () => {
  const delegated = classifyStoreError(new Error('WriteDelegation(status: Unavailable, message: "tcp connect error: Connection refused (os error 111)")'));
  assert.equal(delegated.code, 'TRIO2O_STORE_UNAVAILABLE');
  assert.equal(isUnavailable(delegated), true);
  const readOnly = classifyStoreError(Object.assign(new Error('SQLITE_READONLY: attempt to write a readonly database'), { code: 'SQLITE_READONLY' }));
  assert.equal(readOnly.code, 'TRIO2O_STORE_READONLY');
  assert.equal(isUnavailable(readOnly), true);
  const fk = classifyStoreError(Object.assign(new Error('SQLITE_CONSTRAINT_FOREIGNKEY: FOREIGN KEY constraint failed'), { rawCode: 787 }));
  assert.equal(isForeignKeyViolation(fk), true);
  const other = classifyStoreError(new Error('SQLITE_ERROR: no such column: constructor'));
  assert.equal(other.code, 'TRIO2O_STORE_FAILED');
  assert.equal(isUnavailable(other) || isUniqueViolation(other), false);
  assert.equal(classifyStoreError(other), other, 'a StoreError is returned as it is');
  // A plain Error is not a StoreError: nothing outside the store is classified by its text.
  assert.equal(isUniqueViolation(new Error('UNIQUE constraint failed: flavors.name')), false);
});
