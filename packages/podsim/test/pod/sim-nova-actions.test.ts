// Server actions of the simulated Nova: transitions, Nova's 409 state checks, lock, resize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootActive, nova, startPod, waitFor, waitStatus } from './helpers';

const act = (pod: Parameters<typeof nova>[0], id: string, body: unknown, o = {}) => nova(pod, `/servers/${id}/action`, { body, ...o });

test('stop/start with Nova conflicts', async (t) => {
  const pod = await startPod({ transitionMs: 150 });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const c = await act(pod, id, { 'os-start': null });
  assert.equal(c.status, 409);
  assert.deepEqual(c.body, { conflictingRequest: { code: 409, message: `Cannot 'start' instance ${id} while it is in vm_state active` } });
  assert.equal((await act(pod, id, { 'os-stop': null }, { projectInUrl: true })).status, 202, 'project-prefixed route');
  const busy = await act(pod, id, { 'os-stop': null });
  assert.equal(busy.status, 409);
  assert.match(busy.body.conflictingRequest.message, /task_state powering-off/);
  await waitStatus(pod, id, 'SHUTOFF');
  assert.equal((await act(pod, id, { 'os-start': null })).status, 202);
  await waitStatus(pod, id, 'ACTIVE');
});

test('pause, suspend, reboot, shelve cycles', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const steps: [unknown, string][] = [
    [{ pause: null }, 'PAUSED'], [{ unpause: null }, 'ACTIVE'], [{ suspend: null }, 'SUSPENDED'],
    [{ resume: null }, 'ACTIVE'], [{ reboot: { type: 'HARD' } }, 'ACTIVE'],
    // Nova's default shelved_offload_time = 0: shelve ends offloaded, never resting in SHELVED.
    [{ shelve: null }, 'SHELVED_OFFLOADED'], [{ unshelve: null }, 'ACTIVE'],
  ];
  for (const [body, status] of steps) {
    const r = await act(pod, id, body);
    assert.equal(r.status, 202, JSON.stringify(body));
    await waitStatus(pod, id, status);
  }
  const bad = await act(pod, id, { reboot: { type: 'WARM' } });
  assert.equal(bad.status, 400);
  assert.equal((await act(pod, id, { unpause: null })).status, 409);
  const unknown = await act(pod, id, { fly: null });
  assert.deepEqual(unknown.body, { badRequest: { code: 400, message: 'There is no such action: fly' } });
  const actions = await nova(pod, `/servers/${id}/os-instance-actions`);
  if (actions.status === 200) {
    assert.deepEqual(actions.body.instanceActions.map((a: { action: string }) => a.action).reverse(),
      ['create', 'pause', 'unpause', 'suspend', 'resume', 'reboot', 'shelve', 'unshelve']);
  }
  assert.deepEqual(pod.servers.get(id)?.actions.map((a) => a.action),
    ['create', 'pause', 'unpause', 'suspend', 'resume', 'reboot', 'shelve', 'unshelve']);
});

test('lock blocks the owner but not admin; locked_reason at 2.73', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  assert.equal((await act(pod, id, { lock: { locked_reason: 'maintenance' } }, { version: '2.73' })).status, 202);
  const s = (await nova(pod, `/servers/${id}`, { version: '2.73' })).body.server;
  assert.equal(s.locked, true);
  assert.equal(s.locked_reason, 'maintenance');
  const denied = await act(pod, id, { 'os-stop': null });
  assert.deepEqual(denied.body, { conflictingRequest: { code: 409, message: `Instance ${id} is locked` } });
  assert.equal((await nova(pod, `/servers/${id}`, { method: 'DELETE' })).status, 409);
  assert.equal((await act(pod, id, { 'os-stop': null }, { admin: true })).status, 202);
  assert.equal((await act(pod, id, { unlock: null })).status, 202);
  assert.equal((await nova(pod, `/servers/${id}`, { version: '2.9' })).body.server.locked, false);
});

test('resize to VERIFY_RESIZE, confirm and revert; rebuild; createImage', async (t) => {
  // Transitions long enough that "one snapshot at a time" is observable on a loaded machine.
  const pod = await startPod({ transitionMs: 300 });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const same = await act(pod, id, { resize: { flavorRef: '1' } });
  assert.equal(same.body.badRequest.message, 'When resizing, instances must change flavor!');
  assert.equal((await act(pod, id, { confirmResize: null })).status, 409);
  assert.equal((await act(pod, id, { resize: { flavorRef: '2' } })).status, 202);
  await waitStatus(pod, id, 'VERIFY_RESIZE');
  assert.equal((await act(pod, id, { revertResize: null })).status, 202);
  await waitStatus(pod, id, 'ACTIVE');
  assert.equal(pod.servers.get(id)?.flavor.id, '1');
  await act(pod, id, { resize: { flavorRef: '3' } });
  await waitStatus(pod, id, 'VERIFY_RESIZE');
  assert.equal((await act(pod, id, { confirmResize: null })).status, 204);
  assert.equal(pod.servers.get(id)?.flavor.name, 'm1.medium');
  // The compute confirms after the 204: ACTIVE comes a transition later.
  await waitStatus(pod, id, 'ACTIVE');
  const rb = await act(pod, id, { rebuild: { imageRef: pod.images.keys().next().value, name: 'rebuilt' } }, { version: '2.79' });
  assert.equal(rb.status, 202);
  assert.equal(rb.body.server.status, 'REBUILD');
  assert.equal(rb.body.server.name, 'rebuilt');
  assert.ok(rb.body.server.adminPass);
  await waitStatus(pod, id, 'ACTIVE');
  const img = await act(pod, id, { createImage: { name: 'snap' } }, { version: '2.45' });
  assert.equal(img.status, 202);
  assert.ok(pod.images.has(img.body.image_id));
  const busy = await act(pod, id, { createImage: { name: 'snap2' } });
  assert.match(busy.body.conflictingRequest.message, /task_state image_snapshot/, 'one snapshot at a time');
  await waitFor(() => pod.servers.get(id)?.taskState === null);
  const old = await act(pod, id, { createImage: { name: 'snap2' } });
  assert.equal(old.status, 202);
  assert.match(old.headers.get('location') ?? '', /\/image\/v2\/images\//);
});

test('resetState is admin-only; console output; security groups', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const denied = await act(pod, id, { 'os-resetState': { state: 'error' } });
  assert.equal(denied.status, 403);
  assert.equal((await act(pod, id, { 'os-resetState': { state: 'error' } }, { admin: true })).status, 202);
  assert.equal((await nova(pod, `/servers/${id}`)).body.server.status, 'ERROR');
  const out = await act(pod, id, { 'os-getConsoleOutput': { length: 2 } });
  assert.equal(out.status, 200);
  assert.equal(out.body.output.split('\n').length, 2);
  assert.equal((await act(pod, id, { addSecurityGroup: { name: 'web' } })).status, 202);
  const sg = (await nova(pod, `/servers/${id}`)).body.server.security_groups;
  assert.deepEqual(sg, [{ name: 'default' }, { name: 'web' }]);
  assert.equal((await act(pod, id, { removeSecurityGroup: { name: 'nope' } })).status, 400);
  assert.equal((await act(pod, id, { forceDelete: null })).status, 202);
  assert.equal((await nova(pod, `/servers/${id}`)).status, 404);
});
