// The volume API's body schemas answer a bad body with Cinder's fault: the rule's own sentence,
// or jsonschema's phrase after the field and its value (printed as Python prints it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import type * as v from 'valibot';
import { onError, readJson } from '../../src/http';
import {
  attachmentCreate_3_27,
  backupCreate,
  extraSpecsCreate,
  extraSpecUpdate,
  quotaSetUpdate,
  snapshotCreate,
  typeAccessAction,
  volumeCreate,
  volumeCreate_3_47,
  volumeTypeCreate,
  volumeTypeUpdate,
} from '../../src/api/volume/schemas';
import { checkBody, pyRepr } from '../../src/api/volume/validation';

/** The status and body a listener answers when `body` is checked against `schema`. */
async function answer(schema: v.GenericSchema, body: unknown): Promise<{ status: number; body: unknown }> {
  const app = new Hono();
  app.onError(onError());
  app.post('/', async (c) => c.json(checkBody(schema, await readJson(c)) as object));
  const r = await app.request('/', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: r.status, body: await r.json() };
}

const fault = (message: string) => ({ status: 400, body: { badRequest: { code: 400, message } } });

const CASES: [string, v.GenericSchema, unknown, string][] = [
  ['volume: no member', volumeCreate, { size: 1 }, "Missing required element 'volume' in request body."],
  ['volume: AZ type', volumeCreate, { volume: { availability_zone: 7 } }, "Invalid input for field/attribute availability_zone. Value: 7. 7 is not of type 'string', 'null'"],
  ['volume 3.47: backup id', volumeCreate_3_47, { volume: { backup_id: 5 } }, 'Invalid input for field/attribute backup_id. Value: 5. 5 is not valid under any of the given schemas'],
  ['snapshot: no volume', snapshotCreate, { snapshot: { name: 's' } }, "Invalid input for field/attribute snapshot. Value: {'name': 's'}. 'volume_id' is a required property"],
  ['backup: empty volume id', backupCreate, { backup: { volume_id: '' } }, "Invalid input for field/attribute volume_id. Value: . '' is too short"],
  ['attachment: server type', attachmentCreate_3_27, { attachment: { volume_uuid: 'v', instance_uuid: 7 } }, "Invalid input for field/attribute instance_uuid. Value: 7. 7 is not of type 'string'"],
  ['type: blank name', volumeTypeCreate, { volume_type: { name: '  ' } }, 'Volume type name can not be empty.'],
  ['type: description type', volumeTypeCreate, { volume_type: { name: 'n', description: false } }, "Invalid input for field/attribute description. Value: False. False is not of type 'string', 'null'"],
  ['type update: is_public', volumeTypeUpdate, { volume_type: { is_public: 'perhaps' } }, "Invalid value 'perhaps' for is_public. Accepted values: True or False."],
  ['extra specs: value type', extraSpecsCreate, { extra_specs: { a: { b: [1, null] } } }, "Invalid input for field/attribute a. Value: {'b': [1, None]}. {'b': [1, None]} is not of type 'string'"],
  ['extra specs: key length', extraSpecsCreate, { extra_specs: { ['k'.repeat(256)]: 'v' } }, `Invalid input for field/attribute extra_specs. Value: {'${'k'.repeat(256)}': 'v'}. Additional properties are not allowed ('${'k'.repeat(256)}' was unexpected)`],
  ['extra spec: URI mismatch', extraSpecUpdate('a'), { b: '1' }, 'Request body and URI mismatch'],
  ['extra spec: null body (was a 500)', extraSpecUpdate('a'), null, 'Request body and URI mismatch'],
  ['type access: no project', typeAccessAction('addProjectAccess'), { addProjectAccess: {} }, "Invalid input for field/attribute addProjectAccess. Value: {}. 'project' is a required property"],
  ['quota set: value first', quotaSetUpdate(new Set(['volumes'])), { quota_set: { wings: 1, volumes: 'many' } }, 'volumes must be an integer'],
  ['quota set: minimum', quotaSetUpdate(new Set(['volumes'])), { quota_set: { volumes: -2 } }, 'volumes must be >= -1'],
  ['quota set: bad keys together', quotaSetUpdate(new Set(['volumes'])), { quota_set: { wings: 1, volumes: 2, fins: 3 } }, 'Bad key(s) in quota set: wings, fins'],
];

for (const [name, schema, body, message] of CASES) {
  test(`${name} → 400 "${message.slice(0, 60)}"`, async () => {
    assert.deepEqual(await answer(schema, body), fault(message));
  });
}

test('a good body passes with what the handlers read; unchecked fields pass through', async () => {
  assert.deepEqual((await answer(volumeCreate, { volume: { size: 1, backup_id: 5 } })).body, { volume: { size: 1, backup_id: 5 } }, 'backup_id is not read before 3.47');
  assert.deepEqual((await answer(volumeTypeCreate, { volume_type: { name: ' gold ', extra_specs: { n: 1, b: true } } })).body, {
    volume_type: { name: 'gold', extra_specs: { n: '1', b: 'true' } },
  });
  assert.deepEqual((await answer(quotaSetUpdate(new Set(['volumes'])), { quota_set: { id: 'p', volumes: '5' } })).body, { volumes: 5 });
});

test("values print as Python's repr", () => {
  assert.equal(pyRepr({ a: [true, null, 1.5, "it's"] }), `{'a': [True, None, 1.5, "it's"]}`);
});
