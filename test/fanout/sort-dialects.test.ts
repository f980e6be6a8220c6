// Sort plans complete the caller's keys to a total order the way Nova's cross-cell lister and
// Cinder's process_sort_params do; timestamps compare as instants whatever their spelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBy, normalize, sortValues } from '../../src/fanout';
import { novaSort } from '../../src/api/compute/server-sort';
import { cinderSort } from '../../src/api/volume/list-sort';
import { parseVersion } from '../../src/http';

const q = (s: string) => new URLSearchParams(s);

test('nova: default created_at desc, uuid asc appended; directions padded with the first', () => {
  const nova = novaSort();
  assert.deepEqual(nova.plan(q('')), [{ key: 'created_at', dir: 'desc' }, { key: 'uuid', dir: 'asc' }]);
  assert.deepEqual(nova.plan(q('sort_key=display_name&sort_key=created_at&sort_dir=asc')), [
    { key: 'display_name', dir: 'asc' },
    { key: 'created_at', dir: 'asc' },
    { key: 'uuid', dir: 'asc' },
  ]);
  assert.deepEqual(nova.toQuery([{ key: 'uuid', dir: 'asc' }]), [['sort_key', 'uuid'], ['sort_dir', 'asc']]);
});

test('nova: ignored keys and (for non-admins) host/node are dropped; locked counts from 2.73', () => {
  assert.deepEqual(novaSort().plan(q('sort_key=vcpus&sort_key=host')), [{ key: 'created_at', dir: 'desc' }, { key: 'uuid', dir: 'asc' }]);
  assert.deepEqual(novaSort({ isAdmin: true }).plan(q('sort_key=host')).map((k) => k.key), ['host', 'uuid']);
  assert.deepEqual(novaSort({ version: parseVersion('2.73') }).plan(q('sort_key=locked')).map((k) => k.key), ['locked', 'uuid']);
  assert.throws(() => novaSort().plan(q('sort_dir=asc&sort_dir=desc')), /Sort direction size exceeds sort key size/);
});

test('nova: sort keys read their body fields', () => {
  const nova = novaSort();
  const item = { id: 'u1', created: '2024-01-01T00:00:00Z', name: 'a', image: { id: 'img' }, 'OS-EXT-STS:vm_state': 'active' };
  assert.equal(nova.value(item, 'created_at'), '2024-01-01T00:00:00Z');
  assert.equal(nova.value(item, 'display_name'), 'a');
  assert.equal(nova.value(item, 'uuid'), 'u1');
  assert.equal(nova.value(item, 'image_ref'), 'img');
  assert.equal(nova.value({ ...item, image: '' }, 'image_ref'), '');
  assert.equal(nova.value(item, 'vm_state'), 'active');
  assert.equal(nova.value(item, 'kernel_id'), undefined);
});

test('cinder: sort=k:d list or the legacy pair; created_at and id appended with the first direction', () => {
  const cinder = cinderSort();
  assert.deepEqual(cinder.plan(q('')), [{ key: 'created_at', dir: 'desc' }, { key: 'id', dir: 'desc' }]);
  assert.deepEqual(cinder.plan(q('sort=name:asc,size')), [
    { key: 'name', dir: 'asc' },
    { key: 'size', dir: 'desc' },
    { key: 'created_at', dir: 'asc' },
    { key: 'id', dir: 'asc' },
  ]);
  assert.deepEqual(cinder.plan(q('sort_key=size&sort_dir=asc')).map((k) => `${k.key}:${k.dir}`), ['size:asc', 'created_at:asc', 'id:asc']);
  assert.throws(() => cinder.plan(q('sort=name&sort_key=size')), /cannot be used with the 'sort' parameter/);
  assert.throws(() => cinder.plan(q('sort=name:up')), /Unknown sort direction/);
  assert.deepEqual(cinder.toQuery(cinder.plan(q('sort=name:asc'))), [['sort', 'name:asc,created_at:asc,id:asc']]);
  assert.equal(cinder.value({ id: 'v', name: 'x' }, 'display_name'), 'x');
});

test('timestamps compare as instants; NULL sorts first ascending', () => {
  assert.equal(normalize('2024-01-01T00:00:00Z'), normalize('2024-01-01T00:00:00.000000'));
  assert.equal(normalize('2024-01-01T01:00:00+01:00'), normalize('2024-01-01T00:00:00Z'));
  assert.ok((normalize('2024-01-01T00:00:00.000001') as number) > (normalize('2024-01-01T00:00:00Z') as number));
  const nova = novaSort();
  const plan = nova.plan(q('sort_key=display_name&sort_dir=asc'));
  const v = (name: string | null, id: string) => sortValues(nova, plan, { id, name } as never);
  assert.ok(compareBy(plan, v(null, 'b'), v('a', 'a')) < 0);
  assert.ok(compareBy(plan, v('a', 'a'), v('a', 'b')) < 0, 'uuid breaks the tie');
});

test('nova: keys the answer does not show to this caller are dropped, so the merge compares only what it reads', () => {
  const keys = (ctx: Parameters<typeof novaSort>[0], query: string) => novaSort(ctx).plan(q(query)).map((k) => k.key);
  for (const k of ['instance_type_id', 'locked_by', 'progress', 'vm_mode']) {
    assert.deepEqual(keys({ isAdmin: true, version: parseVersion('2.79') }, `sort_key=${k}`), ['created_at', 'uuid'], k);
  }
  for (const k of ['hostname', 'kernel_id', 'ramdisk_id', 'launch_index', 'root_device_name']) {
    assert.deepEqual(keys({ isAdmin: true, version: parseVersion('2.3') }, `sort_key=${k}`), [k, 'uuid'], `${k}: admin from 2.3`);
    assert.deepEqual(keys({ isAdmin: true, version: parseVersion('2.2') }, `sort_key=${k}`), ['created_at', 'uuid'], `${k}: not before 2.3`);
    assert.deepEqual(keys({ version: parseVersion('2.79') }, `sort_key=${k}`), ['created_at', 'uuid'], `${k}: not for members`);
  }
  assert.deepEqual(keys({ version: parseVersion('2.90') }, 'sort_key=hostname'), ['hostname', 'uuid'], 'hostname for everyone from 2.90');
  assert.deepEqual(keys({ version: parseVersion('2.18') }, 'sort_key=display_description'), ['created_at', 'uuid']);
  assert.deepEqual(keys({ version: parseVersion('2.19') }, 'sort_key=display_description'), ['display_description', 'uuid']);
  assert.deepEqual(keys({ isAdmin: true }, 'sort_key=host&sort_key=node'), ['host', 'node', 'uuid'], 'shown to admins at 2.1');
});

test('cinder: columns the answers do not show are dropped; the first direction still leads', () => {
  const keys = (query: string) => cinderSort().plan(q(query)).map((k) => `${k.key}:${k.dir}`);
  assert.deepEqual(keys('sort=host:asc'), ['created_at:asc', 'id:asc']);
  assert.deepEqual(keys('sort=volume_type:asc,name:desc'), ['name:desc', 'created_at:desc', 'id:desc']);
  assert.deepEqual(keys('sort_key=project_id&sort_dir=asc'), ['created_at:asc', 'id:asc']);
  assert.deepEqual(keys('sort=size:asc'), ['size:asc', 'created_at:asc', 'id:asc']);
});
