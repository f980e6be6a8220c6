// The Tempest runner's pure parts: reading subunit-trace result lines and building the
// --regex/--exclude-regex of a selection (the run itself needs Keystone and Tempest: npm run test:tempest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResultLine } from '../../scripts/tempest/tempest';
import { CI, FULL, REAL_BED_EXCLUDE, REALPODS, forPods, selectionRegex } from '../../scripts/tempest/selection';

test('subunit-trace lines become results without Tempest tags; other lines are ignored', () => {
  assert.deepEqual(
    parseResultLine('{1} tempest.api.compute.test_versions.TestVersions.test_get_version_details[id-b953a29e,smoke] [0.009045s] ... ok'),
    { id: 'tempest.api.compute.test_versions.TestVersions.test_get_version_details', outcome: 'passed' },
  );
  assert.deepEqual(
    parseResultLine('{0} setUpClass (tempest.api.compute.admin.test_hosts_negative.HostsAdminNegativeTestJSON) [0.000000s] ... FAILED'),
    { id: 'setUpClass (tempest.api.compute.admin.test_hosts_negative.HostsAdminNegativeTestJSON)', outcome: 'failed' },
  );
  assert.deepEqual(
    parseResultLine('{1} setUpClass (tempest.api.compute.admin.test_agents.AgentsAdminTestJSON) ... SKIPPED: The os-agents API is not supported.'),
    { id: 'setUpClass (tempest.api.compute.admin.test_agents.AgentsAdminTestJSON)', outcome: 'skipped', reason: 'The os-agents API is not supported.' },
  );
  assert.equal(parseResultLine('    Traceback (most recent call last):'), undefined);
  assert.equal(parseResultLine('Totals'), undefined);
});

test('selections: every exclusion says why, and none of them removes a ci test', () => {
  for (const e of FULL.exclude) assert.ok(e.why.length > 20, e.pattern);
  // Only what truly cannot work is left out of full: no Neutron, no (second) hypervisor host.
  for (const e of FULL.exclude) assert.match(e.why, /Neutron|hypervisor/, e.pattern);
  const { regex, excludeRegex } = selectionRegex(FULL);
  const include = new RegExp(regex);
  const exclude = new RegExp(excludeRegex!);
  assert.ok(include.test('tempest.api.volume.test_volumes_get.VolumesGetTest.test_volume_create_get_update_delete'));
  assert.ok(exclude.test('tempest.api.compute.floating_ips.test_list_floating_ips.FloatingIPDetailsTestJSON.test_list_floating_ips'));
  const ciSamples = [
    'tempest.api.compute.test_versions.TestVersions.test_list_api_versions',
    'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_list_servers',
    'tempest.api.volume.test_volume_metadata.VolumesMetadataTest.test_crud_volume_metadata',
  ];
  const ci = new RegExp(selectionRegex(CI).regex);
  for (const id of ciSamples) {
    assert.ok(ci.test(id), id);
    assert.ok(!exclude.test(id), id);
  }
  assert.equal(selectionRegex(CI).excludeRegex, undefined);
});

test('the realpods selection: ci and more, every exclusion and known gap says why, ci and realpods gate, full does not', () => {
  for (const e of [...REALPODS.exclude, ...(REALPODS.knownGaps ?? [])]) assert.ok(e.why.length > 20, e.pattern);
  const { regex, excludeRegex } = selectionRegex(REALPODS);
  const include = new RegExp(regex);
  const exclude = new RegExp(excludeRegex!);
  for (const id of [
    'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_list_servers',
    'tempest.api.compute.servers.test_server_actions.ServerActionsTestJSON.test_resize_server_confirm',
    'tempest.api.volume.test_volumes_snapshots.VolumesSnapshotTestJSON.test_snapshot_create_get_list_update_delete',
  ]) {
    assert.ok(include.test(id) && !exclude.test(id), id);
  }
  assert.ok(exclude.test('tempest.api.compute.servers.test_server_actions.ServerActionsTestJSON.test_remove_server_all_security_groups'));
  assert.deepEqual([CI.gate, REALPODS.gate, FULL.gate], [true, true, false]);
});

test('on real pods every selection also leaves out what the bed cannot honour, once; on simulated pods nothing changes', () => {
  const console = 'tempest.api.compute.servers.test_server_actions.ServerActionsTestJSON.test_get_console_output_with_unlimited_size';
  assert.ok(!new RegExp(selectionRegex(FULL).excludeRegex!).test(console));
  const real = forPods(FULL, 'real');
  assert.ok(new RegExp(selectionRegex(real).excludeRegex!).test(console));
  assert.equal(real.exclude.length, FULL.exclude.length + REAL_BED_EXCLUDE.length);
  assert.ok(new RegExp(selectionRegex(real).excludeRegex!).test('tempest.api.compute.floating_ips.test_list_floating_ips.FloatingIPDetailsTestJSON.test_list_floating_ips'));
  assert.equal(forPods(REALPODS, 'real').exclude.length, REALPODS.exclude.length);
  assert.equal(forPods(FULL, 'sim'), FULL);
  assert.equal(selectionRegex(forPods(CI, 'real')).excludeRegex?.includes('unlimited_size'), true);
});
