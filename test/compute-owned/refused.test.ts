// Paths Nova serves that the gateway deliberately does not: Nova's own answers for a missing
// feature (410 for APIs Nova removed, 501 with the reason, 404 from the microversion Nova dropped
// them), never a bare 404, and no pod is asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { api, ADMIN_WHO } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }]);
});
after(() => cloud.close());

test('removed APIs are 410 as Nova answers them; proxies are 501 with the reason, 404 where Nova dropped them', async () => {
  const gone = await api(cloud.compute, '/proj-a/os-networks');
  assert.equal(gone.status, 410);
  assert.deepEqual(gone.body, { computeFault: { code: 410, message: 'This resource is no longer available.  No forwarding address is given.' } });
  const sg = await api(cloud.compute, '/proj-a/os-security-groups', { method: 'POST', body: { security_group: { name: 'x' } } });
  assert.equal(sg.status, 501);
  assert.match(sg.body.notImplemented.message, /Neutron/);
  assert.equal((await api(cloud.compute, '/proj-a/os-security-groups', { version: '2.36' })).status, 404);
  assert.equal((await api(cloud.compute, '/admin-project/os-aggregates/1/images', { who: ADMIN_WHO, method: 'POST', version: '2.79', body: { cache: [] } })).status, 501);
  assert.equal(cloud.pods[0]!.requests.filter((q) => /os-(networks|security)/.test(q.path)).length, 0, 'no pod was asked');
});
