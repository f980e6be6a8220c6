/**
 * The bed by hand, for a look at real pods behind the gateway:
 *   node --import tsx test/realpods/bed/cli.ts        start, print the bed, run until Ctrl-C
 * The folder (configs, logs, bed.json with URLs and the admin password) is kept on exit.
 */
import { startBed } from './bed';

const bed = await startBed({ keep: true });
const m = bed.users.member;
process.stdout.write([
  `bed ready in ${bed.timings.total} s, folder ${bed.dir}`,
  `keystone ${bed.keystone.url}/v3 (admin password ${bed.keystone.adminPassword})`,
  ...bed.pods.map((p) => `${p.name} (${p.az}): compute ${p.endpoints.compute} volumev3 ${p.endpoints.volumev3}`),
  `gateway: compute ${bed.gateway.urls.compute} volume ${bed.gateway.urls.volume} admin ${bed.gateway.urls.admin}`,
  `member: OS_USERNAME=${m.user} OS_PASSWORD=${m.password} OS_PROJECT_NAME=${m.project} OS_REGION_NAME=RegionOne`,
  'Ctrl-C stops everything.',
  '',
].join('\n'));
await new Promise(() => {});
