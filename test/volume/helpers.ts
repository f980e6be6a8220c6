/**
 * Volume API test support: a cloud of simulated pods behind a real gateway, with the volume
 * microversion discovery refreshed, and small helpers for the volume endpoint.
 */
import { startCloud, eventually, type Cloud, type CloudPodSpec } from '../support/cloud';
import type { TestGatewayOptions } from '../support/gateway';
import { call, type Reply } from '../support/http';

export { eventually };
export type { Cloud };

export async function startVolumeCloud(specs: CloudPodSpec[], gwOpts: TestGatewayOptions = {}): Promise<Cloud> {
  const cloud = await startCloud(specs, gwOpts);
  await cloud.gw.gateway.parts.volumeVersions.refresh();
  return cloud;
}

export interface VolumeClient {
  (path: string, init?: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string>; version?: string }): Promise<Reply>;
}

/** Calls `/v3/{project}{path}` on the gateway's volume listener as `who`, optionally pinning a microversion. */
export function volumeClient(cloud: Cloud, project: string, who: Record<string, string>): VolumeClient {
  return (path, init = {}) => {
    const headers = { ...who, ...(init.headers ?? {}) };
    if (init.version) headers['openstack-api-version'] = `volume ${init.version}`;
    return call(`${cloud.volume}/v3/${project}${path}`, { method: init.method, body: init.body, raw: init.raw, headers });
  };
}

/** Waits until the pod-side status of a volume/snapshot/backup reaches `status` (via the gateway). */
export async function waitStatus(v: VolumeClient, path: string, key: string, status: string): Promise<void> {
  await eventually(async () => {
    const r = await v(path);
    return r.status === 200 && r.body[key].status === status;
  });
}

/** Creates an available volume through the gateway and returns its id. */
export async function availableVolume(v: VolumeClient, volume: Record<string, unknown> = {}): Promise<string> {
  const r = await v('/volumes', { method: 'POST', body: { volume: { size: 1, ...volume } } });
  if (r.status !== 202) throw new Error(`volume create: ${r.status} ${r.text}`);
  await waitStatus(v, `/volumes/${r.body.volume.id}`, 'volume', 'available');
  return r.body.volume.id;
}
