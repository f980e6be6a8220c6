// Server bodies fit Tempest's per-microversion schemas (additionalProperties false).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootActive, nova, startPod } from './helpers';
import { assertServerShape } from './schema';

const VERSIONS = ['2.1', '2.3', '2.9', '2.16', '2.19', '2.26', '2.47', '2.63', '2.71', '2.73', '2.75', '2.79'];

test('show, detail and update fit the schema at every microversion, admin or not', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  for (const admin of [false, true]) {
    for (const version of VERSIONS) {
      const o = { version, admin };
      const show = await nova(pod, `/servers/${id}`, o);
      assert.equal(show.status, 200);
      assertServerShape(show.body.server, version, 'show');
      const detail = await nova(pod, '/servers/detail', o);
      assert.deepEqual(Object.keys(detail.body), ['servers']);
      assertServerShape(detail.body.servers[0], version, 'detail');
      const upd = await nova(pod, `/servers/${id}`, { ...o, method: 'PUT', body: { server: { name: 'n' } } });
      assertServerShape(upd.body.server, version, 'update');
      const list = await nova(pod, '/servers', o);
      assert.deepEqual(Object.keys(list.body.servers[0]).sort(), ['id', 'links', 'name']);
    }
  }
});

test('specific attributes by microversion and role', async (t) => {
  const pod = await startPod({ az: 'az-shape' });
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const at21 = (await nova(pod, `/servers/${id}`, { version: '2.1' })).body.server;
  assert.equal(at21['OS-EXT-SRV-ATTR:host'], undefined, 'extended attrs are admin-only');
  assert.equal(at21.locked, undefined);
  assert.equal(at21['OS-EXT-AZ:availability_zone'], 'az-shape');
  assert.deepEqual(at21.flavor, { id: '1', links: [{ rel: 'bookmark', href: `${pod.url}/compute/flavors/1` }] });
  const admin23 = (await nova(pod, `/servers/${id}`, { version: '2.3', admin: true })).body.server;
  assert.equal(admin23['OS-EXT-SRV-ATTR:launch_index'], 0);
  assert.match(admin23['OS-EXT-SRV-ATTR:instance_name'], /^instance-[0-9a-f]{8}$/);
  const at47 = (await nova(pod, `/servers/${id}`, { version: '2.47' })).body.server;
  assert.deepEqual(at47.flavor, { vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
  const at79 = (await nova(pod, `/servers/${id}`, { version: '2.79', admin: true })).body.server;
  assert.equal(at79.locked, false);
  assert.equal(at79.locked_reason, null);
  assert.equal(at79.host_status, 'UP');
  assert.deepEqual(at79.tags, []);
  assert.deepEqual(at79.server_groups, []);
  assert.equal(at79.trusted_image_certificates, null);
  assert.equal(at79.description, 'vm', 'description defaults to the name below 2.19 create');
  const user79 = (await nova(pod, `/servers/${id}`, { version: '2.79' })).body.server;
  assert.equal(user79.host_status, undefined, 'host_status is admin-only');
});
