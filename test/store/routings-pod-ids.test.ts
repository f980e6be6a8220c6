// The pods a project's list asks: those holding at least one active or deleting routing of the
// resource type, each once; pending rows, other projects and other types do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store';

test('podIds: every pod with an active or deleting routing of the project and type, once each', async () => {
  const s = await openStore({ url: ':memory:' });
  const pods = [];
  for (const name of ['P1', 'P2', 'P3', 'P4', 'P5']) pods.push(await s.pods.create({ pod_name: name, az_name: `az-${name}`, pod_az_name: '', dc_name: '', enabled: true, endpoints: null }));
  const [p1, p2, p3, p4, p5] = pods.map((p) => p.pod_id) as [string, string, string, string, string];
  let n = 0;
  const routed = async (project: string, pod: string, type: string, status: 'active' | 'deleting' | 'pending') => {
    const r = await s.routings.createPending(project, pod, type);
    if (status === 'pending') return;
    const done = await s.routings.complete(r.id, `id-${n++}`);
    if (status === 'deleting') await s.routings.setStatus(done!.id, 'active', 'deleting');
  };
  for (let i = 0; i < 30; i++) await routed('t', p1, 'server', 'active'); // many rows in one pod
  await routed('t', p2, 'server', 'pending'); // pending only: not held
  await routed('t', p3, 'server', 'deleting'); // deleting only: held
  await routed('t', p4, 'server', 'pending');
  await routed('t', p4, 'server', 'active'); // a pending row before an active one
  await routed('other', p5, 'server', 'active'); // another project
  await routed('t', p5, 'volume', 'active'); // another type
  const ids = await s.routings.podIds('t', 'server');
  assert.deepEqual([...ids].sort(), [p1, p3, p4].sort());
  assert.deepEqual(await s.routings.podIds('t', 'volume'), [p5]);
  assert.deepEqual(await s.routings.podIds('nobody', 'server'), []);
  await s.close();
});
