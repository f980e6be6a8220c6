// The gateway advertises only what every enabled pod serves, for compute and volume, from the
// first request on: in front of Cinder pods whose maximum is 3.70 (Cinder 21), the version
// documents and `volume latest` say 3.70 and 3.71 is refused by the gateway itself — also while
// the pods are still slow to answer discovery, and after a restart while they are down (the
// last announced ranges are kept in the store).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimPod, type SimPod } from '@trio2o/podsim';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { ADMIN, call, identity, type Reply } from '../support/http';

const dir = mkdtempSync(join(tmpdir(), 'trio2o-mv-'));
const storeUrl = `file:${join(dir, 'state.db')}`;
let pods: SimPod[];
let gw: TestGateway | undefined;
const who = identity('proj-mv');
/** Discovery reads the version documents at the endpoints' roots. */
const VERSION_DOCS = { method: 'GET', path: /^\/(compute\/v2\.1|volume)\/?$/ };

before(async () => {
  pods = await Promise.all([
    startSimPod({ name: 'Pod1', az: 'az1-internal', volumeMaxVersion: '3.70', computeMaxVersion: '2.79' }),
    startSimPod({ name: 'Pod2', az: 'az2-internal', volumeMaxVersion: '3.70', computeMaxVersion: '2.60' }),
  ]);
});
after(async () => {
  await gw?.close();
  await Promise.all(pods.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

const volumeDoc = async () => (await call(`${gw!.urls.volume}/`)).body.versions[0].version as string;
const computeDoc = async () => (await call(`${gw!.urls.compute}/v2.1`)).body.version.version as string;

test('pods slow to answer discovery: the very first requests already say 3.70 and 2.60', async () => {
  for (const p of pods) p.inject({ kind: 'delay', ms: 400, match: VERSION_DOCS });
  gw = await startTestGateway({ storeUrl, jobs: { enabled: false } });
  const top = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'RegionOne' } } });
  assert.equal(top.status, 200);
  for (const [i, p] of pods.entries()) {
    const r: Reply = await call(`${gw.urls.admin}/v1.0/pods`, {
      method: 'POST',
      headers: ADMIN,
      body: { pod: { pod_name: p.name, az_name: `az${i + 1}`, pod_az_name: p.az, endpoints: p.endpoints } },
    });
    assert.equal(r.status, 200, r.text);
  }
  // No refresh awaited here: each registration started a discovery round the requests wait for.
  assert.equal(await volumeDoc(), '3.70');
  assert.equal(await computeDoc(), '2.60');
  for (const p of pods) p.clearFaults();
});

test('volume latest resolves to 3.70; 3.71 is 406 at the gateway, no pod asked', async () => {
  const latest = await call(`${gw!.urls.volume}/v3/proj-mv/volumes`, { headers: { ...who, 'openstack-api-version': 'volume latest' } });
  assert.equal(latest.status, 200, latest.text);
  assert.equal(latest.headers.get('openstack-api-version'), 'volume 3.70');
  const over = await call(`${gw!.urls.volume}/v3/proj-mv/volumes`, { headers: { ...who, 'openstack-api-version': 'volume 3.71' } });
  assert.equal(over.status, 406, over.text);
  assert.match(over.text, /maximum is 3\.70/);
  const id = over.headers.get('x-openstack-request-id');
  assert.ok(id);
  for (const p of pods) assert.equal(p.requests.filter((q) => q.headers['x-openstack-request-id'] === id).length, 0, `${p.name} not asked`);
  const computeLatest = await call(`${gw!.urls.compute}/v2.1/proj-mv/servers`, { headers: { ...who, 'openstack-api-version': 'compute latest' } });
  assert.equal(computeLatest.headers.get('openstack-api-version'), 'compute 2.60');
});

test('a restart while every pod is down advertises the stored ranges, not the gateway ceiling', async () => {
  await gw!.close();
  for (const p of pods) p.inject({ kind: 'down' });
  gw = await startTestGateway({ storeUrl, jobs: { enabled: false } });
  assert.equal(await volumeDoc(), '3.70');
  assert.equal(await computeDoc(), '2.60');
  for (const p of pods) await p.up();
});
