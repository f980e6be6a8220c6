/**
 * The Horizon test's cloud: a real Keystone and two simulated pods (Pod1 in az1, Pod2 in az2,
 * scripts/tempest/cloud.ts), the gateway as an operator runs it (`dist/trio2o serve --config`,
 * keystone mode) whose RegionOne compute and volumev3 endpoints are the only ones Horizon uses
 * (RegionOne's image endpoint is Pod1's simulated Glance), a member of project horizon-demo with
 * a server and a volume in each pod and a key pair, and Horizon in front of Keystone. The
 * real-pods bed's Neutron stand-in is RegionOne's network service, with one network (see
 * `network()` for why the launch wizard needs one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../../scripts/tempest/cloud';
import { startGatewayProcess, type GatewayProcess } from '../../scripts/tempest/gateway';
import { randomUUID } from 'node:crypto';
import { startNeutronStandIn } from '../realpods/bed/shared';
import { poll } from '../realpods/bed/util';
import { freePort } from '../support/keystone-server';
import { startHorizon, type Horizon } from './horizon';

export const MEMBER = { user: 'horizon-member', password: 'horizon-secret', project: 'horizon-demo' } as const;
/** What the member has before Horizon is opened: one server and one volume per pod. */
export const SEEDED = {
  servers: [{ name: 'hz-vm-az1', az: 'az1' }, { name: 'hz-vm-az2', az: 'az2' }],
  volumes: [{ name: 'hz-vol-az1', az: 'az1' }, { name: 'hz-vol-az2', az: 'az2' }],
  keypair: 'hz-key',
} as const;
const SEED_TIMEOUT_MS = 60_000;

export interface HorizonBed {
  dir: string;
  cloud: Cloud;
  gw: GatewayProcess;
  horizon: Horizon;
  projectId: string;
  /** A token of the member (for checks through the gateway's API). */
  token: string;
  stop(): Promise<void>;
}

export async function startHorizonBed(opts: { command?: string } = {}): Promise<HorizonBed> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-horizon-'));
  const cloud = await startCloud({ pods: 2, transitionMs: 200 });
  let gw: GatewayProcess | undefined;
  let horizon: Horizon | undefined;
  let neutron: Awaited<ReturnType<typeof startNeutronStandIn>> | undefined;
  const stop = async () => {
    await horizon?.stop();
    await neutron?.stop();
    await gw?.stop();
    await cloud.stop();
    if (!process.env.TRIO2O_HORIZON_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    gw = await startGatewayProcess({ dir, cloud, command: opts.command ?? 'dist/trio2o' });
    const ks = cloud.keystone;
    const projectId = await ks.createProject(MEMBER.project);
    await ks.createUser(MEMBER.user, MEMBER.password, projectId, ['member']);
    const { token } = await ks.issueToken(MEMBER.user, MEMBER.password, MEMBER.project);
    await seed(gw, projectId, token);
    const neutronPort = await freePort();
    neutron = await startNeutronStandIn(neutronPort, network(projectId));
    await ks.createEndpoint('RegionOne', await ks.createService('network', 'neutron'), `http://127.0.0.1:${neutronPort}`);
    horizon = await startHorizon({ dir, keystoneUrl: `${ks.url}/v3` });
    return { dir, cloud, gw, horizon, projectId, token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * What the Neutron stand-in shows Horizon: one shared network with a subnet, and the project's
 * default security group. Horizon 23 sends the launch wizard's networks as `nics`, and
 * novaclient refuses a create without nics above Nova 2.36 (Horizon asks for 2.60): without a
 * network service nothing can be launched from the wizard. The gateway itself forwards the
 * network ids to the pod untouched; the simulated pods check only their format.
 */
function network(projectId: string) {
  const net = randomUUID();
  const subnet = randomUUID();
  const owner = { tenant_id: projectId, project_id: projectId };
  return {
    networks: [{ id: net, name: 'hz-net', status: 'ACTIVE', admin_state_up: true, shared: true, subnets: [subnet], 'router:external': false, port_security_enabled: true, mtu: 1450, availability_zones: [], ...owner }],
    subnets: [{ id: subnet, name: 'hz-subnet', network_id: net, cidr: '10.0.0.0/24', ip_version: 4, enable_dhcp: true, gateway_ip: '10.0.0.1', allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }], dns_nameservers: [], host_routes: [], ...owner }],
    'security-groups': [{ id: randomUUID(), name: 'default', description: 'Default security group', security_group_rules: [], stateful: true, ...owner }],
  };
}

async function api(method: string, url: string, token: string, body?: unknown, version?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'x-auth-token': token, 'content-type': 'application/json' };
  if (version) headers['openstack-api-version'] = version;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

/** Through the gateway, as the member: a server and a volume per AZ, and a key pair. */
async function seed(gw: GatewayProcess, projectId: string, token: string): Promise<void> {
  const key = await api('POST', `${gw.urls.compute}/v2.1/os-keypairs`, token, { keypair: { name: SEEDED.keypair } });
  if (key.status !== 200) throw new Error(`keypair: ${key.status} ${JSON.stringify(key.body)}`);
  for (const s of SEEDED.servers) {
    // A create answers 409 while the pod's flavor sync is still pending.
    await poll(`server ${s.name}`, SEED_TIMEOUT_MS, async () => {
      const r = await api('POST', `${gw.urls.compute}/v2.1/servers`, token, { server: { name: s.name, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: s.az, key_name: SEEDED.keypair } });
      if (r.status !== 202 && r.status !== 409) throw new Error(`server ${s.name}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.status === 202;
    }, 500);
  }
  for (const v of SEEDED.volumes) {
    const r = await api('POST', `${gw.urls.volume}/v3/${projectId}/volumes`, token, { volume: { name: v.name, size: 1, availability_zone: v.az } });
    if (r.status !== 202) throw new Error(`volume ${v.name}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}
