// Names of Object.prototype members used as user-given keys (sort keys, action names, metadata and
// extra spec keys) were found by `in` on plain objects: `sort_key=constructor` sorted, an action
// named `constructor` crashed. Nova refuses or does not find them; so does the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { nova, startPod } from './helpers';

const NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];

test('prototype names are unknown sort keys, actions, metadata keys and extra specs', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const s = await nova(pod, '/servers', { body: { server: { name: 'p', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202);
  const id = s.body.server.id;
  for (const n of NAMES) {
    const list = await nova(pod, `/servers?sort_key=${n}`);
    assert.equal(list.status, 400, n);
    assert.match(list.body.badRequest.message, new RegExp(`^Invalid input for query parameters sort_key\\. Value: ${n}\\.`));
    const act = await nova(pod, `/servers/${id}/action`, { body: { [n]: {} } });
    assert.deepEqual(act.body, { badRequest: { code: 400, message: `There is no such action: ${n}` } }, n);
    const meta = await nova(pod, `/servers/${id}/metadata/${n}`);
    assert.deepEqual(meta.body, { itemNotFound: { code: 404, message: 'Metadata item was not found' } }, n);
    const spec = await nova(pod, `/flavors/1/os-extra_specs/${n}`);
    assert.deepEqual(spec.body, { itemNotFound: { code: 404, message: `Flavor 1 has no extra specs with key ${n}.` } }, n);
  }
});
