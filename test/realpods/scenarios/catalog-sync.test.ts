// A flavor and a volume type created at the gateway must be usable in every pod. The gateway
// records a push job per pod for each, but nothing runs those jobs yet.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanProject, createServer, createVolume, openstack, osc, podServerStatus, podVolumeStatus, useBed, type Creds } from './support';

const T = { timeout: 10 * 60_000 };
const FLAVOR = { id: '4242', name: 'rp.custom', ram: 256 };

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

  for (const [az, podName] of [['az1', 'Pod1'], ['az2', 'Pod2']] as const) {
    test(`a member boots with the gateway's new flavor in ${az}: ACTIVE in ${podName} with that flavor`, {
      ...T, todo: 'waits for flavor sync to the pods (issue 14): the flavor_push jobs are recorded, nothing runs them, so the pod answers 400 "Flavor 4242 could not be found."',
    }, async () => {
      const id = await createServer(bed(), c, { name: `custom-${az}`, az, flavor: FLAVOR.id });
      const s = await podServerStatus(bed(), bed().pod(podName), id, 'ACTIVE');
      assert.equal(s.flavor.original_name, FLAVOR.name);
      assert.equal(s.flavor.ram, FLAVOR.ram);
    });

    test(`a member creates a volume of the gateway's new type in ${az}: available in ${podName} with that type`, {
      ...T, todo: 'waits for volume type sync with id translation (issue 14): the volume_type_push jobs are recorded, nothing runs them, so the pod answers 404 for the type',
    }, async () => {
      const id = await createVolume(bed(), c, { name: `typed-${az}`, az, extra: { volume_type: typeName } });
      const v = await podVolumeStatus(bed(), bed().pod(podName), id, 'available');
      assert.equal(v.volume_type, typeName);
    });
  }
});
