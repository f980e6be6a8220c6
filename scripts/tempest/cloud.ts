/**
 * The cloud Tempest runs against: one real Keystone (test/support/keystone) and simulated pods
 * in keystone mode, each registered in the catalog as its own region (Pod1, Pod2) with compute,
 * volumev3 and image endpoints. Everything runs in this process except Keystone, whose uwsgi
 * master is stopped by PID in stop().
 */
import { startKeystone, type KeystoneHandle } from '../../test/support/keystone';
import { startSimPod, type SimPod } from '@trio2o/podsim';

/** Catalog types and names, as devstack registers them. */
export const SERVICES = [
  { type: 'compute', name: 'nova' },
  { type: 'volumev3', name: 'cinderv3' },
  { type: 'image', name: 'glance' },
] as const;

export type ServiceType = (typeof SERVICES)[number]['type'];

export interface Cloud {
  keystone: KeystoneHandle;
  pods: SimPod[];
  /** Catalog service ids by type, for registering more endpoints (the gateway's RegionOne). */
  serviceIds: Record<ServiceType, string>;
  stop(): Promise<void>;
}

export interface CloudOptions {
  /** How many pods (Pod1..PodN, AZs az1..azN). @default 1 */
  pods?: number;
  /** Pod state transitions (BUILD→ACTIVE etc.), ms. @default 20 */
  transitionMs?: number;
  /** Keep every request a pod received (tests that assert on them). @default false */
  record?: boolean;
}

/**
 * Start Keystone and the pods and write the catalog.
 * @example const cloud = await startCloud({ pods: 2 }); try { ... } finally { await cloud.stop(); }
 */
export async function startCloud(opts: CloudOptions = {}): Promise<Cloud> {
  const keystone = await startKeystone();
  const pods: SimPod[] = [];
  const stop = async () => {
    await Promise.allSettled(pods.map((p) => p.close()));
    await keystone.stop();
  };
  try {
    const serviceIds = {} as Record<ServiceType, string>;
    for (const s of SERVICES) serviceIds[s.type] = await keystone.createService(s.type, s.name);
    for (let i = 1; i <= (opts.pods ?? 1); i++) {
      const pod = await startSimPod({
        name: `Pod${i}`,
        az: `az${i}`,
        transitionMs: opts.transitionMs,
        // A Tempest run makes thousands of requests; only tests that read them back record them.
        record: opts.record ?? false,
        auth: { mode: 'keystone', keystoneUrl: keystone.url },
      });
      pods.push(pod);
      await keystone.createRegion(pod.name);
      for (const s of SERVICES) await keystone.createEndpoint(pod.name, serviceIds[s.type], pod.endpoints[s.type]);
    }
    return { keystone, pods, serviceIds, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
