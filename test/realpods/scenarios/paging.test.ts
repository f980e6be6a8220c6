// Paging across both pods: servers and volumes of one project, three in each pod, read through
// the gateway a page at a time. Real Nova and Cinder keep `created` to the second, so several
// resources share a timestamp and the order rests on the tie-breaking key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanProject, createServer, createVolume, gw, http, mv, osc, podServerStatus, podVolumeStatus, useBed, type Answer, type Creds,
} from './support';

const T = { timeout: 10 * 60_000 };

/** Follows `<collection>_links` rel=next from `url` and returns every page's ids. */
async function allPages(url: string, token: string, collection: 'servers' | 'volumes', headers: Record<string, string> = {}): Promise<{ pages: string[][]; items: Record<string, any>[] }> {
  const pages: string[][] = [];
  const items: Record<string, any>[] = [];
  for (let next: string | undefined = url, n = 0; next; n++) {
    assert.ok(n < 20, 'paging ends');
    const r: Answer = await http('GET', next, token, undefined, headers);
    assert.equal(r.status, 200, r.text);
    pages.push(r.json[collection].map((x: { id: string }) => x.id));
    items.push(...r.json[collection]);
    next = (r.json[`${collection}_links`] as { rel: string; href: string }[] | undefined)?.find((l) => l.rel === 'next')?.href;
  }
  return { pages, items };
}

describe('paging across both pods', () => {
  const bed = useBed();
  let c: Creds;
  const servers: string[] = [];
  const volumes: string[] = [];
  before(async () => {
    c = await bed().newProject('paging');
  });
  after(async () => c && cleanProject(bed(), c));

  test('three servers and three volumes in each pod', T, async () => {
    for (const az of ['az1', 'az2', 'az1', 'az2', 'az1', 'az2']) {
      servers.push(await createServer(bed(), c, { name: `p-${az}-${servers.length}`, az }));
      volumes.push(await createVolume(bed(), c, { name: `pv-${az}-${volumes.length}`, az }));
    }
    for (const [i, id] of servers.entries()) await podServerStatus(bed(), bed().pod(i % 2 ? 'Pod2' : 'Pod1'), id, 'ACTIVE');
    for (const [i, id] of volumes.entries()) await podVolumeStatus(bed(), bed().pod(i % 2 ? 'Pod2' : 'Pod1'), id, 'available');
  });

  test('GET /servers/detail?limit=2 and its next links: every server once, newest first, pages of 2', T, async () => {
    const { pages, items } = await allPages(`${gw(bed(), c.projectId).compute}/servers/detail?limit=2`, await c.token(), 'servers', mv('2.79'));
    assert.deepEqual(pages.slice(0, 3).map((p) => p.length), [2, 2, 2]);
    assert.deepEqual(items.map((s) => s.id).sort(), [...servers].sort());
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.created >= items[i]!.created, `created desc at ${i}`);
    const full = await http('GET', `${gw(bed(), c.projectId).compute}/servers/detail`, await c.token(), undefined, mv('2.79'));
    assert.deepEqual(items.map((s) => s.id), full.json.servers.map((s: { id: string }) => s.id), 'paged order = unpaged order');
  });

  test('sorted by name asc with limit 4: a-z across both pods', T, async () => {
    const { items } = await allPages(`${gw(bed(), c.projectId).compute}/servers/detail?limit=4&sort_key=display_name&sort_dir=asc`, await c.token(), 'servers', mv('2.79'));
    const names = items.map((s) => s.name);
    assert.deepEqual(names, [...names].sort());
    assert.equal(names.length, 6);
  });

  test('openstack server list --limit 4 then --marker: the rest, no overlap', T, async () => {
    const first = await osc(c, 'server', 'list', '--limit', '4');
    assert.equal(first.length, 4);
    const rest = await osc(c, 'server', 'list', '--limit', '4', '--marker', first[3].ID);
    assert.equal(rest.length, 2);
    assert.deepEqual([...first, ...rest].map((s: { ID: string }) => s.ID).sort(), [...servers].sort());
  });

  test('GET /volumes/detail?limit=2 and its next links: every volume once, newest first', T, async () => {
    const { pages, items } = await allPages(`${gw(bed(), c.projectId).volume}/volumes/detail?limit=2`, await c.token(), 'volumes');
    assert.ok(pages.every((p) => p.length <= 2));
    assert.deepEqual(items.map((v) => v.id).sort(), [...volumes].sort());
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.created_at >= items[i]!.created_at, `created_at desc at ${i}`);
    const cinderList = await osc(c, 'volume', 'list', '--limit', '3');
    assert.equal(cinderList.length, 3);
  });
});
