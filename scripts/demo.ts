/**
 * `npm run demo`: the gateway (noauth) in front of two simulated pods in az1 and az2, on the
 * default ports, with the pods registered — then prints commands to try. Ctrl-C stops it all.
 */
import { rmSync } from 'node:fs';
import { CIRROS_IMAGE_ID, startSimPod } from '@trio2o/podsim';
import { openStore } from '../src/store';
import { startGateway } from '../src/server';
import { Policy } from '../src/auth/policy';
import { API_RULES } from '../src/api/policy-rules';
import { createLogger } from '../src/ops/log';

const DB = process.env.DEMO_DB ?? './data/demo.db';
const port = (name: string, def: number) => Number(process.env[name] ?? def);

async function main(): Promise<void> {
  rmSync(DB, { force: true });
  const pods = [await startSimPod({ name: 'Pod1', az: 'nova' }), await startSimPod({ name: 'Pod2', az: 'nova' })];
  const store = await openStore({ url: `file:${DB}` });
  const log = createLogger(process.env.DEMO_LOG === '1' ? 'info' : 'error');
  const gw = await startGateway({
    bindHost: '127.0.0.1',
    ports: { admin: port('ADMIN_PORT', 19996), compute: port('COMPUTE_PORT', 19998), volume: port('VOLUME_PORT', 19997) },
    auth: { strategy: 'noauth' },
    policy: new Policy(API_RULES),
    store,
    log,
  });
  const admin = { 'content-type': 'application/json', 'x-roles': 'admin', 'x-user-id': 'admin', 'x-project-id': 'admin' };
  await fetch(`${gw.urls.admin}/v1.0/pods`, { method: 'POST', headers: admin, body: JSON.stringify({ pod: { pod_name: 'RegionOne' } }) });
  for (const [i, pod] of pods.entries()) {
    await fetch(`${gw.urls.admin}/v1.0/pods`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ pod: { pod_name: pod.name, az_name: `az${i + 1}`, pod_az_name: pod.az, endpoints: pod.endpoints } }),
    });
  }
  await gw.parts.computeVersions.refresh();
  const H = `-H 'X-Auth-Token: demo' -H 'X-Project-Id: demo' -H 'X-User-Id: alice' -H 'Content-Type: application/json'`;
  process.stdout.write(`
Trio2o demo is up (noauth). Pods: ${pods.map((p, i) => `${p.name} (az${i + 1}) ${p.url}`).join(', ')}
  admin   ${gw.urls.admin}    compute ${gw.urls.compute}    volume ${gw.urls.volume}

Try:
  curl -s -H 'X-Roles: admin' ${gw.urls.admin}/v1.0/pods
  curl -s ${gw.urls.compute}/v2.1
  curl -s ${H} -X POST ${gw.urls.compute}/v2.1/demo/servers \\
       -d '{"server": {"name": "vm1", "flavorRef": "1", "imageRef": "${CIRROS_IMAGE_ID}", "availability_zone": "az2"}}'
  curl -s ${H} ${gw.urls.compute}/v2.1/demo/servers/detail
  curl -s ${H} ${gw.urls.compute}/v2.1/demo/servers/<id>
  curl -s ${H} -X POST ${gw.urls.compute}/v2.1/demo/servers/<id>/action -d '{"os-stop": null}'
  curl -s -H 'X-Roles: admin' '${gw.urls.admin}/v1.0/routings?project_id=demo'
  curl -s -H 'X-Roles: admin' '${gw.urls.admin}/v1.0/bindings?tenant_id=demo'

Ctrl-C to stop.
`);
  const stop = async () => {
    await gw.close();
    await store.close();
    await Promise.all(pods.map((p) => p.close()));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
