// One pod's nova-api stopped and started again: lists keep answering with what the other pod
// has (naming the missing pod), calls for the stopped pod fail cleanly and fast, nothing is left
// half-made, and everything is back once nova-api is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanProject, createServer, gw, http, mv, osc, podServerStatus, useBed, waitFor, type Creds } from './support';

const T = { timeout: 10 * 60_000 };

describe('a pod\'s nova-api stopped and restarted', () => {
  const bed = useBed();
  let c: Creds;
  const ids = { s1: '', s2: '' };
  let stopped = false;
  before(async () => {
    c = await bed().newProject('down');
    ids.s1 = await createServer(bed(), c, { name: 'up-vm', az: 'az1' });
    ids.s2 = await createServer(bed(), c, { name: 'down-vm', az: 'az2' });
    await podServerStatus(bed(), bed().pod('Pod1'), ids.s1, 'ACTIVE');
    await podServerStatus(bed(), bed().pod('Pod2'), ids.s2, 'ACTIVE');
  });
  after(async () => {
    if (stopped) await bed().pod('Pod2').startService('nova-api');
    if (c) await cleanProject(bed(), c);
  });

  test('stop Pod2\'s nova-api', T, async () => {
    await bed().pod('Pod2').stopService('nova-api');
    stopped = true;
  });

  test('lists answer with Pod1\'s servers and name Pod2 as missing; 2.69+ shows Pod2\'s as UNKNOWN', T, async () => {
    const g = gw(bed(), c.projectId);
    const token = await c.token();
    const old = await http('GET', `${g.compute}/servers/detail`, token, undefined, mv('2.1'));
    assert.equal(old.status, 200);
    assert.deepEqual(old.json.servers.map((s: { id: string }) => s.id), [ids.s1]);
    assert.match(old.headers.get('x-trio2o-missing-pods') ?? '', /^Pod2;reason=\w+;shown=skipped$/);
    const recent = await http('GET', `${g.compute}/servers/detail`, token, undefined, mv('2.79'));
    assert.equal(recent.status, 200);
    const byId = Object.fromEntries(recent.json.servers.map((s: { id: string; status: string }) => [s.id, s.status]));
    assert.deepEqual(byId, { [ids.s1]: 'ACTIVE', [ids.s2]: 'UNKNOWN' });
    assert.match(recent.headers.get('x-trio2o-missing-pods') ?? '', /^Pod2;reason=\w+;shown=minimal$/);
    const cli = await osc(c, 'server', 'list');
    assert.deepEqual(cli.map((s: { Name: string }) => s.Name), ['up-vm']);
  });

  test('a Pod2 server answers a clean 503 fault, fast; Pod1\'s still answers', T, async () => {
    const g = gw(bed(), c.projectId);
    const token = await c.token();
    const t0 = Date.now();
    const r = await http('GET', `${g.compute}/servers/${ids.s2}`, token);
    assert.ok(Date.now() - t0 < 35_000, `answered in ${Date.now() - t0} ms`);
    assert.ok([502, 503].includes(r.status), `${r.status} ${r.text}`);
    const [kind] = Object.keys(r.json ?? {});
    assert.ok(kind && typeof r.json[kind].message === 'string' && r.json[kind].code === r.status, `a Nova fault body: ${r.text}`);
    assert.equal((await http('GET', `${g.compute}/servers/${ids.s1}`, token)).status, 200);
  });

  test('a create in az2 fails cleanly and leaves no routing behind; az1 creates still work', T, async () => {
    const g = gw(bed(), c.projectId);
    const token = await c.token();
    const r = await http('POST', `${g.compute}/servers`, token, { server: { name: 'never', flavorRef: '42', imageRef: bed().images.tiny, networks: 'none', availability_zone: 'az2' } }, mv('2.79'));
    assert.ok([502, 503].includes(r.status), `${r.status} ${r.text}`);
    const routings = await http('GET', `${g.admin}/routings?project_id=${c.projectId}&resource_type=server`, await bed().users.admin.token());
    assert.equal(routings.status, 200);
    assert.equal(routings.json.routings.length, 2, `only the two real servers are routed: ${routings.text}`);
    const s3 = await createServer(bed(), c, { name: 'still-up', az: 'az1' });
    await podServerStatus(bed(), bed().pod('Pod1'), s3, 'ACTIVE');
  });

  test('start nova-api again: lists are whole again and the Pod2 server answers', T, async () => {
    await bed().pod('Pod2').startService('nova-api');
    stopped = false;
    const g = gw(bed(), c.projectId);
    // The gateway's breaker may hold the pod closed for its cooldown (30 s).
    const list = await waitFor('a complete list', async () => {
      const r = await http('GET', `${g.compute}/servers/detail`, await c.token(), undefined, mv('2.79'));
      return r.status === 200 && !r.headers.get('x-trio2o-missing-pods') ? r.json.servers : undefined;
    }, 180_000, 2_000);
    assert.equal(list.length, 3);
    assert.ok(list.every((s: { status: string }) => s.status === 'ACTIVE'));
    const r = await http('GET', `${g.compute}/servers/${ids.s2}`, await c.token());
    assert.equal(r.status, 200);
    assert.equal(r.json.server.status, 'ACTIVE');
  });
});
