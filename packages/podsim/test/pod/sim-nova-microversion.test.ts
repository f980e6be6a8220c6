// Nova microversion negotiation and version documents of the simulated pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nova, startPod } from './helpers';

test('version documents need no token and show the configured range', async (t) => {
  const pod = await startPod({ computeMaxVersion: '2.79' });
  t.after(() => pod.close());
  const root = await fetch(`${pod.url}/compute/`);
  assert.equal(root.status, 200);
  const list = (await root.json()) as { versions: { id: string; version: string; min_version: string; links: { href: string }[] }[] };
  assert.deepEqual(list.versions.map((v) => v.id), ['v2.0', 'v2.1']);
  assert.equal(list.versions[1].version, '2.79');
  assert.equal(list.versions[1].min_version, '2.1');
  assert.equal(list.versions[1].links[0].href, `${pod.url}/compute/v2.1/`);
  for (const path of ['/compute/v2.1', '/compute/v2.1/']) {
    const r = await fetch(`${pod.url}${path}`);
    assert.equal(r.status, 200, path);
    const body = (await r.json()) as { version: { id: string; version: string } };
    assert.equal(body.version.id, 'v2.1');
    assert.equal(body.version.version, '2.79');
  }
});

test('negotiation: none, legacy, new header wins, latest, malformed, out of range', async (t) => {
  const pod = await startPod({ computeMaxVersion: '2.79' });
  t.after(() => pod.close());
  const cases: [Record<string, string>, number, string | null][] = [
    [{}, 200, '2.1'],
    [{ 'x-openstack-nova-api-version': '2.19' }, 200, '2.19'],
    [{ 'openstack-api-version': 'compute 2.47', 'x-openstack-nova-api-version': '2.19' }, 200, '2.47'],
    [{ 'openstack-api-version': 'volume 3.5, compute 2.60' }, 200, '2.60'],
    [{ 'openstack-api-version': 'volume 3.5', 'x-openstack-nova-api-version': '2.11' }, 200, '2.11'],
    [{ 'openstack-api-version': 'compute latest' }, 200, '2.79'],
    [{ 'openstack-api-version': 'compute 2.80' }, 406, '2.80'],
    [{ 'openstack-api-version': 'compute 2.0' }, 406, '2.0'],
    [{ 'openstack-api-version': 'compute 2.x' }, 400, null],
    [{ 'openstack-api-version': 'compute 02.1' }, 400, null],
  ];
  for (const [headers, status, echoed] of cases) {
    const r = await nova(pod, '/servers', { headers });
    assert.equal(r.status, status, JSON.stringify(headers));
    assert.equal(r.headers.get('openstack-api-version'), echoed === null ? null : `compute ${echoed}`);
    assert.equal(r.headers.get('x-openstack-nova-api-version'), echoed);
    if (echoed !== null) assert.equal(r.headers.get('vary'), 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  }
  const bad = await nova(pod, '/servers', { headers: { 'openstack-api-version': 'compute 2.80' } });
  assert.deepEqual(bad.body, {
    computeFault: { code: 406, message: 'Version 2.80 is not supported by the API. Minimum is 2.1 and maximum is 2.79.' },
  });
  const malformed = await nova(pod, '/servers', { headers: { 'openstack-api-version': 'compute 2.x' } });
  assert.deepEqual(malformed.body, {
    badRequest: { code: 400, message: 'API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.' },
  });
});

test('faults echo the version; no token is 401 before negotiation', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const r = await nova(pod, '/servers/does-not-exist', { version: '2.53' });
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { itemNotFound: { code: 404, message: 'Instance does-not-exist could not be found.' } });
  assert.equal(r.headers.get('openstack-api-version'), 'compute 2.53');
  assert.ok(r.headers.get('x-openstack-request-id')?.startsWith('req-'));
  const anon = await nova(pod, '/servers', { token: null });
  assert.equal(anon.status, 401);
  assert.equal(anon.body.error.code, 401);
});

test('a lower configured max is enforced', async (t) => {
  const pod = await startPod({ computeMaxVersion: '2.60' });
  t.after(() => pod.close());
  assert.equal((await nova(pod, '/servers', { version: '2.61' })).status, 406);
  const latest = await nova(pod, '/servers', { headers: { 'openstack-api-version': 'compute latest' } });
  assert.equal(latest.headers.get('openstack-api-version'), 'compute 2.60');
});
