// Server sub-resources of the simulated Nova: metadata, ips, tags, instance actions,
// os-interface and os-volume_attachments through the pod's volume service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimPod } from '@trio2o/podsim';
import { bootActive, nova, startPod, waitFor } from './helpers';

/**
 * An available volume of `project` in the pod: created through the pod's Cinder API when
 * the real volume simulator is mounted, else seeded into the placeholder's state.
 */
async function availableVolume(pod: SimPod, project: string): Promise<string> {
  const r = await fetch(`${pod.url}/volume/v3/${project}/volumes`, {
    method: 'POST',
    headers: { 'x-auth-token': 't', 'x-project-id': project, 'content-type': 'application/json' },
    body: JSON.stringify({ volume: { size: 1, name: 'v' } }),
  });
  if (r.status === 202) {
    const id: string = ((await r.json()) as { volume: { id: string } }).volume.id;
    await waitFor(() => (pod.volumes.get(id) as { status?: string } | undefined)?.status === 'available');
    return id;
  }
  await r.body?.cancel();
  const id = '11111111-2222-3333-4444-555555555555';
  pod.volumes.set(id, { id, name: 'v', status: 'available', size: 1, availability_zone: pod.az, project_id: project, attachments: [] } as never);
  return id;
}

test('metadata: set, merge, replace, one key', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const base = `/servers/${id}/metadata`;
  assert.deepEqual((await nova(pod, base, { body: { metadata: { a: '1' } } })).body, { metadata: { a: '1' } });
  assert.deepEqual((await nova(pod, base, { body: { metadata: { b: '2' } } })).body, { metadata: { a: '1', b: '2' } });
  assert.deepEqual((await nova(pod, `${base}/b`)).body, { meta: { b: '2' } });
  assert.deepEqual((await nova(pod, `${base}/c`, { method: 'PUT', body: { meta: { c: '3' } } })).body, { meta: { c: '3' } });
  assert.equal((await nova(pod, `${base}/c`, { method: 'PUT', body: { meta: { d: '3' } } })).status, 400);
  assert.deepEqual((await nova(pod, base, { method: 'PUT', body: { metadata: { z: '9' } } })).body, { metadata: { z: '9' } });
  assert.equal((await nova(pod, `${base}/z`, { method: 'DELETE' })).status, 204);
  const missing = await nova(pod, `${base}/z`);
  assert.deepEqual(missing.body, { itemNotFound: { code: 404, message: 'Metadata item was not found' } });
  assert.deepEqual((await nova(pod, base)).body, { metadata: {} });
});

test('ips, os-interface, tags at 2.26', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const ips = (await nova(pod, `/servers/${id}/ips`)).body;
  assert.deepEqual(Object.keys(ips.addresses), ['private']);
  assert.deepEqual(Object.keys(ips.addresses.private[0]).sort(), ['addr', 'version']);
  assert.deepEqual((await nova(pod, `/servers/${id}/ips/private`)).body, { private: ips.addresses.private });
  assert.equal((await nova(pod, `/servers/${id}/ips/public`)).status, 404);
  assert.deepEqual((await nova(pod, `/servers/${id}/os-interface`)).body, { interfaceAttachments: [] });
  const v = { version: '2.26' };
  assert.equal((await nova(pod, `/servers/${id}/tags`)).status, 404, 'tags need 2.26');
  const put = await nova(pod, `/servers/${id}/tags/red`, { ...v, method: 'PUT' });
  assert.equal(put.status, 201);
  assert.match(put.headers.get('location') ?? '', /\/servers\/.+\/tags\/red$/);
  assert.equal((await nova(pod, `/servers/${id}/tags/red`, { ...v, method: 'PUT' })).status, 204);
  assert.deepEqual((await nova(pod, `/servers/${id}/tags`, { ...v, method: 'PUT', body: { tags: ['a', 'b'] } })).body, { tags: ['a', 'b'] });
  assert.equal((await nova(pod, `/servers/${id}/tags/a`, v)).status, 204);
  assert.equal((await nova(pod, `/servers/${id}/tags/red`, v)).status, 404);
  assert.deepEqual((await nova(pod, `/servers?tags=a,b`, v)).body.servers.map((s: { id: string }) => s.id), [id]);
  assert.deepEqual((await nova(pod, `/servers/${id}`, v)).body.server.tags, ['a', 'b']);
});

test('instance actions list and show per microversion', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  await nova(pod, `/servers/${id}/action`, { body: { 'os-stop': null } });
  const l21 = await nova(pod, `/servers/${id}/os-instance-actions`);
  assert.deepEqual(l21.body.instanceActions.map((a: { action: string }) => a.action), ['stop', 'create']);
  assert.deepEqual(Object.keys(l21.body.instanceActions[0]).sort(),
    ['action', 'instance_uuid', 'message', 'project_id', 'request_id', 'start_time', 'user_id']);
  const l58 = await nova(pod, `/servers/${id}/os-instance-actions?limit=1`, { version: '2.58' });
  assert.ok('updated_at' in l58.body.instanceActions[0]);
  assert.equal(l58.body.links[0].rel, 'next');
  const rid = l21.body.instanceActions[1].request_id;
  const s21 = await nova(pod, `/servers/${id}/os-instance-actions/${rid}`);
  assert.equal(s21.body.instanceAction.events, undefined, 'events are admin-only before 2.51');
  const s62 = await nova(pod, `/servers/${id}/os-instance-actions/${rid}`, { version: '2.62' });
  assert.deepEqual(Object.keys(s62.body.instanceAction.events[0]).sort(), ['event', 'finish_time', 'hostId', 'result', 'start_time']);
  assert.equal((await nova(pod, `/servers/${id}/os-instance-actions/req-nope`)).status, 404);
});

test('volume attachments go through the pod volume service', async (t) => {
  // Transitions long enough that the states in between can be seen on a busy machine.
  const pod = await startPod({ transitionMs: 200 });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const volId = await availableVolume(pod, 'p1');
  const unknown = await nova(pod, `/servers/${id}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: 'nope' } } });
  assert.deepEqual(unknown.body, { itemNotFound: { code: 404, message: 'Volume nope could not be found.' } });
  const att = await nova(pod, `/servers/${id}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: volId } }, version: '2.79' });
  assert.equal(att.status, 200);
  assert.deepEqual(att.body.volumeAttachment, { device: '/dev/vdb', serverId: id, volumeId: volId, id: volId, tag: null, delete_on_termination: false });
  // Reserved by nova-api, attaching then in-use once the compute is done (Cinder's attachments API).
  const seen = new Set<string>();
  await waitFor(() => (seen.add((pod.volumes.get(volId) as { status: string }).status), seen.has('in-use')));
  assert.ok(seen.has('reserved') || seen.has('attaching'), [...seen].join(','));
  const list = await nova(pod, `/servers/${id}/os-volume_attachments`);
  assert.deepEqual(list.body, { volumeAttachments: [{ device: '/dev/vdb', serverId: id, volumeId: volId, id: volId }] });
  const show = (await nova(pod, `/servers/${id}`, { version: '2.3' })).body.server;
  assert.deepEqual(show['os-extended-volumes:volumes_attached'], [{ id: volId, delete_on_termination: false }]);
  assert.equal((await nova(pod, `/servers/${id}/os-volume_attachments/${volId}`, { method: 'DELETE' })).status, 202);
  // detaching until the compute has detached it; the BDM stays listed until then.
  assert.equal((pod.volumes.get(volId) as { status: string }).status, 'detaching');
  await waitFor(() => (pod.volumes.get(volId) as { status: string }).status === 'available');
  assert.equal((await nova(pod, `/servers/${id}/os-volume_attachments/${volId}`)).status, 404);
});
