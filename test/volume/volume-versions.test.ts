// Version documents (cinderclient discovery: GET / without a token, versions[].version and
// min_version) and Cinder's microversion rules against the pods' lowest maximum.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, identity } from '../support/http';
import { startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
const who = identity('proj-vv');
before(async () => {
  cloud = await startVolumeCloud([
    { topAz: 'az1', volumeMaxVersion: '3.70' },
    { topAz: 'az2', volumeMaxVersion: '3.60' },
  ]);
});
after(() => cloud.close());

test('GET / answers 300 with the v3.0 entry, no token needed, links at the gateway', async () => {
  const r = await call(`${cloud.volume}/`);
  assert.equal(r.status, 300);
  assert.equal(r.body.versions.length, 1);
  const v = r.body.versions[0];
  assert.equal(v.id, 'v3.0');
  assert.equal(v.status, 'CURRENT');
  assert.equal(v.version, '3.60', 'the lowest maximum among the pods');
  assert.equal(v.min_version, '3.0');
  assert.deepEqual(v.links.find((l: { rel: string }) => l.rel === 'self'), { rel: 'self', href: `${cloud.volume}/v3/` });
  assert.ok(r.headers.get('x-openstack-request-id')?.startsWith('req-'));
});

test('GET /v3 and /v3/ answer 200 with the same entry', async () => {
  for (const path of ['/v3', '/v3/']) {
    const r = await call(`${cloud.volume}${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(r.body.versions[0].version, '3.60');
    assert.equal(r.body.versions[0].min_version, '3.0');
  }
});

test('[volume_api] max_microversion caps what the pods allow', async () => {
  const capped = await startVolumeCloud([{ topAz: 'az1' }], { volumeMaxVersion: '3.50' });
  try {
    assert.equal((await call(`${capped.volume}/`)).body.versions[0].version, '3.50');
    const r = await call(`${capped.volume}/v3/p/volumes`, { headers: { ...identity('p'), 'openstack-api-version': 'volume 3.51' } });
    assert.equal(r.status, 406);
  } finally {
    await capped.close();
  }
});

const v = () => volumeClient(cloud, 'proj-vv', who);

const ACCEPTED: [string | undefined, string][] = [
  [undefined, '3.0'],
  ['volume 3.27', '3.27'],
  ['volume latest', '3.60'],
  ['volume 3.60', '3.60'],
  ['compute 2.1, volume 3.5', '3.5'],
];
for (const [header, expected] of ACCEPTED) {
  test(`accepts ${header ?? 'no header'} → ${expected}, echoed with Vary`, async () => {
    const r = await v()('/volumes', { headers: header ? { 'openstack-api-version': header } : {} });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('openstack-api-version'), `volume ${expected}`);
    assert.match(r.headers.get('vary') ?? '', /OpenStack-API-Version/);
  });
}

const REJECTED: [string, number, string][] = [
  ['volume 3.61', 406, 'Version 3.61 is not supported by the API. Minimum is 3.0 and maximum is 3.60.'],
  ['volume 2.0', 406, 'Version 2.0 is not supported by the API. Minimum is 3.0 and maximum is 3.60.'],
  ['volume 3.x', 400, 'API Version String 3.x is of invalid format. Must be of format MajorNum.MinorNum.'],
  ['volume 3.latest', 400, 'API Version String 3.latest is of invalid format. Must be of format MajorNum.MinorNum.'],
  ['volume 03.1', 400, 'API Version String 03.1 is of invalid format. Must be of format MajorNum.MinorNum.'],
  ['compute 2.1', 400, 'API version None is not supported on this method.'],
  ['3.5', 400, 'API version None is not supported on this method.'],
];
for (const [header, status, message] of REJECTED) {
  test(`rejects "${header}" with ${status} in Cinder's fault shape, before any pod`, async () => {
    const seen = cloud.pods.map((p) => p.requests.length);
    const r = await v()('/volumes', { headers: { 'openstack-api-version': header } });
    assert.equal(r.status, status);
    const name = status === 406 ? 'computeFault' : 'badRequest';
    assert.deepEqual(r.body, { [name]: { code: status, message } });
    assert.deepEqual(cloud.pods.map((p) => p.requests.length), seen);
  });
}

test('the negotiated version is forwarded to the pod', async () => {
  const created = await v()('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az1' } }, version: '3.48' });
  assert.equal(created.status, 202, created.text);
  assert.equal(created.headers.get('openstack-api-version'), 'volume 3.48');
  const sent = cloud.pods[0]!.requests.filter((q) => q.method === 'POST').at(-1)!;
  assert.equal(sent.headers['openstack-api-version'], 'volume 3.48');
  assert.equal('shared_targets' in created.body.volume, true, 'the pod answered at 3.48');
});
