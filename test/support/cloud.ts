/**
 * A small cloud for integration tests: N simulated pods (each its own AZ unless told) behind one
 * gateway, pods registered through the admin API with their endpoints as overrides.
 */
import { startSimPod, type SimPod, type SimPodOptions } from '@trio2o/podsim';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway';
import { call, ADMIN } from './http';

export interface CloudPodSpec extends SimPodOptions {
  /** Top AZ the pod belongs to. */
  topAz: string;
  /** AZ name to send to the pod ('' = none). @default the sim's az */
  podAz?: string;
}

export interface Cloud {
  gw: TestGateway;
  pods: SimPod[];
  podIds: string[];
  compute: string;
  volume: string;
  admin: string;
  close(): Promise<void>;
}

export async function startCloud(specs: CloudPodSpec[], gwOpts: TestGatewayOptions = {}): Promise<Cloud> {
  const pods = await Promise.all(specs.map((s, i) => startSimPod({ name: `Pod${i + 1}`, az: `${s.topAz}-internal`, ...s })));
  const gw = await startTestGateway(gwOpts);
  const podIds: string[] = [];
  try {
    const top = await call(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: ADMIN, body: { pod: { pod_name: 'RegionOne' } } });
    if (top.status !== 200) throw new Error(`top pod: ${top.status} ${top.text}`);
    for (const [i, s] of specs.entries()) {
      const r = await call(`${gw.urls.admin}/v1.0/pods`, {
        method: 'POST',
        headers: ADMIN,
        body: { pod: { pod_name: pods[i]!.name, az_name: s.topAz, pod_az_name: s.podAz ?? pods[i]!.az, endpoints: pods[i]!.endpoints } },
      });
      if (r.status !== 200) throw new Error(`pod ${i}: ${r.status} ${r.text}`);
      podIds.push(r.body.pod.pod_id);
    }
    await gw.gateway.parts.computeVersions.refresh();
    await catalogSyncTried(gw);
  } catch (err) {
    await gw.close();
    await Promise.all(pods.map((p) => p.close()));
    throw err;
  }
  return {
    gw,
    pods,
    podIds,
    compute: gw.urls.compute,
    volume: gw.urls.volume,
    admin: gw.urls.admin,
    async close() {
      await gw.close();
      await Promise.all(pods.map((p) => p.close()));
    },
  };
}

/**
 * Waits (bounded) until each registered pod's catalog sync has made its first attempt, so the
 * pod calls a registration causes are over before a test counts the requests its pods see.
 */
async function catalogSyncTried(gw: TestGateway): Promise<void> {
  if (!gw.gateway.parts.runner.started) return;
  const tried = async () => (await gw.store.jobs.list({ type: 'pod_catalog_sync' })).every((j) => j.attempts >= 1 && j.status !== 'running');
  await eventually(tried, 5_000).catch(() => {});
  await gw.gateway.parts.runner.idle();
}

/** Polls until `check` returns a truthy value (bounded); returns it. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 3000, stepMs = 20): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
