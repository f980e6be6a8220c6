/**
 * The end-to-end cloud: a real Keystone, simulated pods (Pod1 in az1, Pod2 in az2) registered in
 * the catalog, the gateway as an operator runs it (`dist/trio2o serve --config`) in keystone mode
 * with RegionOne's compute and volumev3 endpoints pointing at it and RegionOne's image at a
 * simulated Glance, and a demo project with a member user. Clients then run as that user.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCloud, type Cloud } from '../../scripts/tempest/cloud';
import { startGatewayProcess, type GatewayProcess } from '../../scripts/tempest/gateway';

const run = promisify(execFile);

export interface E2E {
  cloud: Cloud;
  gw: GatewayProcess;
  demo: { project: string; projectId: string; user: string; password: string };
  env: NodeJS.ProcessEnv;
  adminEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** The OS_* environment of a user, as an openrc file would set it. */
function osEnv(authUrl: string, user: string, password: string, project: string): NodeJS.ProcessEnv {
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  return {
    ...keep,
    OS_AUTH_URL: authUrl,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: user,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: 'RegionOne',
    OS_INTERFACE: 'public',
  };
}

export async function startE2E(): Promise<E2E> {
  const dir = mkdtempSync(join(tmpdir(), 'trio2o-e2e-'));
  const cloud = await startCloud({ pods: 2, transitionMs: 50, record: true });
  let gw: GatewayProcess | undefined;
  try {
    gw = await startGatewayProcess({ dir, cloud, command: process.env.TRIO2O_E2E_BIN ?? 'dist/trio2o' });
    const ks = cloud.keystone;
    const projectId = await ks.createProject('demo');
    await ks.createUser('demo', 'demo-secret', projectId, ['member']);
    const authUrl = `${ks.url}/v3`;
    return {
      cloud,
      gw,
      demo: { project: 'demo', projectId, user: 'demo', password: 'demo-secret' },
      env: osEnv(authUrl, 'demo', 'demo-secret', 'demo'),
      adminEnv: osEnv(authUrl, 'admin', ks.adminPassword, 'admin'),
      async stop() {
        await gw?.stop();
        await cloud.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await gw?.stop();
    await cloud.stop();
    throw err;
  }
}

/** Runs a real client (`/usr/bin/openstack`, `nova`, `cinder`, `curl`); throws with its stderr on failure. */
export async function cli(env: NodeJS.ProcessEnv, cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { env, timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

/** `openstack ... -f json`, parsed. */
export async function osc<T = any>(env: NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  const out = await cli(env, '/usr/bin/openstack', [...args, '-f', 'json']);
  return JSON.parse(out) as T;
}
