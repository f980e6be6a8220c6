/**
 * Support for the reliability suite: a cloud whose state store is an embedded replica of a real
 * sqld primary (as every site of a multi-site install runs), and an audit of the routing table
 * against what the pods hold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Routing } from '../../src/store';
import { startCloud, type Cloud, type CloudPodSpec } from '../support/cloud';
import type { TestGatewayOptions } from '../support/gateway';
import { startPrimary } from '../multisite/primary';

/** Seconds between replica syncs: short, so reads see the primary's rows at once. */
const SYNC_INTERVAL_S = 0.2;

/** `startCloud` on a replica store of a real sqld primary; `close` stops all of it. */
export async function startSqldCloud(specs: CloudPodSpec[], gwOpts: TestGatewayOptions = {}): Promise<Cloud> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-rel-'));
  const primary = await startPrimary({ dir });
  const store = await openStore({ url: `file:${join(dir, 'site.db')}`, syncUrl: primary.url, syncInterval: SYNC_INTERVAL_S });
  let cloud: Cloud;
  try {
    cloud = await startCloud(specs, { ...gwOpts, store });
  } catch (err) {
    await store.close();
    await primary.stop();
    throw err;
  }
  const close = cloud.close;
  return Object.assign(cloud, {
    async close() {
      await close();
      await store.close();
      await primary.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** What the routing table says about a project, checked against the pods. */
export interface Audit {
  /** Active routings. */
  active: number;
  /** Pending routings (creates whose outcome is not known yet). */
  pending: number;
  /** Servers and volumes of the project in a pod with no active routing. */
  orphans: string[];
  /** Active routings whose server or volume is not in the pod they name. */
  ghosts: string[];
}

/** The project's routings against the servers and volumes its pods hold. */
export async function audit(cloud: Cloud, project: string): Promise<Audit> {
  const rows: Routing[] = await cloud.gw.store.routings.list({ project_id: project });
  const active = rows.filter((r) => r.status === 'active');
  const podOf = new Map(cloud.podIds.map((id, i) => [id, cloud.pods[i]!]));
  const held = (r: Routing) => {
    const pod = podOf.get(r.pod_id);
    if (!pod) return false;
    return r.resource_type === 'server' ? pod.servers.has(r.top_id) : r.resource_type === 'volume' ? pod.volumes.has(r.top_id) : true;
  };
  const routed = new Set(active.map((r) => r.top_id));
  const orphans: string[] = [];
  for (const pod of cloud.pods) {
    for (const s of pod.servers.values()) if (s.projectId === project && !routed.has(s.id)) orphans.push(s.id);
    for (const v of pod.volumes.values()) if (v.projectId === project && !routed.has(v.id)) orphans.push(v.id);
  }
  return { active: active.length, pending: rows.length - active.length, orphans, ghosts: active.filter((r) => !held(r)).map((r) => r.top_id) };
}
