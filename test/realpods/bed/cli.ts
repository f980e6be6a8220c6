/**
 * The bed by hand, for a look at real pods behind the gateway, or to write scenarios against:
 *   node --import tsx test/realpods/bed/cli.ts        start, print the bed, run until Ctrl-C
 *   TRIO2O_REALPODS_BED=<folder>/bed.json npm run test:realpods -- servers
 *                                                      run scenarios against it (no start/stop)
 * The folder (configs, logs, bed.json with the URLs and credentials) is kept on exit.
 */
import { join } from 'node:path';
import { startBed } from './bed';
import { describeBed, serveControl, writeBedFile } from './remote';

const bed = await startBed({ keep: true });
const control = await serveControl(bed);
control.server.unref();
const file = join(bed.dir, 'bed.json');
writeBedFile(file, describeBed(bed, control.url));
const m = bed.users.member;
process.stdout.write([
  `bed ready in ${bed.timings.total} s, folder ${bed.dir}`,
  `keystone ${bed.keystone.url}/v3 (admin password ${bed.keystone.adminPassword})`,
  ...bed.pods.map((p) => `${p.name} (${p.az}): compute ${p.endpoints.compute} volumev3 ${p.endpoints.volumev3}`),
  `gateway: compute ${bed.gateway.urls.compute} volume ${bed.gateway.urls.volume} admin ${bed.gateway.urls.admin}`,
  `member: OS_USERNAME=${m.user} OS_PASSWORD=${m.password} OS_PROJECT_NAME=${m.project} OS_REGION_NAME=RegionOne`,
  `attach scenarios with: TRIO2O_REALPODS_BED=${file}`,
  'Ctrl-C stops everything.',
  '',
].join('\n'));
await new Promise(() => {});
