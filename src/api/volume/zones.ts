/**
 * `GET /os-availability-zone`: the gateway's own AZs — the top `az_name` of every enabled bottom
 * pod, once each, in pod creation order. Pods' internal AZ names never show.
 */
import type { Context } from 'hono';
import type { GatewayEnv } from '../../http';
import type { VolumeDeps } from './deps';

export async function listZones(deps: VolumeDeps, c: Context<GatewayEnv>): Promise<Response> {
  const names = [...new Set((await deps.podDir.bottoms()).map((p) => p.az_name))];
  return c.json({ availabilityZoneInfo: names.map((zoneName) => ({ zoneName, zoneState: { available: true } })) });
}
