// Images through the top region's Glance (Nova's proxy shape, detail really detailed, 404 from
// 2.36), aggregates kept at the top with one per pod, and availability zones from the pods.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type Cloud } from '../support/cloud';
import { call, ADMIN } from '../support/http';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, ADMIN_WHO, keysOf } from './support';

let cloud: Cloud;
let glance: string;
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }, { topAz: 'az2' }, { topAz: 'az2' }]);
  // The top region's Glance: Pod1's image service stands in for RegionOne's.
  glance = cloud.pods[0]!.endpoints.image;
  const pods = await call(`${cloud.admin}/v1.0/pods`, { headers: ADMIN });
  const top = pods.body.pods.find((p: any) => p.az_name === '');
  const r = await call(`${cloud.admin}/v1.0/pods/${top.pod_id}`, { method: 'PUT', headers: ADMIN, body: { pod: { endpoints: { image: glance } } } });
  assert.equal(r.status, 200, r.text);
});
after(() => cloud.close());

const IMAGE_KEYS = ['OS-EXT-IMG-SIZE:size', 'created', 'id', 'links', 'metadata', 'minDisk', 'minRam', 'name', 'progress', 'status', 'updated'];

test('images: brief list, detailed detail (the original returned brief), show in Nova\'s shape', async () => {
  const list = await api(cloud.compute, '/proj-a/images');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.images.length, 3);
  const cirros = list.body.images.find((i: any) => i.id === CIRROS_IMAGE_ID);
  assert.deepEqual(keysOf(cirros), ['id', 'links', 'name']);
  assert.deepEqual(cirros.links, [
    { rel: 'self', href: `${cloud.compute}/v2.1/proj-a/images/${CIRROS_IMAGE_ID}` },
    { rel: 'bookmark', href: `${cloud.compute}/proj-a/images/${CIRROS_IMAGE_ID}` },
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${glance}/images/${CIRROS_IMAGE_ID}` },
  ]);
  const detail = await api(cloud.compute, '/proj-a/images/detail');
  for (const i of detail.body.images) assert.deepEqual(keysOf(i), IMAGE_KEYS);
  const show = await api(cloud.compute, `/proj-a/images/${CIRROS_IMAGE_ID}`, { version: '2.35' });
  assert.deepEqual({ ...show.body.image, links: undefined }, {
    id: CIRROS_IMAGE_ID, name: 'cirros-0.6.2-x86_64-disk', minRam: 0, minDisk: 0, status: 'ACTIVE', progress: 100, 'OS-EXT-IMG-SIZE:size': 21430272,
    created: '2024-01-01T00:00:00Z', updated: '2024-01-01T00:00:00Z', metadata: { hw_rng_model: 'virtio', owner_specified_openstack_object: 'image' }, links: undefined,
  });
  const glanceCalls = cloud.pods[0]!.requests.filter((q) => q.path.startsWith('/image/v2/images'));
  assert.ok(glanceCalls.length >= 3, 'answered by the top Glance');
  assert.equal(cloud.pods[1]!.requests.filter((q) => q.path.startsWith('/image')).length, 0);
});

test('images: filters mapped for Glance, minRam/minDisk as at-least filters, 404s', async () => {
  const named = await api(cloud.compute, '/proj-a/images?name=fedora-coreos&status=ACTIVE');
  assert.deepEqual(named.body.images.map((i: any) => i.name), ['fedora-coreos']);
  const sent = cloud.pods[0]!.requests.filter((q) => q.path.startsWith('/image/v2/images')).at(-1)!;
  assert.deepEqual(sent.query, { name: 'fedora-coreos', status: 'active' });
  await api(cloud.compute, '/proj-a/images?server=http://x/servers/abc&type=snapshot&property-os_distro=fedora&changes-since=2024-01-01T00:00:00Z');
  assert.deepEqual(cloud.pods[0]!.requests.filter((q) => q.path.startsWith('/image/v2/images')).at(-1)!.query, {
    instance_uuid: 'abc', image_type: 'snapshot', os_distro: 'fedora', updated_at: 'gte:2024-01-01T00:00:00Z',
  });
  const big = await api(cloud.compute, '/proj-a/images/detail?minRam=256&minDisk=2');
  assert.deepEqual(big.body.images.map((i: any) => i.name), ['ubuntu-22.04-server']);
  const paged = await api(cloud.compute, '/proj-a/images?limit=1');
  assert.equal(paged.body.images.length, 1);
  assert.equal(paged.body.images_links[0].rel, 'next');
  assert.deepEqual((await api(cloud.compute, '/proj-a/images/00000000-0000-0000-0000-000000000000')).body, { itemNotFound: { code: 404, message: 'Image not found.' } });
  const gone = await api(cloud.compute, `/proj-a/images/${CIRROS_IMAGE_ID}`, { version: '2.36' });
  assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
  assert.equal((await api(cloud.compute, '/proj-a/images', { version: '2.36' })).status, 404);
});

test('availability zones: the pods\' top AZs, deduplicated; a zone whose pods are all disabled is unavailable', async () => {
  const r = await api(cloud.compute, '/proj-a/os-availability-zone');
  assert.deepEqual(r.body, {
    availabilityZoneInfo: [
      { zoneName: 'az1', zoneState: { available: true }, hosts: null },
      { zoneName: 'az2', zoneState: { available: true }, hosts: null },
    ],
  });
  assert.equal((await api(cloud.compute, '/proj-a/os-availability-zone/detail')).status, 403, 'detail is admin only');
  await call(`${cloud.admin}/v1.0/pods/${cloud.podIds[0]}`, { method: 'PUT', headers: ADMIN, body: { pod: { enabled: false } } });
  try {
    const after = await api(cloud.compute, '/proj-a/os-availability-zone');
    assert.deepEqual(after.body.availabilityZoneInfo, [
      { zoneName: 'az2', zoneState: { available: true }, hosts: null },
      { zoneName: 'az1', zoneState: { available: false }, hosts: null },
    ]);
  } finally {
    await call(`${cloud.admin}/v1.0/pods/${cloud.podIds[0]}`, { method: 'PUT', headers: ADMIN, body: { pod: { enabled: true } } });
  }
});

test('aggregates: admin only; one per pod appears automatically; CRUD, set_metadata, uuid from 2.41', async () => {
  const denied = await api(cloud.compute, '/proj-a/os-aggregates');
  assert.deepEqual(denied.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-aggregates:index to be performed." } });
  assert.equal((await api(cloud.compute, '/proj-a/os-aggregates', { method: 'POST', body: { aggregate: { name: 'x' } } })).status, 403);
  const list = await api(cloud.compute, '/admin-project/os-aggregates', { who: ADMIN_WHO });
  assert.deepEqual(list.body.aggregates.map((a: any) => [a.name, a.availability_zone]), [['ag_Pod1', 'az1'], ['ag_Pod2', 'az2'], ['ag_Pod3', 'az2']]);
  assert.deepEqual(keysOf(list.body.aggregates[0]), ['availability_zone', 'created_at', 'deleted', 'deleted_at', 'hosts', 'id', 'metadata', 'name', 'updated_at']);
  const podAgg = list.body.aggregates[0];
  assert.equal((await api(cloud.compute, `/admin-project/os-aggregates/${podAgg.id}`, { who: ADMIN_WHO, method: 'DELETE' })).status, 400, 'a pod aggregate stays');

  assert.deepEqual((await api(cloud.compute, '/admin-project/os-aggregates', { who: ADMIN_WHO, method: 'POST', body: { aggregate: { name: 'gpu', availability_zone: 'az1' } } })).body, {
    badRequest: { code: 400, message: "Cannot create aggregate gpu. Reason: availability zone az1 is the zone of a pod; an aggregate's zone needs a name of its own." },
  });
  const mk = await api(cloud.compute, '/admin-project/os-aggregates', { who: ADMIN_WHO, version: '2.41', method: 'POST', body: { aggregate: { name: 'gpu', availability_zone: 'gpu-zone' } } });
  assert.equal(mk.status, 200, mk.text);
  assert.deepEqual(keysOf(mk.body.aggregate), ['availability_zone', 'created_at', 'deleted', 'deleted_at', 'id', 'name', 'updated_at', 'uuid']);
  const id = mk.body.aggregate.id;
  assert.deepEqual((await api(cloud.compute, '/admin-project/os-aggregates', { who: ADMIN_WHO, method: 'POST', body: { aggregate: { name: 'gpu' } } })).body, {
    conflictingRequest: { code: 409, message: 'Aggregate gpu already exists.' },
  });
  // Nova refuses taking a zone away (nova/compute/api.py is_safe_to_update_az).
  assert.deepEqual((await api(cloud.compute, `/admin-project/os-aggregates/${id}/action`, { who: ADMIN_WHO, method: 'POST', body: { set_metadata: { metadata: { ssd: 'true', availability_zone: null } } } })).body, {
    badRequest: { code: 400, message: `Cannot update metadata of aggregate ${id}. Reason: Aggregate gpu does not support empty named availability zone.` },
  });
  const meta = await api(cloud.compute, `/admin-project/os-aggregates/${id}/action`, { who: ADMIN_WHO, method: 'POST', body: { set_metadata: { metadata: { ssd: 'true' } } } });
  assert.deepEqual(meta.body.aggregate.metadata, { availability_zone: 'gpu-zone', ssd: 'true' });
  assert.equal((await api(cloud.compute, `/admin-project/os-aggregates/${id}`, { who: ADMIN_WHO, method: 'PUT', body: { aggregate: { availability_zone: 'az2' } } })).status, 400, 'a top AZ name');
  const upd = await api(cloud.compute, `/admin-project/os-aggregates/${id}`, { who: ADMIN_WHO, method: 'PUT', body: { aggregate: { name: 'gpu2', availability_zone: 'zone-b' } } });
  assert.equal(upd.body.aggregate.name, 'gpu2');
  assert.deepEqual(upd.body.aggregate.metadata, { availability_zone: 'zone-b', ssd: 'true' });
  assert.equal((await api(cloud.compute, `/admin-project/os-aggregates/${id}`, { who: ADMIN_WHO, method: 'PUT', body: { aggregate: { name: 'x' } } })).status, 200);
  assert.equal((await api(cloud.compute, `/proj-a/os-aggregates/${id}`, { method: 'DELETE' })).status, 403, 'delete is admin only (the original let anyone)');
  assert.equal((await api(cloud.compute, '/admin-project/os-aggregates/abc', { who: ADMIN_WHO })).status, 400);
  const del = await api(cloud.compute, `/admin-project/os-aggregates/${id}`, { who: ADMIN_WHO, method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.deepEqual((await api(cloud.compute, `/admin-project/os-aggregates/${id}`, { who: ADMIN_WHO })).body, { itemNotFound: { code: 404, message: `Aggregate ${id} could not be found.` } });
});
