// A pod answering 200 with invalid JSON or an HTML page reached the client as a 200 with that body on
// show, action and create (and a create's pending routing was removed though the pod may have made
// the resource): the gateway must read these answers, so a body that is not JSON is a 502.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../support/cloud';
import { assertFault, call, identity, type Reply } from '../support/http';

let cloud: Cloud;
const who = identity('proj-html');
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }], { pods: { breakerThreshold: 100 } });
  await cloud.gw.gateway.parts.volumeVersions.refresh();
});
after(() => cloud.close());

const computeUrl = (path: string) => `${cloud.compute}/v2.1/proj-html${path}`;
const BAD = { computeFault: { code: 502, message: 'Malformed reply from pod Pod1: the body is not JSON' } };
const pending = async () => (await cloud.gw.store.routings.list({ project_id: 'proj-html', status: 'pending' })).length;
const BODIES = [
  { text: '{"server": {"id": ', contentType: 'application/json' },
  { text: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
];

const assertBad = (r: Reply) => assertFault(r, 502, BAD);

test('show and action answered 200 with a body that is not JSON: 502', async () => {
  const created = await call(computeUrl('/servers'), { method: 'POST', headers: who, body: { server: { name: 'h', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(created.status, 202, created.text);
  const id = created.body.server.id;
  for (const b of BODIES) {
    cloud.pods[0]!.inject({ kind: 'invalid_body', ...b, match: { method: 'GET', path: /\/servers\/[^/]+$/ }, times: 1 });
    assertBad(await call(computeUrl(`/servers/${id}`), { headers: who }));
    cloud.pods[0]!.inject({ kind: 'invalid_body', ...b, match: { path: /\/action$/ }, times: 1 });
    assertBad(await call(computeUrl(`/servers/${id}/action`), { method: 'POST', headers: who, body: { 'os-getConsoleOutput': {} } }));
  }
});

test('a server create answered 202 with a body that is not JSON: 502, the pending routing stays', async () => {
  for (const [i, b] of BODIES.entries()) {
    cloud.pods[0]!.inject({ kind: 'invalid_body', status: 202, ...b, match: { method: 'POST', path: /\/servers$/ }, times: 1 });
    const r = await call(computeUrl('/servers'), { method: 'POST', headers: who, body: { server: { name: 'h', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
    assertBad(r);
    // The routing_reconcile job completes it from the pod, or removes it if the pod has nothing.
    assert.equal(await pending(), i + 1);
  }
});

test('a volume show answered 200 with HTML: 502 in the fault shape', async () => {
  const created = await call(`${cloud.volume}/v3/proj-html/volumes`, { method: 'POST', headers: who, body: { volume: { size: 1 } } });
  assert.equal(created.status, 202, created.text);
  cloud.pods[0]!.inject({ kind: 'invalid_body', ...BODIES[1]!, match: { method: 'GET', path: /\/volumes\/[^/]+$/ }, times: 1 });
  assertBad(await call(`${cloud.volume}/v3/proj-html/volumes/${created.body.volume.id}`, { headers: who }));
});
