// Nova and Cinder route with exact paths (the Routes library, minimization off): a collection
// with a trailing slash is 404 on the pod, the version documents keep their slash forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimPod, type SimPod } from '../../src/index';

let pod: SimPod;
before(async () => {
  pod = await startSimPod({ name: 'PodSlash', az: 'nova' });
});
after(() => pod?.close());

const headers = { 'x-auth-token': 't', 'x-project-id': 'p1', 'x-roles': 'member' };

test('collections with a trailing slash are 404; without, 200', async () => {
  for (const path of ['/compute/v2.1/p1/servers', '/compute/v2.1/p1/flavors', '/compute/v2.1/servers/detail', '/volume/v3/p1/volumes', '/volume/v3/p1/snapshots']) {
    const ok = await fetch(`${pod.url}${path}`, { headers });
    assert.equal(ok.status, 200, path);
    await ok.arrayBuffer();
    const slash = await fetch(`${pod.url}${path}/`, { headers });
    assert.equal(slash.status, 404, `${path}/`);
    await slash.arrayBuffer();
  }
});

test('version documents answer with the slash', async () => {
  for (const path of ['/compute/v2.1/', '/volume/v3/']) {
    const r = await fetch(`${pod.url}${path}`);
    assert.equal(r.status, 200, path);
    await r.arrayBuffer();
  }
});
