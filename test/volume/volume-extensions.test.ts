// GET /extensions lists, in Cinder's shape, the extensions whose API the gateway answers (Horizon
// asks for AvailabilityZones before filling the volume form's zones); one shows by alias, an
// unknown alias is 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { identity } from '../support/http';
import { startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }]);
});
after(() => cloud.close());

test('extensions: the list, one by alias, and 404 for one the gateway does not serve', async () => {
  const v = volumeClient(cloud, 'proj-ext', identity('proj-ext'));
  const r = await v('/extensions');
  assert.equal(r.status, 200, r.text);
  const names = (r.body.extensions as { name: string }[]).map((e) => e.name);
  assert.ok(names.includes('AvailabilityZones') && names.includes('Quotas') && names.includes('Backups'));
  assert.equal(names.includes('QoSSpecs') || names.includes('Qos_specs_manage') || names.includes('Hosts'), false);
  const az = await v('/extensions/os-availability-zone');
  assert.equal(az.status, 200);
  assert.deepEqual(az.body, { extension: { name: 'AvailabilityZones', alias: 'os-availability-zone', description: 'Describe Availability Zones.', updated: '2013-06-27T00:00:00+00:00', links: [] } });
  const qos = await v('/extensions/qos-specs');
  assert.equal(qos.status, 404);
  assert.deepEqual(qos.body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
});
