// Paging with ties, property-style: many servers, volumes, snapshots and backups in three pods,
// most of them sharing `created` (Nova and Cinder keep whole seconds) and every other sort value
// drawn from two or three choices. Walking the `next` links, for every sort key, both directions
// and several limits, must return every item exactly once and in the order of the unpaged list —
// which only holds when the gateway breaks ties exactly as every pod does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud } from '../support/cloud';
import { ADMIN, call, identity, type Reply } from '../support/http';
import { as, seed, startThreePods, AZS } from './helpers';

let cloud: Cloud;
const P = 'proj-ties';
const who = identity(P);
const PER_POD = 5;
const LIMITS = [1, 2, 3, 7];

/** Seconds after a fixed epoch as Cinder prints created_at (whole seconds, six zero digits). */
const cinderAt = (s: number) => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000');
const pick = <T>(choices: readonly T[], i: number): T => choices[i % choices.length]!;

const ids: Record<'servers' | 'volumes' | 'snapshots' | 'backups', string[]> = { servers: [], volumes: [], snapshots: [], backups: [] };

async function volumeCall(path: string, body?: unknown): Promise<any> {
  const r = await call(`${cloud.volume}/v3/${P}${path}`, { method: body ? 'POST' : 'GET', headers: who, body });
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
  return r.body;
}

async function settled(path: string, key: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const s = (await volumeCall(path))[key].status;
    if (s === 'available') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} never became available`);
}

before(async () => {
  cloud = await startThreePods();
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  // Servers: created/updated/launched from two seconds, names from three, half stopped.
  for (const [i, s] of (await seed(cloud, P, PER_POD)).entries()) {
    ids.servers.push(s.id);
    const sim = cloud.pods.map((p) => p.servers.get(s.id)).find(Boolean)!;
    sim.createdAt = pick(['2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z'], i);
    sim.updatedAt = pick(['2024-01-01T00:00:05Z', '2024-01-01T00:00:05Z', '2024-01-01T00:00:06Z'], i);
    sim.launchedAt = pick(['2024-01-01T00:00:02.000000', null], i);
    sim.name = pick(['a', 'b', 'a'], i >> 1);
    sim.keyName = pick([null, 'k1'], i >> 2);
    sim.accessIPv4 = pick(['', '10.0.0.1'], i);
    sim.launchIndex = i % 2;
    sim.lockedBy = pick([null, 'owner', null], i);
    if (i % 3 === 0) {
      sim.vmState = 'stopped';
      sim.powerState = 4;
    }
  }
  // Volumes, one snapshot and one backup each, all with few distinct sort values: more than
  // Cinder's default quotas allow one project, so the project's volume quotas are lifted.
  const lifted = await call(`${cloud.volume}/v3/admin-project/os-quota-sets/${P}`, {
    method: 'PUT',
    headers: ADMIN,
    body: { quota_set: { volumes: -1, snapshots: -1, backups: -1, gigabytes: -1, backup_gigabytes: -1 } },
  });
  assert.equal(lifted.status, 200, lifted.text);
  for (const [p, az] of AZS.entries()) {
    for (let i = 0; i < PER_POD; i++) {
      const vol = (await volumeCall('/volumes', { volume: { size: 1 + (i % 2), name: pick(['x', 'y', 'x'], i + p), availability_zone: az } })).volume.id as string;
      await settled(`/volumes/${vol}`, 'volume');
      ids.volumes.push(vol);
      const snap = (await volumeCall('/snapshots', { snapshot: { volume_id: vol, name: pick(['s', 't'], i) } })).snapshot.id as string;
      await settled(`/snapshots/${snap}`, 'snapshot');
      ids.snapshots.push(snap);
      const backup = (await volumeCall('/backups', { backup: { volume_id: vol, name: pick(['b', 'c'], i + p) } })).backup.id as string;
      await settled(`/backups/${backup}`, 'backup');
      await settled(`/volumes/${vol}`, 'volume');
      ids.backups.push(backup);
    }
  }
  const st = cloud.pods.map((p) => p.volumeService);
  for (const [i, id] of ids.volumes.entries()) {
    const v = st.map((s) => s.volumes.get(id)).find(Boolean)!;
    v.createdAt = cinderAt(i % 2);
    v.updatedAt = pick([cinderAt(3), null], i >> 1);
  }
  for (const [i, id] of ids.snapshots.entries()) {
    const s = st.map((x) => x.snapshots.get(id)).find(Boolean)!;
    s.createdAt = cinderAt(i % 3 === 0 ? 1 : 0);
    s.updatedAt = pick([cinderAt(4), cinderAt(5)], i >> 1);
  }
  for (const [i, id] of ids.backups.entries()) {
    const b = st.map((x) => x.backups.get(id)).find(Boolean)!;
    b.createdAt = cinderAt(i % 2 === 0 ? 2 : 0);
    b.updatedAt = pick([cinderAt(6), null], i);
  }
});
after(() => cloud?.close());

interface Family {
  collection: keyof typeof ids;
  path: string;
  headers: () => Record<string, string>;
  keys: string[];
  query(key: string, dir: string): string;
}

const FAMILIES: Family[] = [
  {
    collection: 'servers',
    path: `/v2.1/${P}/servers/detail`,
    headers: () => as(P, '2.79'),
    keys: [
      'created_at', 'updated_at', 'display_name', 'uuid', 'key_name', 'vm_state', 'power_state', 'task_state',
      'launched_at', 'access_ip_v4', 'user_id', 'project_id', 'availability_zone', 'config_drive', 'image_ref',
      'display_description', 'locked',
      // Keys a member's answer does not show: the pods sort by them, the gateway cannot compare them.
      'instance_type_id', 'locked_by', 'progress', 'vm_mode', 'hostname', 'kernel_id', 'launch_index', 'root_device_name',
    ],
    query: (key, dir) => `sort_key=${key}&sort_dir=${dir}`,
  },
  {
    // At 2.1 a member's answer shows no description and locked is one of Nova's ignored keys.
    collection: 'servers',
    path: `/v2.1/${P}/servers/detail`,
    headers: () => as(P, '2.1'),
    keys: ['display_description', 'locked', 'hostname', 'launch_index', 'created_at'],
    query: (key, dir) => `sort_key=${key}&sort_dir=${dir}`,
  },
  ...(['volumes', 'snapshots', 'backups'] as const).map((collection): Family => ({
    collection,
    path: `/v3/${P}/${collection}/detail`,
    headers: () => who,
    // host, project_id, volume_type: Cinder sorts by columns the answers do not show (the gateway drops them).
    keys: ['created_at', 'updated_at', 'name', 'id', 'size', 'status', 'host', 'project_id', ...(collection === 'volumes' ? ['availability_zone', 'bootable', 'volume_type'] : ['volume_id'])],
    query: (key, dir) => `sort=${key}:${dir}`,
  })),
];

/** Follows `<collection>_links` next from `url`; returns the ids in walk order. */
async function walk(url: string, collection: string, headers: Record<string, string>, cold = false): Promise<string[]> {
  const out: string[] = [];
  let next: string | undefined = url;
  for (let pages = 0; next; pages++) {
    assert.ok(pages <= 200, `${url}: the walk ends`);
    // As if each page were answered by another gateway process: no remembered pod positions.
    if (cold) cloud.gw.gateway.parts.fanout.cursors.clear();
    const r: Reply = await call(next, { headers });
    assert.equal(r.status, 200, `${next}: ${r.text}`);
    out.push(...r.body[collection].map((x: { id: string }) => x.id));
    next = r.body[`${collection}_links`]?.find((l: { rel: string }) => l.rel === 'next')?.href;
  }
  return out;
}

for (const f of FAMILIES) {
  test(`${f.collection} (${f.keys[0]}…): every sort key, both directions, limits ${LIMITS.join('/')}: each item exactly once`, async () => {
    const base = f.path.startsWith('/v2.1') ? cloud.compute : cloud.volume;
    const all = ids[f.collection];
    assert.equal(all.length, AZS.length * PER_POD);
    for (const key of f.keys) {
      for (const dir of ['asc', 'desc']) {
        const url = `${base}${f.path}?${f.query(key, dir)}`;
        const whole = await walk(url, f.collection, f.headers());
        assert.deepEqual([...whole].sort(), [...all].sort(), `${key} ${dir}: the unpaged list has every item once`);
        for (const limit of LIMITS) {
          const paged = await walk(`${url}&limit=${limit}`, f.collection, f.headers());
          assert.deepEqual(paged, whole, `${key} ${dir} limit ${limit}: the walk equals the unpaged list`);
        }
        const cold = await walk(`${url}&limit=2`, f.collection, f.headers(), true);
        assert.deepEqual(cold, whole, `${key} ${dir} limit 2 without remembered positions`);
      }
    }
  });
}
