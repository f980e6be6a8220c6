// The pod simulator against the real thing: one request sequence sent to the real Pod1 and to a
// simulated pod (keystone mode, same Keystone, same user), comparing each answer's status and
// shape (keys, value kinds, timestamp formats). Every difference found this way was fixed in
// packages/podsim with a test pinning it (packages/podsim/test/pod/sim-realpods-fidelity.test.ts);
// this keeps the two from drifting apart again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimPod, CIRROS_IMAGE_ID, type SimPod } from '@trio2o/podsim';
import { diffShapes, shape } from '../parity/probe';
import { http, mv, sleep, useBed, vmv, waitFor, type Creds } from './support';

const T = { timeout: 15 * 60_000 };
/** The simulator's second image, for rebuilds. */
const SIM_ALT_IMAGE = '2d7c8e1f-5a4b-4c3d-8e9f-0a1b2c3d4e5f';

interface Target {
  name: 'real' | 'sim';
  compute: string;
  volume: string;
  image: string;
  alt: string;
}

interface Step {
  step: string;
  status: number;
  json: unknown;
}

/** One sequence of calls; `rec` keeps each answer for the comparison. */
class Recorder {
  readonly steps: Step[] = [];
  constructor(readonly t: Target, readonly token: string) {}

  async call(step: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const r = await http(method, url, this.token, body, headers);
    this.steps.push({ step, status: r.status, json: r.json });
    return r;
  }

  /** Waits (not recorded) until the server satisfies `want` (or is gone, `want('GONE')`). */
  async server(id: string, want: (s: Record<string, any> | 'GONE') => boolean): Promise<void> {
    await waitFor(`${this.t.name}: server ${id}`, async () => {
      const r = await http('GET', `${this.t.compute}/servers/${id}`, this.token, undefined, mv('2.79'));
      return want(r.status === 404 ? 'GONE' : r.json.server) || undefined;
    }, 120_000, 100);
  }

  async volume(id: string, status: string): Promise<void> {
    await waitFor(`${this.t.name}: volume ${id} ${status}`, async () => {
      const r = await http('GET', `${this.t.volume}/volumes/${id}`, this.token);
      return (r.status === 404 ? 'GONE' : r.json.volume.status) === status || undefined;
    }, 120_000, 100);
  }
}

const steady = (status: string) => (s: Record<string, any> | 'GONE') => s !== 'GONE' && s.status === status && !s['OS-EXT-STS:task_state'];

async function computeSequence(r: Recorder): Promise<void> {
  const { compute, image, alt } = r.t;
  await r.call('GET /v2.1', 'GET', compute);
  await r.call('GET flavor 2.79', 'GET', `${compute}/flavors/1`, undefined, mv('2.79'));
  await r.call('GET unknown server', 'GET', `${compute}/servers/0f0f0f0f-0000-4000-8000-000000000000`);
  await r.call('POST bad flavor', 'POST', `${compute}/servers`, { server: { name: 'x', imageRef: image, flavorRef: '999', networks: 'none' } }, mv('2.79'));
  await r.call('POST bad image', 'POST', `${compute}/servers`, { server: { name: 'x', imageRef: '0f0f0f0f-0000-4000-8000-000000000000', flavorRef: '1', networks: 'none' } }, mv('2.79'));
  await r.call('POST without networks at 2.37', 'POST', `${compute}/servers`, { server: { name: 'x', imageRef: image, flavorRef: '1' } }, mv('2.37'));
  await r.call('POST unknown AZ', 'POST', `${compute}/servers`, { server: { name: 'x', imageRef: image, flavorRef: '1', networks: 'none', availability_zone: 'nope' } }, mv('2.79'));
  const made = await r.call('POST server', 'POST', `${compute}/servers`, { server: { name: 'p1', imageRef: image, flavorRef: '42', networks: 'none', metadata: { a: 'b' } } }, mv('2.79'));
  const id = made.json.server.id as string;
  await r.server(id, steady('ACTIVE'));
  const s = `${compute}/servers/${id}`;
  await r.call('GET server 2.1', 'GET', s);
  await r.call('GET server 2.79', 'GET', s, undefined, mv('2.79'));
  await r.call('GET servers', 'GET', `${compute}/servers`);
  await r.call('GET servers/detail 2.79', 'GET', `${compute}/servers/detail`, undefined, mv('2.79'));
  await r.call('PUT server', 'PUT', s, { server: { name: 'p1b' } }, mv('2.79'));
  await r.call('GET metadata', 'GET', `${s}/metadata`);
  await r.call('PUT metadata item', 'PUT', `${s}/metadata/k`, { meta: { k: 'v' } });
  await r.call('DELETE unknown metadata item', 'DELETE', `${s}/metadata/nokey`);
  await r.call('os-start while ACTIVE', 'POST', `${s}/action`, { 'os-start': null });
  await r.call('unknown action', 'POST', `${s}/action`, { 'os-nothing': null });
  const act = async (name: string, body: unknown, want: (x: Record<string, any> | 'GONE') => boolean, v = '2.1') => {
    const res = await r.call(`action ${name}`, 'POST', `${s}/action`, body, mv(v));
    if (res.status < 300) await r.server(id, want);
  };
  await act('os-stop', { 'os-stop': null }, steady('SHUTOFF'));
  await act('os-start', { 'os-start': null }, steady('ACTIVE'));
  await act('reboot', { reboot: { type: 'SOFT' } }, steady('ACTIVE'));
  await act('pause', { pause: null }, steady('PAUSED'));
  await act('unpause', { unpause: null }, steady('ACTIVE'));
  await act('suspend', { suspend: null }, steady('SUSPENDED'));
  await act('resume', { resume: null }, steady('ACTIVE'));
  await act('lock', { lock: null }, (x) => x !== 'GONE' && x.locked === true);
  await r.call('os-stop while locked', 'POST', `${s}/action`, { 'os-stop': null });
  await act('unlock', { unlock: null }, (x) => x !== 'GONE' && x.locked === false);
  await r.call('console output', 'POST', `${s}/action`, { 'os-getConsoleOutput': { length: 5 } });
  await act('resize', { resize: { flavorRef: '84' } }, steady('VERIFY_RESIZE'));
  await act('confirmResize', { confirmResize: null }, steady('ACTIVE'));
  await r.call('GET after resize 2.79', 'GET', s, undefined, mv('2.79'));
  await act('rebuild', { rebuild: { imageRef: alt, name: 'rebuilt' } }, steady('ACTIVE'), '2.79');
  // Nova's default shelved_offload_time is 0: both must end SHELVED_OFFLOADED.
  await act('shelve', { shelve: null }, steady('SHELVED_OFFLOADED'));
  await r.call('GET shelved 2.79', 'GET', s, undefined, mv('2.79'));
  await act('unshelve', { unshelve: null }, steady('ACTIVE'));
  await r.call('instance actions', 'GET', `${s}/os-instance-actions`, undefined, mv('2.79'));
  await r.call('POST keypair', 'POST', `${compute}/os-keypairs`, { keypair: { name: 'pk' } }, mv('2.79'));
  await r.call('POST keypair again', 'POST', `${compute}/os-keypairs`, { keypair: { name: 'pk' } }, mv('2.79'));
  await r.call('GET keypair', 'GET', `${compute}/os-keypairs/pk`, undefined, mv('2.79'));
  await r.call('DELETE keypair', 'DELETE', `${compute}/os-keypairs/pk`, undefined, mv('2.79'));
  await r.call('limits 2.79', 'GET', `${compute}/limits`, undefined, mv('2.79'));
  await r.call('availability zones', 'GET', `${compute}/os-availability-zone`);
  await r.call('DELETE server', 'DELETE', s);
  await r.server(id, (x) => x === 'GONE');
  await r.call('GET deleted server', 'GET', s);
}

async function volumeSequence(r: Recorder): Promise<void> {
  const { compute, volume } = r.t;
  const server = (await r.call('POST server for attach', 'POST', `${compute}/servers`, { server: { name: 'pa', imageRef: r.t.image, flavorRef: '42', networks: 'none' } }, mv('2.79'))).json.server.id as string;
  await r.call('GET unknown volume', 'GET', `${volume}/volumes/0f0f0f0f-0000-4000-8000-000000000000`);
  const made = await r.call('POST volume', 'POST', `${volume}/volumes`, { volume: { size: 1, name: 'pv' } });
  const id = made.json.volume.id as string;
  await r.volume(id, 'available');
  const v = `${volume}/volumes/${id}`;
  await r.call('GET volume 3.0', 'GET', v);
  await r.call('GET volume 3.64', 'GET', v, undefined, vmv('3.64'));
  await r.call('GET volumes', 'GET', `${volume}/volumes`);
  await r.call('extend', 'POST', `${v}/action`, { 'os-extend': { new_size: 2 } });
  await r.volume(id, 'available');
  await r.call('extend to a smaller size', 'POST', `${v}/action`, { 'os-extend': { new_size: 1 } });
  const snap = await r.call('POST snapshot', 'POST', `${volume}/snapshots`, { snapshot: { volume_id: id, name: 'ps' } });
  const snapId = snap.json.snapshot.id as string;
  await waitFor('snapshot available', async () => (await http('GET', `${volume}/snapshots/${snapId}`, r.token)).json?.snapshot?.status === 'available' || undefined, 60_000, 100);
  await r.call('GET snapshot', 'GET', `${volume}/snapshots/${snapId}`);
  await r.call('GET snapshots', 'GET', `${volume}/snapshots`);
  await r.call('DELETE volume with a snapshot', 'DELETE', v);
  await r.call('DELETE snapshot', 'DELETE', `${volume}/snapshots/${snapId}`);
  await waitFor('snapshot gone', async () => (await http('GET', `${volume}/snapshots/${snapId}`, r.token)).status === 404 || undefined, 60_000, 100);
  await r.server(server, steady('ACTIVE'));
  await r.call('attach through Nova', 'POST', `${compute}/servers/${server}/os-volume_attachments`, { volumeAttachment: { volumeId: id } }, mv('2.79'));
  await r.volume(id, 'in-use');
  await r.call('GET volume in-use', 'GET', v);
  await r.call('GET server with a volume 2.79', 'GET', `${compute}/servers/${server}`, undefined, mv('2.79'));
  await r.call('list attachments', 'GET', `${compute}/servers/${server}/os-volume_attachments`, undefined, mv('2.79'));
  await r.call('DELETE in-use volume', 'DELETE', v);
  await r.call('extend in-use at 3.0', 'POST', `${v}/action`, { 'os-extend': { new_size: 3 } });
  await r.call('snapshot of in-use without force', 'POST', `${volume}/snapshots`, { snapshot: { volume_id: id } });
  await r.call('detach through Nova', 'DELETE', `${compute}/servers/${server}/os-volume_attachments/${id}`);
  await r.volume(id, 'available');
  await r.call('DELETE volume', 'DELETE', v);
  await r.volume(id, 'GONE');
  await r.call('volume limits', 'GET', `${volume}/limits`);
  await r.call('volume types', 'GET', `${volume}/types`);
  await r.call('volume AZs', 'GET', `${volume}/os-availability-zone`);
  await r.call('DELETE server', 'DELETE', `${compute}/servers/${server}`);
  await r.server(server, (x) => x === 'GONE');
}

async function bootSequence(r: Recorder): Promise<void> {
  const { compute, volume, image } = r.t;
  const blank = await r.call('POST server from a blank volume', 'POST', `${compute}/servers`, {
    server: { name: 'bfv', flavorRef: '42', networks: 'none', block_device_mapping_v2: [{ boot_index: 0, source_type: 'blank', destination_type: 'volume', volume_size: 1, delete_on_termination: true }] },
  }, mv('2.79'));
  const fromImage = await r.call('POST server from an image-made volume', 'POST', `${compute}/servers`, {
    server: { name: 'bfi', flavorRef: '42', networks: 'none', block_device_mapping_v2: [{ boot_index: 0, uuid: image, source_type: 'image', destination_type: 'volume', volume_size: 1, delete_on_termination: true }] },
  }, mv('2.79'));
  for (const made of [blank, fromImage]) await r.server(made.json.server.id, steady('ACTIVE'));
  await r.call('GET server from a blank volume', 'GET', `${compute}/servers/${blank.json.server.id}`, undefined, mv('2.79'));
  const vols = await r.call('GET volumes/detail after boots', 'GET', `${volume}/volumes/detail`);
  assert.equal(vols.json.volumes.length, 2, `${r.t.name}: Nova made two boot volumes`);
  const multi = await r.call('POST multi-create with return_reservation_id', 'POST', `${compute}/servers`, {
    server: { name: 'mc', imageRef: image, flavorRef: '42', networks: 'none', min_count: 2, max_count: 2, return_reservation_id: true },
  }, mv('2.79'));
  await sleep(500);
  const listed = await waitFor('both servers listed', async () => {
    const l = await http('GET', `${compute}/servers/detail?reservation_id=${multi.json.reservation_id}`, r.token, undefined, mv('2.79'));
    return l.json.servers.length === 2 && l.json.servers.every((x: { status: string }) => x.status === 'ACTIVE') ? l.json : undefined;
  }, 120_000, 200);
  r.steps.push({ step: 'servers of the reservation', status: 200, json: listed });
  assert.deepEqual(listed.servers.map((x: { name: string }) => x.name).sort(), ['mc-1', 'mc-2']);
  const all = (await http('GET', `${compute}/servers`, r.token)).json.servers as { id: string }[];
  for (const x of all) await http('DELETE', `${compute}/servers/${x.id}`, r.token);
  for (const x of all) await r.server(x.id, (s) => s === 'GONE');
  // delete_on_termination: Nova deletes both boot volumes.
  await waitFor(`${r.t.name}: boot volumes deleted`, async () => (await http('GET', `${volume}/volumes`, r.token)).json.volumes.length === 0 || undefined, 120_000, 200);
}

/** Differences in status or shape between the two recordings, step by step. */
function compare(real: Step[], sim: Step[]): string[] {
  const out: string[] = [];
  assert.deepEqual(sim.map((s) => s.step), real.map((s) => s.step), 'both ran the same steps');
  for (const [i, a] of real.entries()) {
    const b = sim[i]!;
    const d = [...(a.status !== b.status ? [`status real ${a.status} vs sim ${b.status}`] : []), ...diffShapes(shape(a.json), shape(b.json))];
    if (d.length > 0) out.push(`${a.step}:\n    ${d.join('\n    ')}\n    real: ${JSON.stringify(a.json).slice(0, 300)}\n    sim:  ${JSON.stringify(b.json).slice(0, 300)}`);
  }
  return out;
}

describe('the pod simulator answers like a real pod (status and shape of each answer)', () => {
  const bed = useBed();
  let sim: SimPod;
  let c: Creds;
  const targets = (): Target[] => {
    const pod = bed().pod('Pod1');
    return [
      { name: 'real', compute: pod.endpoints.compute, volume: pod.endpoints.volumev3.replace('%(project_id)s', c.projectId), image: bed().images.tiny, alt: bed().images.alt },
      { name: 'sim', compute: sim.endpoints.compute, volume: sim.endpoints.volumev3.replace('%(project_id)s', c.projectId), image: CIRROS_IMAGE_ID, alt: SIM_ALT_IMAGE },
    ];
  };
  before(async () => {
    c = await bed().newProject('parity');
    sim = await startSimPod({ name: 'Pod1', az: 'az1', transitionMs: 100, record: false, auth: { mode: 'keystone', keystoneUrl: bed().keystone.url } });
  });
  after(async () => {
    await sim?.close();
  });

  for (const [name, sequence] of [
    ['servers: create, show, list, update, metadata, every action of the fake driver, keypairs, limits, delete', computeSequence],
    ['volumes: create, extend, snapshots, attach and detach through Nova, the refusals in between', volumeSequence],
    ['boot from a blank and from an image-made volume, multi-create with a reservation id', bootSequence],
  ] as const) {
    test(name, T, async () => {
      const token = await c.token();
      const [real, simulated] = targets().map((t) => new Recorder(t, token));
      await sequence(real!);
      await sequence(simulated!);
      assert.deepEqual(compare(real!.steps, simulated!.steps), []);
    });
  }
});
