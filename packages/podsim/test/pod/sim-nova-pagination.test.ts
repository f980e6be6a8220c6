// Marker paging of the simulated Nova: a walk visits every server once, in Nova's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { nova, startPod } from './helpers';

test('limit/marker walk sees every server once, newest first; next links use the request host', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const r = await nova(pod, '/servers', { body: { server: { name: 'pg', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, min_count: 11 } } });
  assert.equal(r.status, 202);
  const expected = [...pod.servers.values()].sort((a, b) => b.seq - a.seq).map((s) => s.id);
  const seen: string[] = [];
  let path = '/servers/detail?limit=4';
  for (let i = 0; i < 10; i++) {
    const page = await nova(pod, path, { projectInUrl: true });
    assert.equal(page.status, 200);
    seen.push(...page.body.servers.map((s: { id: string }) => s.id));
    const next = page.body.servers_links?.find((l: { rel: string }) => l.rel === 'next');
    if (!next) break;
    assert.ok(next.href.startsWith(`${pod.url}/compute/v2.1/p1/servers/detail?limit=4&marker=`), next.href);
    path = next.href.slice(`${pod.url}/compute/v2.1/p1`.length);
  }
  assert.deepEqual(seen, expected, 'no skip, no repeat, created_at desc then id desc');
});

test('unknown marker is 400; sort_key/sort_dir; bad sort key', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  for (const name of ['charlie', 'alpha', 'bravo']) {
    await nova(pod, '/servers', { body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  }
  const m = await nova(pod, '/servers?marker=nope');
  assert.equal(m.status, 400);
  assert.deepEqual(m.body, { badRequest: { code: 400, message: 'marker [nope] not found' } });
  const asc = await nova(pod, '/servers?sort_key=display_name&sort_dir=asc');
  assert.deepEqual(asc.body.servers.map((s: { name: string }) => s.name), ['alpha', 'bravo', 'charlie']);
  const page2 = await nova(pod, `/servers?sort_key=display_name&sort_dir=asc&limit=1&marker=${asc.body.servers[0].id}`);
  assert.deepEqual(page2.body.servers.map((s: { name: string }) => s.name), ['bravo']);
  assert.equal(page2.body.servers_links[0].rel, 'next');
  assert.equal((await nova(pod, '/servers?sort_key=bogus')).status, 400);
  assert.equal((await nova(pod, '/servers?limit=-1')).status, 400);
  const full = await nova(pod, '/servers?limit=3');
  assert.equal(full.body.servers.length, 3);
  assert.ok(full.body.servers_links, 'a full page carries a next link');
  assert.equal((await nova(pod, '/servers?limit=4')).body.servers_links, undefined);
});
