// os-server-groups: a group lives in one pod (the tenant's default pod), routed like a server;
// a server created with the `group` hint goes to the group's pod, another AZ is 400 before any pod
// is contacted; the list merges the tenant's pods, all_projects every pod for an admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { api, keystoneCloud, ADMIN_WHO, ALICE, BOB } from './support';

let cloud: Cloud;
before(async () => {
  cloud = await keystoneCloud([ADMIN_WHO, ALICE, BOB], ['az1', 'az2']);
});
after(() => cloud.close());

const boot = (extra: Record<string, unknown>, server: Record<string, unknown> = {}) =>
  api(cloud.compute, '/proj-a/servers', { method: 'POST', version: '2.64', body: { server: { name: 'm', flavorRef: '1', imageRef: CIRROS_IMAGE_ID, networks: 'none', ...server }, ...extra } });

test('2.64 create (policy + rules) lands in the tenant\'s az2 pod, is routed, shown, listed, and members follow the hint', async () => {
  // Bind proj-a to az2 first: the group follows the tenant's binding.
  const first = await boot({}, { availability_zone: 'az2' });
  assert.equal(first.status, 202, first.text);
  const r = await api(cloud.compute, '/proj-a/os-server-groups', { method: 'POST', version: '2.64', body: { server_group: { name: 'web', policy: 'anti-affinity', rules: { max_server_per_host: 1 } } } });
  assert.equal(r.status, 200, r.text);
  const g = r.body.server_group;
  assert.deepEqual({ ...g, id: undefined, user_id: undefined }, { id: undefined, name: 'web', policy: 'anti-affinity', rules: { max_server_per_host: 1 }, members: [], project_id: 'proj-a', user_id: undefined });
  assert.ok(cloud.pods[1]!.compute.serverGroups.has(g.id), 'made in Pod2 (az2)');
  const routing = await cloud.gw.store.routings.lookup(g.id, 'server_group');
  assert.equal(routing?.pod_id, cloud.podIds[1]);

  const old = await api(cloud.compute, `/proj-a/os-server-groups/${g.id}`, { version: '2.63' });
  assert.equal(old.status, 200, old.text);
  assert.deepEqual(old.body.server_group.policies, ['anti-affinity'], 'below 2.64 the pod shows policies');

  // A member created without an AZ goes to the group's pod.
  const member = await boot({ 'os:scheduler_hints': { group: g.id } });
  assert.equal(member.status, 202, member.text);
  assert.ok(cloud.pods[1]!.compute.servers.has(member.body.server.id));
  const shown = await api(cloud.compute, `/proj-a/os-server-groups/${g.id}`, { version: '2.64' });
  assert.deepEqual(shown.body.server_group.members, [member.body.server.id]);

  // Asking for the group's own AZ is fine; another AZ is 400 and no pod sees a create.
  const before = cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/servers')).length);
  const wrong = await boot({ 'os:scheduler_hints': { group: g.id } }, { availability_zone: 'az1' });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body, { badRequest: { code: 400, message: `Server group ${g.id} is in availability zone az2; its members cannot be created in availability zone az1.` } });
  const unknown = '6b1e2a43-0c77-4f73-9e3b-1d1a3c3e5f00';
  const missing = await boot({ 'OS-SCH-HNT:scheduler_hints': { group: unknown } });
  assert.deepEqual(missing.body, { badRequest: { code: 400, message: `Instance group ${unknown} could not be found.` } });
  const after = cloud.pods.map((p) => p.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/servers')).length);
  assert.deepEqual(after, before, 'no pod was asked to create anything');

  const list = await api(cloud.compute, '/proj-a/os-server-groups', { version: '2.64' });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.server_groups.map((x: any) => x.id), [g.id]);

  const del = await api(cloud.compute, `/proj-a/os-server-groups/${g.id}`, { method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  assert.equal(await cloud.gw.store.routings.lookup(g.id, 'server_group'), undefined, 'Nova deletes at once: routing removed');
  assert.equal((await api(cloud.compute, `/proj-a/os-server-groups/${g.id}`)).status, 404);
});

test('below 2.64: policies list; Nova\'s own validation answers from the pod; nothing routed on refusal', async () => {
  const r = await api(cloud.compute, '/proj-b/os-server-groups', { who: BOB, method: 'POST', version: '2.15', body: { server_group: { name: 'soft', policies: ['soft-affinity'] } } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.server_group.policies, ['soft-affinity']);
  assert.equal((await cloud.gw.store.routings.lookup(r.body.server_group.id, 'server_group'))?.project_id, 'proj-b');
  const bad = await api(cloud.compute, '/proj-b/os-server-groups', { who: BOB, method: 'POST', version: '2.64', body: { server_group: { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } } } });
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'Only anti-affinity policy supports rules.' } });
  const rows = await cloud.gw.store.routings.list({ project_id: 'proj-b', resource_type: 'server_group' });
  assert.equal(rows.length, 1, 'the refused create left no routing');
  // Another project's group is unknown to proj-a, AZ and all.
  const foreign = await boot({ 'os:scheduler_hints': { group: r.body.server_group.id } });
  assert.deepEqual(foreign.body, { badRequest: { code: 400, message: `Instance group ${r.body.server_group.id} could not be found.` } });
});

test('list: a member sees only its groups; an admin\'s all_projects merges every pod, offset/limit over the whole', async () => {
  const mk = (who: typeof ALICE, project: string, name: string) =>
    api(cloud.compute, `/${project}/os-server-groups`, { who, method: 'POST', body: { server_group: { name, policies: ['affinity'] } } });
  const a = await mk(ALICE, 'proj-a', 'a1');
  assert.equal(a.status, 200, a.text);
  const mine = await api(cloud.compute, '/proj-a/os-server-groups?all_projects=True');
  assert.ok(mine.body.server_groups.every((x: any) => x.name !== 'soft'), 'all_projects is ignored for a member, as Nova does');
  const all = await api(cloud.compute, '/admin-project/os-server-groups?all_projects=1', { who: ADMIN_WHO, version: '2.13' });
  assert.equal(all.status, 200, all.text);
  const names = all.body.server_groups.map((x: any) => x.name);
  assert.ok(names.includes('soft') && names.includes('a1'), `both tenants' groups: ${names}`);
  const page = await api(cloud.compute, '/admin-project/os-server-groups?all_projects=1&offset=1&limit=1', { who: ADMIN_WHO });
  assert.deepEqual(page.body.server_groups.map((x: any) => x.name), [names[1]]);
  const closed = await api(cloud.compute, '/proj-a/os-server-groups?foo=1', { version: '2.75' });
  assert.equal(closed.status, 400, 'from 2.75 unknown query parameters are refused');
});
