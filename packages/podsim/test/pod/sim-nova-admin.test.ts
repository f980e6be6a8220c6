// The simulated Nova's admin families, against Nova's own answers (services.py, hypervisors.py,
// migrations.py, simple_tenant_usage.py, server_groups.py, console_auth_tokens.py): what the
// gateway's fan-outs and by-id routing read from each pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIRROS_IMAGE_ID as IMAGE } from '@trio2o/podsim';
import { bootActive, nova, startPod, waitFor, waitStatus } from './helpers';

test('os-services: 2.53 update by uuid with Nova\'s checks, legacy updates by host, delete', async (t) => {
  const pod = await startPod({ name: 'PodA' });
  t.after(() => pod.close());
  const list = await nova(pod, '/os-services', { admin: true, version: '2.53' });
  const compute = list.body.services.find((s: any) => s.binary === 'nova-compute');
  const scheduler = list.body.services.find((s: any) => s.binary === 'nova-scheduler');
  const put = (id: string, body: unknown, version = '2.53') => nova(pod, `/os-services/${id}`, { admin: true, method: 'PUT', version, body });
  assert.deepEqual((await put(compute.id, {})).body, { badRequest: { code: 400, message: "No updates were requested. Fields 'status' or 'forced_down' should be specified." } });
  assert.deepEqual((await put(compute.id, { status: 'enabled', disabled_reason: 'x' })).body, { badRequest: { code: 400, message: "Specifying 'disabled_reason' with status 'enabled' is invalid." } });
  assert.equal((await put(scheduler.id, { status: 'disabled' })).status, 400);
  const off = await put(compute.id, { status: 'disabled', disabled_reason: 'maint', forced_down: true });
  assert.deepEqual([off.body.service.status, off.body.service.disabled_reason, off.body.service.forced_down, off.body.service.state], ['disabled', 'maint', true, 'down']);
  const other = await startPod({ name: 'PodB' });
  t.after(() => other.close());
  const otherIds = (await nova(other, '/os-services', { admin: true, version: '2.53' })).body.services.map((s: any) => s.id);
  assert.ok(!otherIds.includes(compute.id), 'UUIDs differ between pods');
  assert.deepEqual((await put('disable-log-reason', { host: 'poda-compute-1', binary: 'nova-compute' }, '2.11')).body, { badRequest: { code: 400, message: 'Missing disabled reason field' } });
  assert.deepEqual((await put('enable', { host: 'poda-compute-1', binary: 'nova-compute' }, '2.11')).body, { service: { host: 'poda-compute-1', binary: 'nova-compute', status: 'enabled' } });
  assert.equal((await put('force-down', { host: 'poda-compute-1', binary: 'nova-compute', forced_down: false }, '2.10')).status, 404, 'force-down from 2.11');
  await bootActive(pod);
  assert.equal((await nova(pod, '/os-services/3', { admin: true, method: 'DELETE' })).status, 409);
  assert.equal((await nova(pod, '/os-services/1', { admin: true, method: 'DELETE' })).status, 204);
  assert.deepEqual((await nova(pod, '/os-services/1', { admin: true, method: 'DELETE' })).body, { itemNotFound: { code: 404, message: 'Service 1 not found.' } });
});

test('os-hypervisors: show by id form, statistics count the servers, search below 2.53 only', async (t) => {
  const pod = await startPod({ name: 'PodA' });
  t.after(() => pod.close());
  await bootActive(pod);
  assert.equal((await nova(pod, '/os-hypervisors/1', { admin: true })).body.hypervisor.running_vms, 1);
  assert.deepEqual((await nova(pod, '/os-hypervisors/x', { admin: true })).body, { itemNotFound: { code: 404, message: "Hypervisor with ID 'x' could not be found." } });
  assert.deepEqual((await nova(pod, '/os-hypervisors/x', { admin: true, version: '2.53' })).body, { badRequest: { code: 400, message: 'Invalid uuid x' } });
  const stats = (await nova(pod, '/os-hypervisors/statistics', { admin: true })).body.hypervisor_statistics;
  assert.deepEqual([stats.count, stats.running_vms, stats.vcpus_used], [1, 1, 1]);
  assert.equal((await nova(pod, '/os-hypervisors/poda/search', { admin: true })).body.hypervisors.length, 1);
  assert.equal((await nova(pod, '/os-hypervisors/poda/search', { admin: true, version: '2.53' })).status, 404);
});

test('os-hosts (below 2.43): enabled services\' hosts, zone filter, compute host resources and the fake driver\'s answers', async (t) => {
  const pod = await startPod({ name: 'PodA' });
  t.after(() => pod.close());
  const v = '2.42';
  const hosts = (await nova(pod, '/os-hosts', { admin: true, version: v })).body.hosts;
  assert.deepEqual(hosts.map((h: any) => [h.host_name, h.service]), [['poda-compute-1-ctl', 'scheduler'], ['poda-compute-1-ctl', 'conductor'], ['poda-compute-1', 'compute']]);
  assert.equal(hosts[0].zone, 'internal');
  const zone = hosts[2].zone;
  assert.deepEqual((await nova(pod, `/os-hosts?zone=${zone}`, { admin: true, version: v })).body.hosts, [hosts[2]]);
  assert.equal((await nova(pod, '/os-hosts?zone=', { admin: true, version: v })).body.hosts.length, 3);
  assert.equal((await nova(pod, '/os-hosts', { version: v })).status, 403);
  assert.equal((await nova(pod, '/os-hosts', { admin: true, version: '2.43' })).status, 404);
  await bootActive(pod);
  const shown = (await nova(pod, '/os-hosts/poda-compute-1', { admin: true, version: v })).body.host;
  assert.deepEqual(shown.map((r: any) => r.resource.project).slice(0, 3), ['(total)', '(used_now)', '(used_max)']);
  assert.equal(shown.length, 4, 'one line per project with servers on the host');
  const nf = { itemNotFound: { code: 404, message: "Host 'poda-compute-1-ctl' is not mapped to any cell" } };
  assert.deepEqual((await nova(pod, '/os-hosts/poda-compute-1-ctl', { admin: true, version: v })).body, nf, 'only compute hosts are mapped');
  const put = (body: unknown) => nova(pod, '/os-hosts/poda-compute-1', { admin: true, method: 'PUT', version: v, body });
  assert.deepEqual((await put({ status: 'Enable', maintenance_mode: 'disable' })).body, { host: 'poda-compute-1', status: 'enabled', maintenance_mode: 'off_maintenance' });
  assert.deepEqual((await put({})).body, { host: 'poda-compute-1' }, "Nova's schema requires neither key");
  assert.deepEqual((await put({ status: null, maintenance_mode: null })).body, { badRequest: { code: 400, message: "Invalid input for field/attribute status. Value: None. None is not of type 'string'" } });
  assert.deepEqual((await put({ status: 'bad' })).body, { badRequest: { code: 400, message: "Invalid input for field/attribute status. Value: bad. 'bad' is not one of ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']" } });
  assert.deepEqual((await nova(pod, '/os-hosts/poda-compute-1/shutdown', { admin: true, version: v })).body, { host: 'poda-compute-1', power_action: 'shutdown' });
  assert.equal((await nova(pod, '/os-hosts/nowhere/startup', { admin: true, version: v })).status, 404);
  assert.equal((await nova(pod, '/os-hosts/poda-compute-1/reboot', { version: v })).status, 403);
});

test('os-aggregates: none at first, create, add/remove the compute host, metadata, delete only when empty', async (t) => {
  const pod = await startPod({ name: 'PodA' });
  t.after(() => pod.close());
  const agg = (path: string, method = 'GET', body?: unknown) => nova(pod, `/os-aggregates${path}`, { admin: true, method, body });
  assert.deepEqual((await agg('')).body.aggregates, []);
  const made = await agg('', 'POST', { aggregate: { name: 'x' } });
  assert.deepEqual(Object.keys(made.body.aggregate).sort(), ['availability_zone', 'created_at', 'deleted', 'deleted_at', 'id', 'name', 'updated_at']);
  const id = made.body.aggregate.id;
  assert.equal((await agg('', 'POST', { aggregate: { name: 'x' } })).status, 409);
  const act = (body: unknown) => agg(`/${id}/action`, 'POST', body);
  assert.deepEqual((await act({ add_host: { host: 'elsewhere' } })).body, { itemNotFound: { code: 404, message: 'Compute host elsewhere could not be found.' } });
  assert.deepEqual((await act({ add_host: { host: 'poda-compute-1' } })).body.aggregate.hosts, ['poda-compute-1']);
  assert.deepEqual((await act({ add_host: { host: 'poda-compute-1' } })).body, { conflictingRequest: { code: 409, message: `Aggregate ${id} already has host poda-compute-1.` } });
  assert.deepEqual((await act({ set_metadata: { metadata: { a: '1', b: null } } })).body.aggregate.metadata, { a: '1' });
  assert.equal((await agg(`/${id}`, 'DELETE')).status, 400, 'not empty');
  assert.deepEqual((await act({ remove_host: { host: 'poda-compute-1' } })).body.aggregate.hosts, []);
  assert.deepEqual((await act({ remove_host: { host: 'poda-compute-1' } })).body, { itemNotFound: { code: 404, message: `Cannot remove host poda-compute-1 in aggregate ${id}` } });
  assert.equal((await agg(`/${id}`, 'DELETE')).status, 200);
  assert.equal((await agg(`/${id}`)).status, 404);
  assert.equal((await agg('', 'POST', { aggregate: { name: 'x' } })).body.aggregate.id, id + 1, 'an autoincrement id: a deleted one is not given again');
  assert.equal((await agg('', 'POST', { aggregate: { name: 'a'.repeat(256) } })).status, 400);
  assert.equal((await nova(pod, '/os-aggregates', { method: 'POST', body: { aggregate: { name: 'y' } } })).status, 403);
});

test('migrations: a resize records one, confirmed with the resize; 2.59 uuid and paging', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  assert.equal((await nova(pod, `/servers/${id}/action`, { body: { resize: { flavorRef: '2' } } })).status, 202);
  await waitStatus(pod, id, 'VERIFY_RESIZE');
  const m = (await nova(pod, '/os-migrations', { admin: true, version: '2.59' })).body.migrations;
  assert.deepEqual(m.map((x: any) => [x.instance_uuid, x.status, x.migration_type, x.old_instance_type_id, x.new_instance_type_id]), [[id, 'finished', 'resize', 1, 2]]);
  assert.equal(typeof m[0].uuid, 'string');
  assert.equal((await nova(pod, `/servers/${id}/action`, { body: { confirmResize: null } })).status, 204);
  await waitFor(async () => (await nova(pod, '/os-migrations', { admin: true })).body.migrations[0].status === 'confirmed');
  assert.deepEqual((await nova(pod, '/os-migrations?marker=nope', { admin: true, version: '2.59' })).body, { badRequest: { code: 400, message: 'Marker nope could not be found.' } });
  assert.equal((await nova(pod, '/os-migrations')).status, 403);
});

test('simple tenant usage: (project_id, uuid) order, 2.40 links, marker of a deleted server', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const a = await bootActive(pod, { project: 'p2' });
  const b = await bootActive(pod, { project: 'p1' });
  const c = await bootActive(pod, { project: 'p1' });
  const p1 = [b, c].sort();
  const page = await nova(pod, '/os-simple-tenant-usage?start=2020-01-01T00:00:00&detailed=1&limit=2', { admin: true, version: '2.40' });
  assert.deepEqual(page.body.tenant_usages.flatMap((u: any) => u.server_usages.map((s: any) => s.instance_id)), p1);
  assert.match(page.body.tenant_usages_links[0].href, new RegExp(`marker=${p1[1]}$`));
  assert.equal((await nova(pod, `/servers/${p1[1]}`, { method: 'DELETE' })).status, 204);
  const rest = await nova(pod, `/os-simple-tenant-usage?start=2020-01-01T00:00:00&detailed=1&marker=${p1[1]}`, { admin: true, version: '2.40' });
  assert.deepEqual(rest.body.tenant_usages.flatMap((u: any) => u.server_usages.map((s: any) => s.instance_id)), [a]);
  // Deletion is asynchronous in Nova: the usage says terminated once the server is gone.
  const usageState = async () => (await nova(pod, '/os-simple-tenant-usage/p1?start=2020-01-01T00:00:00')).body.tenant_usage.server_usages.find((s: any) => s.instance_id === p1[1]).state;
  await waitFor(async () => (await usageState()) === 'terminated');
  assert.equal((await nova(pod, '/os-simple-tenant-usage')).status, 403);
});

test('server groups: rules only for anti-affinity; all_projects by presence for an admin; unknown group hint', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const bad = await nova(pod, '/os-server-groups', { version: '2.64', body: { server_group: { name: 'g', policy: 'affinity', rules: { max_server_per_host: 1 } } } });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Only anti-affinity policy supports rules.' } });
  assert.equal((await nova(pod, '/os-server-groups', { project: 'p9', body: { server_group: { name: 'g', policies: ['affinity'] } } })).status, 200);
  assert.equal((await nova(pod, '/os-server-groups?all_projects=0', { admin: true })).body.server_groups.length, 1);
  const unknown = '6b1e2a43-0c77-4f73-9e3b-1d1a3c3e5f00';
  const boot = await nova(pod, '/servers', { body: { server: { name: 'x', flavorRef: '1', imageRef: '6f4b2a5c-3f1e-4b8a-9c2d-7e0a1b2c3d4e' }, 'os:scheduler_hints': { group: unknown } } });
  assert.deepEqual(boot.body, { badRequest: { code: 400, message: `Instance group ${unknown} could not be found.` } });
});

test('remote console tokens: issued by remote-consoles, shown from 2.31 to an admin', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const rc = await nova(pod, `/servers/${id}/remote-consoles`, { version: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } });
  const token = /token%3D([0-9a-f]+)/.exec(rc.body.remote_console.url)![1];
  assert.equal((await nova(pod, `/os-console-auth-tokens/${token}`, { admin: true, version: '2.31' })).body.console.instance_uuid, id);
  assert.equal((await nova(pod, `/os-console-auth-tokens/${token}`, { admin: true, version: '2.30' })).status, 400);
  assert.equal((await nova(pod, `/servers/${id}/remote-consoles`, { version: '2.6', body: { remote_console: { protocol: 'vnc', type: 'spice-html5' } } })).status, 400);
});

test('createBackup: backup images with rotation', async (t) => {
  const pod = await startPod();
  t.after(() => pod.close());
  const id = await bootActive(pod);
  const backups = () => [...pod.images.values()].filter((i) => i.properties.image_type === 'backup');
  for (const name of ['b1', 'b2']) {
    const r = await nova(pod, `/servers/${id}/action`, { version: '2.45', body: { createBackup: { name, backup_type: 'daily', rotation: 1 } } });
    assert.equal(r.status, 202);
    await waitFor(() => backups().find((i) => i.name === name)?.status === 'active');
    await waitStatus(pod, id, 'ACTIVE');
  }
  await waitFor(() => backups().length === 1);
  assert.equal(backups()[0]!.name, 'b2', 'rotation 1 keeps the newest');
  assert.equal((await nova(pod, `/servers/${id}/action`, { body: { createBackup: { name: 'x', backup_type: 'daily' } } })).status, 400, 'rotation is required');
});

test('os-aggregates: an aggregate zone is the host\'s zone, with Nova\'s checks of a host in two zones', async (t) => {
  const pod = await startPod({ name: 'PodZ', az: 'az-z' });
  t.after(() => pod.close());
  const agg = (path: string, method = 'GET', body?: unknown) => nova(pod, `/os-aggregates${path}`, { admin: true, method, body });
  const zones = async () => (await nova(pod, '/os-availability-zone')).body.availabilityZoneInfo.map((z: any) => z.zoneName);
  const one = (await agg('', 'POST', { aggregate: { name: 'one', availability_zone: 'zone-1' } })).body.aggregate.id;
  const two = (await agg('', 'POST', { aggregate: { name: 'two', availability_zone: 'zone-2' } })).body.aggregate.id;
  assert.deepEqual(await zones(), ['az-z']);
  assert.equal((await agg(`/${one}/action`, 'POST', { add_host: { host: 'podz-compute-1' } })).status, 200);
  assert.deepEqual(await zones(), ['zone-1'], 'the host left the default zone');
  assert.equal((await nova(pod, '/os-services', { admin: true })).body.services.find((s: any) => s.binary === 'nova-compute').zone, 'zone-1');
  assert.deepEqual((await agg(`/${two}/action`, 'POST', { add_host: { host: 'podz-compute-1' } })).body, {
    conflictingRequest: { code: 409, message: `Cannot add host to aggregate ${two}. Reason: One or more hosts already in availability zone(s) ['zone-1'].` },
  });
  assert.deepEqual((await agg(`/${one}/action`, 'POST', { set_metadata: { metadata: { availability_zone: null } } })).body, {
    badRequest: { code: 400, message: `Cannot update metadata of aggregate ${one}. Reason: Aggregate one does not support empty named availability zone.` },
  });
  assert.deepEqual((await nova(pod, '/servers', { body: { server: { name: 'x', imageRef: IMAGE, flavorRef: '1', availability_zone: 'az-z' } } })).body, {
    badRequest: { code: 400, message: 'The requested availability zone is not available' },
  });
  const made = await nova(pod, '/servers', { body: { server: { name: 'x', imageRef: IMAGE, flavorRef: '1', availability_zone: 'zone-1' } } });
  assert.equal(made.status, 202, JSON.stringify(made.body));
  const shown = (await nova(pod, `/servers/${made.body.server.id}`)).body.server;
  assert.equal(shown['OS-EXT-AZ:availability_zone'], 'zone-1');
  assert.deepEqual((await agg(`/${one}`, 'PUT', { aggregate: { availability_zone: 'zone-3' } })).body, {
    badRequest: { code: 400, message: `Cannot update aggregate ${one}. Reason: One or more hosts contain instances in this zone.` },
  });
  // The bed's Nova 26 lets a host with instances leave its zone (Nova 30 refuses it); the server
  // then shows its host's zone, the default one (get_instance_availability_zone).
  assert.equal((await agg(`/${one}/action`, 'POST', { remove_host: { host: 'podz-compute-1' } })).status, 200);
  assert.deepEqual(await zones(), ['az-z'], 'back in the default zone');
  assert.equal((await nova(pod, `/servers/${made.body.server.id}`)).body.server['OS-EXT-AZ:availability_zone'], 'az-z');
  const move = (from: string, to: string, n: number) =>
    `The host cannot be added to the aggregate as the availability zone of the host would change from '${from}' to '${to}' but the host already has ${n} instance(s). Changing the AZ of an existing instance is not supported by this action. Move the instances away from this host then try again. If you need to move the instances between AZs then you can use shelve_offload and unshelve to achieve this..`;
  assert.deepEqual((await agg(`/${two}/action`, 'POST', { add_host: { host: 'podz-compute-1' } })).body, {
    conflictingRequest: { code: 409, message: `Cannot add host to aggregate ${two}. Reason: ${move('None', 'zone-2', 1)}` },
  });
  // A shelved-offloaded server has no host (InstanceList.get_by_host does not count it).
  assert.equal((await nova(pod, `/servers/${made.body.server.id}/action`, { method: 'POST', body: { shelve: null } })).status, 202);
  await waitStatus(pod, made.body.server.id, 'SHELVED_OFFLOADED');
  assert.equal((await agg(`/${two}/action`, 'POST', { add_host: { host: 'podz-compute-1' } })).status, 200);
});
