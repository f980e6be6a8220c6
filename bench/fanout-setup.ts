/**
 * What bench/fanout.ts and bench/fanout-cpu.ts share: simulated pods hosted in child processes
 * (each pod SERVERS servers of PROJECT, every answer DELAY_MS late), and a gateway with those pods
 * registered and every server routed to PROJECT.
 *
 * Env: DELAY_MS (20), SERVERS (100 per pod).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { startTestGateway } from '../test/support/gateway';
import { ADMIN, identity } from '../test/support/http';

const DELAY_MS = Number(process.env.DELAY_MS ?? 20);
const SERVERS = Number(process.env.SERVERS ?? 100);

/** The project every server belongs to. */
export const PROJECT = 'bench-project';
/** The noauth identity of a member of PROJECT. */
export const HEADERS = identity(PROJECT);

export interface PodInfo {
  name: string;
  endpoints: { compute: string; volumev3: string; image: string };
  az: string;
  ids: string[];
}

/** Child side: starts pods first+1 .. first+count, seeds them, sends their PodInfo to the parent. */
async function hostPods(first: number, count: number): Promise<void> {
  const { startSimPod, CIRROS_IMAGE_ID } = await import('@trio2o/podsim');
  const out: PodInfo[] = [];
  for (let i = first; i < first + count; i++) {
    const pod = await startSimPod({ name: `Pod${i + 1}`, az: `nova-${i + 1}`, transitionMs: 1 });
    // One create of SERVERS servers (min_count), straight to the pod; then the fault.
    const r = await fetch(`${pod.endpoints.compute}/${PROJECT}/servers`, {
      method: 'POST',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ server: { name: `vm-p${i + 1}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, min_count: SERVERS, max_count: SERVERS } }),
    });
    if (r.status !== 202) throw new Error(`seed pod ${i + 1}: ${r.status} ${await r.text()}`);
    pod.inject({ kind: 'delay', ms: DELAY_MS });
    out.push({ name: pod.name, endpoints: pod.endpoints, az: pod.az, ids: [...pod.servers.keys()] });
  }
  process.send!(out);
}

/**
 * Starts `total` pods in `procs` child processes (the pods get their own cores' share, not the
 * gateway's event loop). Kill the children when done.
 */
export function startPodHosts(total: number, procs: number): Promise<{ pods: PodInfo[]; children: ChildProcess[] }> {
  const per = Math.ceil(total / procs);
  const jobs: Promise<{ child: ChildProcess; pods: PodInfo[] }>[] = [];
  for (let first = 0; first < total; first += per) {
    const child = fork(fileURLToPath(import.meta.url), ['--host', String(first), String(Math.min(per, total - first))], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, RUST_LOG: 'off' },
    });
    jobs.push(new Promise((resolve, reject) => {
      child.once('message', (m) => resolve({ child, pods: m as PodInfo[] }));
      child.once('exit', (code) => reject(new Error(`pod host exited ${code}`)));
    }));
  }
  return Promise.all(jobs).then((r) => ({ pods: r.flatMap((x) => x.pods), children: r.map((x) => x.child) }));
}

export type StartGateway = typeof startTestGateway;
export type BenchGateway = Awaited<ReturnType<StartGateway>>;

/** A gateway (`start` from any checkout) with the first n pods registered and every server routed to PROJECT. */
export async function gatewayWith(start: StartGateway, pods: PodInfo[], n: number, opts: Parameters<StartGateway>[0] = {}): Promise<BenchGateway> {
  const gw = await start({ pods: { listTimeoutMs: 10_000 }, ...opts });
  const post = (body: unknown) =>
    fetch(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ pod: { pod_id: string } }>);
  await post({ pod: { pod_name: 'RegionOne' } });
  for (const [i, p] of pods.slice(0, n).entries()) {
    const { pod } = await post({ pod: { pod_name: p.name, az_name: `az${i + 1}`, pod_az_name: p.az, endpoints: p.endpoints } });
    for (const id of p.ids) {
      const pending = await gw.store.routings.createPending(PROJECT, pod.pod_id, 'server');
      await gw.store.routings.complete(pending.id, id, id);
    }
  }
  return gw;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--host') void hostPods(Number(process.argv[3]), Number(process.argv[4]));
