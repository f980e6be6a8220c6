// Reports every pod gives for itself, merged: /extensions (union), os-instance_usage_audit_log
// (summed over every pod's compute hosts), os-console-auth-tokens (the issuing pod answers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, keystoneCloud, ADMIN_WHO, ALICE } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE], ['az1', 'az2']);
});
after(() => cloud.close());

const admin = (path: string, version?: string) => api(cloud.compute, `/admin-project${path}`, { who: ADMIN_WHO, version });

test('extensions: the pods\' list once, by alias; show by alias; unknown 404', async () => {
  const r = await api(cloud.compute, '/proj-a/extensions');
  assert.equal(r.status, 200, r.text);
  const aliases = r.body.extensions.map((e: any) => e.alias);
  assert.equal(new Set(aliases).size, aliases.length, 'no duplicates');
  assert.ok(aliases.includes('os-server-groups'));
  const one = await api(cloud.compute, '/proj-a/extensions/os-keypairs');
  assert.equal(one.body.extension.alias, 'os-keypairs');
  assert.equal((await api(cloud.compute, '/proj-a/extensions/os-nothing')).status, 404);
});

test('instance usage audit log: every pod\'s compute host counted once; bad timestamp is 400', async () => {
  assert.equal((await api(cloud.compute, '/proj-a/os-instance_usage_audit_log')).status, 403);
  const r = await admin('/os-instance_usage_audit_log');
  assert.equal(r.status, 200, r.text);
  const log = r.body.instance_usage_audit_logs;
  assert.equal(log.num_hosts, 2);
  assert.deepEqual(log.hosts_not_run.sort(), ['pod1-compute-1', 'pod2-compute-1']);
  assert.equal(log.overall_status, '0 of 2 hosts done. 0 errors.');
  const show = await admin('/os-instance_usage_audit_log/2026-06-15%2010:00:00');
  assert.equal(show.body.instance_usage_audit_log.period_beginning, '2026-05-01 00:00:00');
  assert.equal(show.body.instance_usage_audit_log.period_ending, '2026-06-01 00:00:00');
  const bad = await admin('/os-instance_usage_audit_log/yesterday');
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Invalid timestamp for date yesterday' } });
});

test('console auth token: the pod that issued it answers; unknown is 404; before 2.31 400', async () => {
  const s = await api(cloud.compute, '/proj-a/servers', { method: 'POST', body: { server: { name: 'c', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: 'az2' } } });
  assert.equal(s.status, 202, s.text);
  const id = s.body.server.id;
  await eventually(async () => (await api(cloud.compute, `/proj-a/servers/${id}`)).body.server.status === 'ACTIVE');
  const rc = await api(cloud.compute, `/proj-a/servers/${id}/remote-consoles`, { method: 'POST', version: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } });
  assert.equal(rc.status, 200, rc.text);
  const token = /token%3D([0-9a-f]+)/.exec(rc.body.remote_console.url)![1];
  const r = await admin(`/os-console-auth-tokens/${token}`, '2.31');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { console: { instance_uuid: id, host: 'pod2-compute-1', port: 6969, internal_access_path: null } });
  assert.deepEqual((await admin('/os-console-auth-tokens/nope', '2.31')).body, { itemNotFound: { code: 404, message: 'Token not found' } });
  assert.equal((await admin(`/os-console-auth-tokens/${token}`)).status, 400);
  assert.equal((await api(cloud.compute, `/proj-a/os-console-auth-tokens/${token}`, { version: '2.31' })).status, 403);
});
