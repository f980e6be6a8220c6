/**
 * A three-pod cloud for fan-out tests (az1 → Pod1, az2 → Pod2, az3 → Pod3), servers created
 * through the gateway, then given the sort values a test needs directly in the simulators.
 */
import { startCloud, type Cloud } from '../support/cloud';
import type { TestGatewayOptions } from '../support/gateway';
import { call, identity, type Reply } from '../support/http';
import { CIRROS_IMAGE_ID, type SimServer } from '@trio2o/podsim';

export const AZS = ['az1', 'az2', 'az3'] as const;

export function startThreePods(gwOpts: TestGatewayOptions = {}): Promise<Cloud> {
  return startCloud(
    [
      { topAz: 'az1', az: 'nova-1' },
      { topAz: 'az2', az: 'nova-2' },
      { topAz: 'az3', podAz: '', az: 'nova' },
    ],
    gwOpts,
  );
}

/** Headers for a project at a microversion. */
export function as(project: string, version = '2.1'): Record<string, string> {
  return { ...identity(project), 'openstack-api-version': `compute ${version}` };
}

/** Creates a server through the gateway; returns its id. */
export async function createServer(cloud: Cloud, project: string, az: string, name: string): Promise<string> {
  const r = await call(`${cloud.compute}/v2.1/${project}/servers`, {
    method: 'POST',
    headers: as(project),
    body: { server: { name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az } },
  });
  if (r.status !== 202) throw new Error(`create ${name}: ${r.status} ${r.text}`);
  return r.body.server.id as string;
}

/** The simulator's record of a server, wherever it lives. */
export function simServer(cloud: Cloud, id: string): SimServer {
  for (const p of cloud.pods) {
    const s = p.servers.get(id);
    if (s) return s;
  }
  throw new Error(`server ${id} is in no pod`);
}

/** Seconds after a fixed epoch, as Nova prints created/updated. */
export function at(seconds: number): string {
  return new Date(Date.UTC(2024, 0, 1) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface Seeded {
  id: string;
  name: string;
  created: string;
  az: string;
}

/**
 * Seeds `perPod` servers of `project` in each AZ with chosen names and creation times: names
 * repeat across pods and several creation times tie, so only a correct merge with the id
 * tie-breaker gives one global order.
 */
export async function seed(cloud: Cloud, project: string, perPod: number): Promise<Seeded[]> {
  const out: Seeded[] = [];
  // The gateway enforces Nova's instance/core/RAM quotas: give the project room for the seed.
  const quota = await call(`${cloud.compute}/v2.1/${project}/os-quota-sets/${project}`, {
    method: 'PUT',
    headers: { ...identity('admin-project', ['admin'], 'admin-user') },
    body: { quota_set: { instances: -1, cores: -1, ram: -1 } },
  });
  if (quota.status !== 200) throw new Error(`quota: ${quota.status} ${quota.text}`);
  for (const [p, az] of AZS.entries()) {
    for (let i = 0; i < perPod; i++) {
      const name = `vm-${String.fromCharCode(97 + ((i * 7 + p * 3) % 11))}`;
      const id = await createServer(cloud, project, az, name);
      const created = at(((i * 5 + p * 3) % 13) * 60); // ties within and across pods
      const s = simServer(cloud, id);
      s.createdAt = created;
      s.updatedAt = created;
      s.vmState = 'active';
      s.taskState = null;
      out.push({ id, name, created, az });
    }
  }
  return out;
}

/** Follows `servers_links` next from `url` to the end; returns every page's ids. */
export async function walk(url: string, headers: Record<string, string>, maxPages = 100): Promise<string[][]> {
  const pages: string[][] = [];
  let next: string | undefined = url;
  while (next && pages.length < maxPages) {
    const r: Reply = await call(next, { headers });
    if (r.status !== 200) throw new Error(`page ${pages.length + 1}: ${r.status} ${r.text}`);
    pages.push(r.body.servers.map((s: { id: string }) => s.id));
    next = r.body.servers_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
  }
  return pages;
}
