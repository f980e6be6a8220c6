// Quota classes owned at the top (the `default` class is every project's defaults), and the
// paths answered like Cinder or refused with a reason: attachments/summary, backups/import_record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, identity } from '../support/http';
import { startVolumeCloud, volumeClient, type Cloud } from './helpers';

let cloud: Cloud;
before(async () => {
  cloud = await startVolumeCloud([{ topAz: 'az1' }]);
});
after(() => cloud.close());

const admin = () => volumeClient(cloud, 'admin-project', ADMIN);
const member = () => volumeClient(cloud, 'proj-q', identity('proj-q'));

test('os-quota-class-sets: admin only; the default class sets every project default', async () => {
  assert.deepEqual((await member()('/os-quota-class-sets/default')).body, { forbidden: { code: 403, message: "Policy doesn't allow volume_extension:quota_classes:get to be performed." } });
  const shown = await admin()('/os-quota-class-sets/default');
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.quota_class_set.id, 'default');
  assert.equal(shown.body.quota_class_set.volumes, 10);
  const set = await admin()('/os-quota-class-sets/default', { method: 'PUT', body: { quota_class_set: { volumes: 25 } } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.quota_class_set.volumes, 25);
  assert.equal((await admin()('/os-quota-sets/proj-q/defaults')).body.quota_set.volumes, 25);
  assert.equal((await member()('/os-quota-sets/proj-q')).body.quota_set.volumes, 25);
  const bad = await admin()('/os-quota-class-sets/default', { method: 'PUT', body: { quota_class_set: { nonsense: 1 } } });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Bad key(s) in quota set: nonsense' } });
  assert.equal((await admin()('/os-quota-class-sets/gold')).body.quota_class_set.volumes, 25, 'an unset class shows the defaults');
});

test('attachments/summary is Cinder 404; backups/import_record is refused with the reason', async () => {
  assert.deepEqual((await member()('/attachments/summary', { version: '3.27' })).body, { itemNotFound: { code: 404, message: 'The resource could not be found.' } });
  const body = { backup_record: { backup_service: 'x', backup_url: 'y' } };
  assert.deepEqual((await member()('/backups/import_record', { method: 'POST', body })).body, { forbidden: { code: 403, message: "Policy doesn't allow backup:backup-import to be performed." } });
  const r = await admin()('/backups/import_record', { method: 'POST', body });
  assert.equal(r.status, 400);
  assert.match(r.body.badRequest.message, /does not say which pod's backup service holds its data/);
});
