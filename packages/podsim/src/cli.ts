// Run one simulated pod standalone (demos, benchmarks, manual testing):
//   node --import tsx packages/podsim/src/cli.ts --name Pod1 --az az1 --port 18774 [--keystone URL]
//     [--transition-ms 20] [--compute-max 2.79] [--volume-max 3.70] [--no-record]
// Prints its endpoints as one JSON line on stdout and runs until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startSimPod } from './pod';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    az: { type: 'string' },
    port: { type: 'string' },
    keystone: { type: 'string' },
    'transition-ms': { type: 'string' },
    'compute-max': { type: 'string' },
    'volume-max': { type: 'string' },
    'no-record': { type: 'boolean' },
  },
});

const pod = await startSimPod({
  name: values.name,
  az: values.az,
  port: values.port !== undefined ? Number(values.port) : undefined,
  transitionMs: values['transition-ms'] !== undefined ? Number(values['transition-ms']) : undefined,
  computeMaxVersion: values['compute-max'],
  volumeMaxVersion: values['volume-max'],
  record: values['no-record'] ? false : undefined,
  auth: values.keystone ? { mode: 'keystone', keystoneUrl: values.keystone } : { mode: 'trust' },
});
process.stdout.write(`${JSON.stringify({ name: pod.name, az: pod.az, url: pod.url, endpoints: pod.endpoints, pid: process.pid })}\n`);

const shutdown = () => {
  void pod.close().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
