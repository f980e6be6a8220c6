// Volume transfer and group lists are put together from the tenant's pods, newest first; a pod
// without the API (the simulator has neither) is named as missing rather than failing the list
// (Horizon lists both on its Volumes page); paging across pods answers 400; volume-transfers is
// 3.55+, groups 3.13+.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { identity } from '../support/http';
import { availableVolume, startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
});
after(() => cloud.close());

const transfer = (id: string, created: string) => ({ id, created_at: created, name: `t-${id}`, volume_id: `v-${id}`, links: [] });

test('transfers from both pods, newest first; pods that answer 404 are named missing', async () => {
  const v = volumeClient(cloud, 'proj-tr', identity('proj-tr'));
  await availableVolume(v, { size: 1, availability_zone: 'az1' });
  await availableVolume(v, { size: 1, availability_zone: 'az2' });
  const none = await v('/os-volume-transfer/detail');
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.body, { transfers: [] });
  assert.equal(none.headers.get('x-trio2o-missing-pods'), 'Pod1;reason=status_404;shown=skipped, Pod2;reason=status_404;shown=skipped');

  cloud.pods[0]!.inject({ kind: 'status', status: 200, raw: JSON.stringify({ transfers: [transfer('a', '2026-01-01T00:00:00.000000'), transfer('c', '2026-03-01T00:00:00.000000')] }), match: { path: /os-volume-transfer\/detail/ }, times: 1 });
  cloud.pods[1]!.inject({ kind: 'status', status: 200, raw: JSON.stringify({ transfers: [transfer('b', '2026-02-01T00:00:00.000000')] }), match: { path: /os-volume-transfer\/detail/ }, times: 1 });
  const both = await v('/os-volume-transfer/detail');
  assert.equal(both.status, 200, both.text);
  assert.deepEqual(both.body.transfers.map((t: { id: string }) => t.id), ['c', 'b', 'a']);
  assert.equal(both.headers.get('x-trio2o-missing-pods'), null);
});

test('limit and marker answer 400; volume-transfers needs 3.55, groups 3.13', async () => {
  const v = volumeClient(cloud, 'proj-tr2', identity('proj-tr2'));
  const paged = await v('/os-volume-transfer?limit=1');
  assert.equal(paged.status, 400);
  assert.deepEqual(paged.body, { badRequest: { code: 400, message: 'Paging volume transfers across pods is not supported (limit).' } });
  assert.equal((await v('/volume-transfers', { version: '3.54' })).status, 404);
  const r = await v('/volume-transfers', { version: '3.55' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { transfers: [] });
  assert.equal((await v('/groups/detail', { version: '3.12' })).status, 404);
  assert.deepEqual((await v('/groups/detail', { version: '3.13' })).body, { groups: [] });
  assert.deepEqual((await v('/groups?marker=x', { version: '3.13' })).body, { badRequest: { code: 400, message: 'Paging volume groups across pods is not supported (marker).' } });
});

test('groups from both pods of the tenant', async () => {
  const v = volumeClient(cloud, 'proj-gr', identity('proj-gr'));
  await availableVolume(v, { size: 1, availability_zone: 'az1' });
  await availableVolume(v, { size: 1, availability_zone: 'az2' });
  cloud.pods[1]!.inject({ kind: 'status', status: 200, raw: JSON.stringify({ groups: [{ id: 'g2', name: 'two', created_at: '2026-02-01T00:00:00.000000' }] }), match: { path: /groups\/detail/ }, times: 1 });
  const r = await v('/groups/detail', { version: '3.13' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { groups: [{ id: 'g2', name: 'two', created_at: '2026-02-01T00:00:00.000000' }] });
  assert.equal(r.headers.get('x-trio2o-missing-pods'), 'Pod1;reason=status_404;shown=skipped');
});
