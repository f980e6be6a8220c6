// A list across more than ten pods calls them all at once, each call listening for the caller's
// hang-up on the request's signal: that must not raise Node's MaxListenersExceededWarning (one
// warning per list request otherwise, on stderr of a production gateway).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { call } from '../support/http';
import { as } from './helpers';

let cloud: Cloud;
const PODS = 12;
const P = 'proj-many-pods';

before(async () => {
  cloud = await startCloud(Array.from({ length: PODS }, (_, i) => ({ topAz: `az${i + 1}` })));
  // One routing of the project in every pod: the list asks all twelve.
  for (const [i, podId] of cloud.podIds.entries()) {
    const pending = await cloud.gw.store.routings.createPending(P, podId, 'server');
    await cloud.gw.store.routings.complete(pending.id, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  }
});
after(() => cloud.close());

test(`a list across ${PODS} pods raises no MaxListenersExceededWarning`, async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => void (w.name === 'MaxListenersExceededWarning' && warnings.push(w));
  process.on('warning', onWarning);
  try {
    for (let i = 0; i < 3; i++) {
      const r = await call(`${cloud.compute}/v2.1/${P}/servers/detail`, { headers: as(P) });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('x-trio2o-missing-pods'), null, 'every pod answered');
    }
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    assert.deepEqual(warnings.map((w) => w.message), []);
  } finally {
    process.off('warning', onWarning);
  }
});
