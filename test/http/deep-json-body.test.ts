// `POST /servers` with a JSON body nested ~5,000 levels deep (30-50 KB) answered 500: the re-serialized
// body overflowed the stack. Nova's and Cinder's bodies are under 10 levels deep; a body nested deeper
// than MAX_JSON_DEPTH is refused with 400 at the edge, before anything walks it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { assertFault, call, identity, ADMIN, type Reply } from '../support/http';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from '../../src/http';

const who = identity('proj-deep');
const DEEP = { badRequest: { code: 400, message: `Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.` } };
let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
  await cloud.gw.gateway.parts.volumeVersions.refresh();
});
after(() => cloud.close());

/** `{"a": {"a": ... {"a": 1} ...}}` with `depth` objects, as text (JSON.stringify would recurse). */
function nested(depth: number, open = '{"a":', close = '}'): string {
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

const assertDeep = (r: Reply) => assertFault(r, 400, DEEP);

test('a server create nested 5,000 levels deep is a 400, no pod is asked', async () => {
  const posts = cloud.pods[0]!.requests.length;
  const raw = `{"server": {"name": "d", "flavorRef": "1", "imageRef": "${CIRROS_IMAGE_ID}", "metadata": ${nested(5000)}}}`;
  const r = await call(`${cloud.compute}/v2.1/proj-deep/servers`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, raw });
  assertDeep(r);
  assert.equal(r.headers.get('openstack-api-version'), 'compute 2.1');
  assert.equal(cloud.pods[0]!.requests.length, posts);
  const arrays = await call(`${cloud.compute}/v2.1/proj-deep/servers`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, raw: nested(5000, '[', ']') });
  assertDeep(arrays);
});

test('volume create, a peeked action body and an admin body nested too deep: 400 on every listener', async () => {
  assertDeep(await call(`${cloud.volume}/v3/proj-deep/volumes`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, raw: `{"volume": ${nested(100)}}` }));
  const s = await call(`${cloud.compute}/v2.1/proj-deep/servers`, { method: 'POST', headers: who, body: { server: { name: 'ok', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202, s.text);
  const attach = await call(`${cloud.compute}/v2.1/proj-deep/servers/${s.body.server.id}/os-volume_attachments`, {
    method: 'POST', headers: { ...who, 'content-type': 'application/json' }, raw: `{"volumeAttachment": ${nested(1000)}}`,
  });
  assertDeep(attach);
  assertDeep(await call(`${cloud.admin}/v1.0/pods`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, raw: `{"pod": ${nested(64)}}` }));
});

// Found by the hostile-input suite: a body forwarded as sent (no peek) reached the pod, which
// answered 500 on parsing it.
test('a body the gateway forwards without parsing (a server action) is refused the same way; the pod is not asked', async () => {
  const s = await call(`${cloud.compute}/v2.1/proj-deep/servers`, { method: 'POST', headers: who, body: { server: { name: 'fw', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202, s.text);
  const seen = cloud.pods[0]!.requests.length;
  assertDeep(await call(`${cloud.compute}/v2.1/proj-deep/servers/${s.body.server.id}/action`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, raw: `{"os-stop": ${nested(5000)}}` }));
  assert.equal(cloud.pods[0]!.requests.length, seen);
});

test('depth is counted on the text: nesting at the bound passes, brackets inside strings do not count', () => {
  assert.equal(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH), false);
  assert.equal(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), true);
  assert.equal(jsonDepthExceeds(`{"a": "${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`, MAX_JSON_DEPTH), false);
  assert.equal(jsonDepthExceeds('[[[["\\\\"]]]]', 3), true);
});
