// A flavor and a volume type created at the gateway are usable in every pod: the gateway's
// flavor_push and volume_type_push jobs create them there with its service credentials, with
// their extra specs, description and access; volume type ids are translated both ways.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, createServer, createVolume, gw, http, mv, openstack, osc, podServerStatus, podVolumeStatus, useBed, vmv, waitFor, type Creds,
} from './support';

const T = { timeout: 10 * 60_000 };
const FLAVOR = { id: '4242', name: 'rp.custom', ram: 256 };
const PRIVATE = { id: '4243', name: 'rp.private', ram: 160 };

describe('a flavor and a volume type created at the gateway, used in both pods', () => {
  const bed = useBed();
  let c: Creds;
  let typeName = '';
  before(async () => {
    c = await bed().newProject('catalog');
    typeName = `rp-type-${c.projectId.slice(0, 6)}`;
  });
  after(async () => {
    if (c) await cleanProject(bed(), c);
    const admin = bed().users.admin;
    await openstack(admin, 'flavor', 'delete', FLAVOR.id).catch(() => {});
    await openstack(admin, 'flavor', 'delete', PRIVATE.id).catch(() => {});
    await openstack(admin, 'volume', 'type', 'delete', typeName).catch(() => {});
  });

  test('the admin creates them at the gateway (openstack flavor create, volume type create)', T, async () => {
    const admin = bed().users.admin;
    const f = await osc(admin, 'flavor', 'create', '--id', FLAVOR.id, '--ram', String(FLAVOR.ram), '--disk', '1', '--vcpus', '1', FLAVOR.name);
    assert.equal(f.id, FLAVOR.id);
    const t = await osc(admin, 'volume', 'type', 'create', typeName);
    assert.equal(t.name, typeName);
    const flavors = await osc(c, 'flavor', 'list');
    assert.ok(flavors.some((x: { Name: string }) => x.Name === FLAVOR.name), 'the member sees the new flavor');
  });

  test('extra specs, a description (2.55) and a private flavor\'s access reach both pods; the type\'s extra specs too', T, async () => {
    const admin = bed().users.admin;
    const token = await admin.token();
    const g = gw(bed(), admin.projectId);
    const spec = await http('POST', `${g.compute}/flavors/${FLAVOR.id}/os-extra_specs`, token, { extra_specs: { 'trio2o:tier': 'gold' } }, mv('2.61'));
    assert.equal(spec.status, 200, spec.text);
    const desc = await http('PUT', `${g.compute}/flavors/${FLAVOR.id}`, token, { flavor: { description: 'made at the gateway' } }, mv('2.55'));
    assert.equal(desc.status, 200, desc.text);
    const priv = await http('POST', `${g.compute}/flavors`, token, {
      flavor: { id: PRIVATE.id, name: PRIVATE.name, ram: PRIVATE.ram, vcpus: 1, disk: 1, 'os-flavor-access:is_public': false },
    }, mv('2.61'));
    assert.equal(priv.status, 200, priv.text);
    const access = await http('POST', `${g.compute}/flavors/${PRIVATE.id}/action`, token, { addTenantAccess: { tenant: c.projectId } }, mv('2.61'));
    assert.equal(access.status, 200, access.text);
    const typeSpec = await http('POST', `${g.volume}/types/${encodeURIComponent(await typeId(g.volume, token))}/extra_specs`, token, { extra_specs: { 'trio2o:tier': 'gold' } });
    assert.equal(typeSpec.status, 200, typeSpec.text);
    for (const pod of bed().pods) {
      await waitFor(`${pod.name} holds flavor ${FLAVOR.id} with its extra spec and description`, async () => {
        const f = await http('GET', `${pod.endpoints.compute}/flavors/${FLAVOR.id}`, token, undefined, mv('2.61'));
        return f.status === 200 && f.json.flavor.extra_specs?.['trio2o:tier'] === 'gold' && f.json.flavor.description === 'made at the gateway';
      }, 60_000, 1_000);
      await waitFor(`${pod.name} grants flavor ${PRIVATE.id} to the project`, async () => {
        const a = await http('GET', `${pod.endpoints.compute}/flavors/${PRIVATE.id}/os-flavor-access`, token, undefined, mv('2.61'));
        return a.status === 200 && a.json.flavor_access.some((x: { tenant_id: string }) => x.tenant_id === c.projectId);
      }, 60_000, 1_000);
      const f = await http('GET', `${pod.endpoints.compute}/flavors/${PRIVATE.id}`, token, undefined, mv('2.61'));
      assert.equal(f.json.flavor['os-flavor-access:is_public'], false, `${pod.name}: the flavor is private there too`);
      await waitFor(`${pod.name} holds the type's extra spec`, async () => {
        const podVolume = pod.endpoints.volumev3.replace('%(project_id)s', admin.projectId);
        const types = await http('GET', `${podVolume}/types?is_public=None`, token);
        const t = types.json?.volume_types?.find((x: { name: string }) => x.name === typeName);
        return t?.extra_specs?.['trio2o:tier'] === 'gold';
      }, 60_000, 1_000);
    }
  });

  test('a member of the project boots with the private flavor (Nova checks the access the gateway granted)', T, async () => {
    const id = await createServer(bed(), c, { name: 'private-az1', az: 'az1', flavor: PRIVATE.id });
    const s = await podServerStatus(bed(), bed().pod('Pod1'), id, 'ACTIVE');
    assert.equal(s.flavor.original_name, PRIVATE.name);
  });

  /** The gateway's id of the test's volume type. */
  async function typeId(volumeUrl: string, token: string): Promise<string> {
    const r = await http('GET', `${volumeUrl}/types?is_public=None`, token);
    const t = r.json.volume_types.find((x: { name: string }) => x.name === typeName);
    assert.ok(t, `the gateway lists ${typeName}`);
    return t.id;
  }

  for (const [az, podName] of [['az1', 'Pod1'], ['az2', 'Pod2']] as const) {
    test(`a member boots with the gateway's new flavor in ${az}: ACTIVE in ${podName} with that flavor`, T, async () => {
      const id = await createServer(bed(), c, { name: `custom-${az}`, az, flavor: FLAVOR.id });
      const s = await podServerStatus(bed(), bed().pod(podName), id, 'ACTIVE');
      assert.equal(s.flavor.original_name, FLAVOR.name);
      assert.equal(s.flavor.ram, FLAVOR.ram);
    });

    test(`a member creates a volume of the gateway's new type in ${az}: available in ${podName} with that type`, T, async () => {
      const id = await createVolume(bed(), c, { name: `typed-${az}`, az, extra: { volume_type: typeName } });
      const v = await podVolumeStatus(bed(), bed().pod(podName), id, 'available');
      assert.equal(v.volume_type, typeName);
      // 3.63: the pod shows its own id for the type, the gateway shows its id.
      const token = await c.token();
      const admin = bed().users.admin;
      const podTypes = await http('GET', `${bed().pod(podName).endpoints.volumev3.replace('%(project_id)s', admin.projectId)}/types?is_public=None`, await admin.token());
      const podTypeId = podTypes.json.volume_types.find((x: { name: string }) => x.name === typeName).id;
      const inPod = await http('GET', `${bed().pod(podName).endpoints.volumev3.replace('%(project_id)s', c.projectId)}/volumes/${id}`, token, undefined, vmv('3.63'));
      assert.equal(inPod.json.volume.volume_type_id, podTypeId);
      const shown = await http('GET', `${gw(bed(), c.projectId).volume}/volumes/${id}`, token, undefined, vmv('3.63'));
      assert.equal(shown.status, 200, shown.text);
      assert.equal(shown.json.volume.volume_type_id, await typeId(gw(bed(), admin.projectId).volume, await admin.token()));
    });
  }
});
