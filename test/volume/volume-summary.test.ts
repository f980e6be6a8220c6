// GET /volumes/summary (3.12) is summed over the tenant's pods (metadata merged from 3.36);
// before 3.12 it is a volume id nobody has (404), as in Cinder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { identity } from '../support/http';
import { availableVolume, startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

test('summary sums count, size and metadata over both pods; a missing pod is named, never a 500', async () => {
  const v = volumeClient(cloud, 'proj-sum', identity('proj-sum'));
  await availableVolume(v, { size: 2, availability_zone: 'az1', metadata: { tier: 'gold' } });
  await availableVolume(v, { size: 3, availability_zone: 'az2', metadata: { tier: 'silver' } });
  assert.equal((await v('/volumes/summary', { version: '3.11' })).status, 404);
  const r = await v('/volumes/summary', { version: '3.36' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body['volume-summary'].total_count, 2);
  assert.equal(r.body['volume-summary'].total_size, 5);
  assert.deepEqual(r.body['volume-summary'].metadata.tier.sort(), ['gold', 'silver']);
  const old = await v('/volumes/summary', { version: '3.12' });
  assert.equal(old.body['volume-summary'].metadata, undefined);
  cloud.pods[1]!.inject({ kind: 'status', status: 503, match: { path: /summary/ }, times: 1 });
  const partial = await v('/volumes/summary', { version: '3.12' });
  assert.equal(partial.status, 200);
  assert.deepEqual(partial.body['volume-summary'], { total_size: 2, total_count: 1 });
  assert.equal(partial.headers.get('x-trio2o-missing-pods'), 'Pod2;reason=status_503;shown=skipped');
});

// A pod answering 200 with a body that is not JSON used to turn the whole summary into a 500.
test('a pod answering 200 with a body that is not JSON is a missing pod with reason bad_response', async () => {
  const v = volumeClient(cloud, 'proj-bad', identity('proj-bad'));
  await availableVolume(v, { size: 4, availability_zone: 'az1' });
  await availableVolume(v, { size: 6, availability_zone: 'az2' });
  cloud.pods[1]!.inject({ kind: 'status', status: 200, raw: '<html>upstream proxy error</html>', match: { path: /summary/ }, times: 1 });
  const r = await v('/volumes/summary', { version: '3.12' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { 'volume-summary': { total_size: 4, total_count: 1 } });
  assert.equal(r.headers.get('x-trio2o-missing-pods'), 'Pod2;reason=bad_response;shown=skipped');
});
