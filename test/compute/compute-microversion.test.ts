// Microversion negotiation as the original Trio2o's tested table, with the pods' maximum; the
// negotiated version is echoed (with Vary) and forwarded to the pod.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

let cloud: Cloud;
const who = identity('proj-mv');
before(async () => {
  cloud = await startCloud([{ topAz: 'az1', computeMaxVersion: '2.79' }]);
});
after(() => cloud.close());

const get = (headers: Record<string, string>) => call(`${cloud.compute}/v2.1/proj-mv/servers/detail`, { headers: { ...who, ...headers } });
const NEW = 'openstack-api-version';
const OLD = 'x-openstack-nova-api-version';

const ACCEPTED: [Record<string, string>, string][] = [
  [{}, '2.1'],
  [{ [NEW]: 'compute 2.30' }, '2.30'],
  [{ [OLD]: '2.5' }, '2.5'],
  [{ [NEW]: 'compute 2.latest' }, '2.79'],
  [{ [NEW]: 'compute latest' }, '2.79'],
  [{ [OLD]: '2.1' }, '2.1'],
  [{ [NEW]: 'compute 2.79' }, '2.79'],
  [{ [NEW]: 'compute 2.30', [OLD]: '2.5' }, '2.30'],
];

for (const [headers, expected] of ACCEPTED) {
  test(`accepts ${JSON.stringify(headers)} → ${expected}, echoes it and forwards it`, async () => {
    const before = cloud.pods[0]!.requests.length;
    const r = await get(headers);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get(NEW), `compute ${expected}`);
    assert.equal(r.headers.get(OLD), expected);
    assert.match(r.headers.get('vary') ?? '', /OpenStack-API-Version/);
  });
}

const REJECTED: Record<string, string>[] = [
  { [NEW]: 'compute a.2' },
  { [OLD]: '1.5' },
  { [NEW]: 'compute 3.2' },
  { [NEW]: 'compute 2.a' },
  { [NEW]: '2.0' },
  { [NEW]: 'compute 2.80' },
  { [NEW]: 'compute 2.0' },
  { [NEW]: 'compute2.30' },
  { [OLD]: '2' },
  { [NEW]: '2.30' },
  { [OLD]: 'compute 2.5' },
  { [NEW]: 'aa 2.30' },
  { [NEW]: 'compute 2.30 2.31' },
  { [NEW]: 'acompute 2.30' },
];

for (const headers of REJECTED) {
  test(`rejects ${JSON.stringify(headers)} with 406 computeFault`, async () => {
    const r = await get(headers);
    assert.equal(r.status, 406);
    assert.equal(r.body.computeFault.code, 406);
    assert.equal(typeof r.body.computeFault.message, 'string');
    assert.ok(r.headers.get(NEW), 'a 406 still tells the version range');
  });
}

test('the pod receives the negotiated version on a by-id call', async () => {
  const pod = cloud.pods[0]!;
  const created = await call(`${cloud.compute}/v2.1/proj-mv/servers`, {
    method: 'POST',
    headers: who,
    body: { server: { name: 'mv', flavorRef: '1', imageRef: (await import('@trio2o/podsim/image')).CIRROS_IMAGE_ID } },
  });
  assert.equal(created.status, 202, created.text);
  const id = created.body.server.id;
  await get({});
  await call(`${cloud.compute}/v2.1/proj-mv/servers/${id}`, { headers: { ...who, [NEW]: 'compute 2.47' } });
  const seen = pod.requests.filter((r) => r.path.endsWith(`/servers/${id}`)).at(-1)!;
  assert.equal(seen.headers[NEW], 'compute 2.47');
});
