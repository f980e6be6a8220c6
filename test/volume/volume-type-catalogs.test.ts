// QoS specs, type encryption and per-project default types: owned at the gateway (admin-only,
// Cinder's 403 for members), pushed to every pod with the pods' own ids, and used there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, call, identity } from '../support/http';
import { eventually, startVolumeCloud, volumeClient, waitStatus, type Cloud } from './helpers';

let cloud: Cloud;
let goldId: string;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }, { topAz: 'az2' }]);
  const t = await admin()('/types', { method: 'POST', body: { volume_type: { name: 'gold' } } });
  assert.equal(t.status, 200, t.text);
  goldId = t.body.volume_type.id;
  await synced('volume_type', goldId);
});
after(() => cloud.close());

const admin = () => volumeClient(cloud, 'admin-project', ADMIN);

/** Asks pod `i` directly, as its admin. */
async function pod(i: number, path: string, version = '3.62') {
  return call(`${cloud.pods[i]!.url}/volume/v3/admin-project${path}`, { headers: { ...ADMIN, 'openstack-api-version': `volume ${version}` } });
}

/** Waits until both pods hold the item; its pod ids, in pod order. */
async function synced(kind: 'volume_type' | 'qos_spec' | 'default_type', id: string): Promise<string[]> {
  let states: { status: string; pod_id: string; pod_item_id: string | null }[] = [];
  await eventually(async () => {
    states = await cloud.gw.store.catalogState.list({ kind, topId: id });
    return states.length === 2 && states.every((s) => s.status === 'synced');
  }, 15_000);
  return cloud.podIds.map((p) => states.find((s) => s.pod_id === p)!.pod_item_id!);
}

const podGold = (i: number) => cloud.gw.store.catalogState.get('volume_type', goldId, cloud.podIds[i]!).then((s) => s!.pod_item_id!);

test('members are refused with Cinder 403', async () => {
  const m = volumeClient(cloud, 'proj-m', identity('proj-m'));
  for (const [method, path, version] of [
    ['GET', '/qos-specs'],
    ['POST', '/qos-specs'],
    ['GET', `/types/${goldId}/encryption`],
    ['PUT', '/default-types/proj-m', '3.62'],
    ['GET', '/default-types', '3.62'],
  ] as const) {
    const r = await m(path, { method, body: method === 'GET' ? undefined : {}, version });
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
  }
});

test('QoS specs: created at the top, pushed to every pod, associated with a type there', async () => {
  const a = admin();
  const made = await a('/qos-specs', { method: 'POST', body: { qos_specs: { name: 'fast', consumer: 'front-end', read_iops_sec: '100' } } });
  assert.equal(made.status, 200, made.text);
  const q = made.body.qos_specs;
  assert.deepEqual(q, { id: q.id, name: 'fast', consumer: 'front-end', specs: { read_iops_sec: '100' } });
  assert.equal(made.body.links[0].href.startsWith(cloud.volume), true);
  assert.equal((await a('/qos-specs', { method: 'POST', body: { qos_specs: { name: 'fast' } } })).status, 409);
  const podIds = await synced('qos_spec', q.id);
  for (const i of [0, 1]) {
    const shown = await pod(i, `/qos-specs/${podIds[i]}`);
    assert.equal(shown.status, 200, shown.text);
    assert.deepEqual(shown.body.qos_specs, { id: podIds[i], name: 'fast', consumer: 'front-end', specs: { read_iops_sec: '100' } });
  }

  assert.equal((await a(`/qos-specs/${q.id}/associate?vol_type_id=${goldId}`)).status, 202);
  assert.deepEqual((await a(`/qos-specs/${q.id}/associations`)).body, { qos_associations: [{ association_type: 'volume_type', name: 'gold', id: goldId }] });
  assert.equal((await a(`/types/${goldId}`)).body.volume_type.qos_specs_id, q.id);
  for (const i of [0, 1]) {
    const gold = await podGold(i);
    await eventually(async () => (await pod(i, `/types/${gold}`)).body.volume_type.qos_specs_id === podIds[i], 15_000);
  }
  assert.deepEqual((await a(`/qos-specs/${q.id}`, { method: 'DELETE' })).body, { badRequest: { code: 400, message: 'Qos specs still in use.' } });

  assert.equal((await a(`/qos-specs/${q.id}`, { method: 'PUT', body: { qos_specs: { write_iops_sec: '50' } } })).status, 200);
  assert.equal((await a(`/qos-specs/${q.id}/delete_keys`, { method: 'PUT', body: { keys: ['read_iops_sec'] } })).status, 202);
  for (const i of [0, 1]) await eventually(async () => JSON.stringify((await pod(i, `/qos-specs/${podIds[i]}`)).body.qos_specs.specs) === '{"write_iops_sec":"50"}', 15_000);

  assert.equal((await a(`/qos-specs/${q.id}/disassociate?vol_type_id=${goldId}`)).status, 202);
  assert.equal((await a(`/qos-specs/${q.id}`, { method: 'DELETE' })).status, 202);
  assert.deepEqual((await a(`/qos-specs/${q.id}`)).body, { itemNotFound: { code: 404, message: `No such QoS spec ${q.id}.` } });
  for (const i of [0, 1]) await eventually(async () => (await pod(i, `/qos-specs/${podIds[i]}`)).status === 404, 15_000);
  for (const i of [0, 1]) assert.equal((await pod(i, `/types/${await podGold(i)}`)).body.volume_type.qos_specs_id, null);
});

test('type encryption: kept at the top, pushed with the type, removed with it', async () => {
  const a = admin();
  const enc = { encryption: { provider: 'luks', control_location: 'front-end', cipher: 'aes-xts-plain64', key_size: 256 } };
  const made = await a(`/types/${goldId}/encryption`, { method: 'POST', body: enc });
  const shown = await a(`/types/${goldId}/encryption`);
  assert.deepEqual(made.body, { encryption: { ...enc.encryption, volume_type_id: goldId, encryption_id: shown.body.encryption_id } }, "Cinder's answer: the request body, filled in");
  assert.equal(shown.body.provider, 'luks');
  assert.equal(shown.body.volume_type_id, goldId);
  assert.deepEqual((await a(`/types/${goldId}/encryption/cipher`)).body, { cipher: 'aes-xts-plain64' });
  assert.equal((await a(`/types/${goldId}/encryption`, { method: 'POST', body: enc })).status, 400);
  for (const i of [0, 1]) await eventually(async () => (await pod(i, `/types/${await podGold(i)}/encryption`)).body.provider === 'luks', 15_000);
  // Cinder updates the type's encryption whatever id the path names (Tempest sends `…/encryption/provider`).
  const upd = await a(`/types/${goldId}/encryption/provider`, { method: 'PUT', body: { encryption: { key_size: 128, control_location: 'back-end' } } });
  assert.equal(upd.status, 200, upd.text);
  assert.equal((await a(`/types/${goldId}/encryption`)).body.key_size, 128);
  for (const i of [0, 1]) await eventually(async () => (await pod(i, `/types/${await podGold(i)}/encryption`)).body.key_size === 128, 15_000);
  assert.equal((await a(`/types/${goldId}/encryption/anything`, { method: 'DELETE' })).status, 202, 'the id in the path is not checked, as in Cinder');
  assert.equal((await a(`/types/${goldId}/encryption/${shown.body.encryption_id}`, { method: 'DELETE' })).status, 404, 'none left');
  assert.equal((await a(`/types/${goldId}/encryption/provider`, { method: 'PUT', body: { encryption: { key_size: 256 } } })).status, 404, 'nothing to update');
  assert.deepEqual((await a(`/types/${goldId}/encryption`)).body, {});
  for (const i of [0, 1]) await eventually(async () => JSON.stringify((await pod(i, `/types/${await podGold(i)}/encryption`)).body) === '{}', 15_000);
});

test('default types (3.62): one per project, pushed as each pod id, used by creates without a type', async () => {
  const a = admin();
  assert.equal((await a('/default-types', { version: '3.61' })).status, 404);
  const set = await a('/default-types/proj-d', { method: 'PUT', body: { default_type: { volume_type: 'gold' } }, version: '3.62' });
  assert.deepEqual(set.body, { default_type: { project_id: 'proj-d', volume_type_id: goldId } });
  assert.deepEqual((await a('/default-types', { version: '3.62' })).body, { default_types: [{ project_id: 'proj-d', volume_type_id: goldId }] });
  await synced('default_type', 'proj-d');
  for (const i of [0, 1]) assert.equal((await pod(i, '/default-types/proj-d')).body.default_type.volume_type_id, await podGold(i));

  const d = volumeClient(cloud, 'proj-d', identity('proj-d'));
  assert.equal((await d('/types/default')).body.volume_type.id, goldId);
  const made = await d('/volumes', { method: 'POST', body: { volume: { size: 1, availability_zone: 'az2' } } });
  assert.equal(made.status, 202, made.text);
  await waitStatus(d, `/volumes/${made.body.volume.id}`, 'volume', 'available');
  assert.equal(cloud.pods[1]!.volumeService.volumes.get(made.body.volume.id)!.volumeTypeId, await podGold(1));

  assert.equal((await a('/default-types/proj-d', { method: 'DELETE', version: '3.62' })).status, 204);
  assert.deepEqual((await a('/default-types/proj-d', { version: '3.62' })).body, { itemNotFound: { code: 404, message: 'Default type for project proj-d not found.' } });
  for (const i of [0, 1]) await eventually(async () => (await pod(i, '/default-types/proj-d')).status === 404, 15_000);
  assert.deepEqual((await d('/types/default')).body, { itemNotFound: { code: 404, message: 'Volume type with name __DEFAULT__ could not be found.' } });
});
