/**
 * Tempest against the pod simulator and through the gateway.
 *   node --import tsx scripts/tempest/run.ts [--target sim|gateway|both] [--selection ci|full]
 *     [--regex R] [--concurrency N] [--keep]
 * Starts a real Keystone and simulated pods (regions Pod1, Pod2), writes a Tempest workspace per
 * target and runs Tempest: 'sim' talks to Pod1 directly, 'gateway' to the gateway's RegionOne
 * with both pods behind it. Prints Ran/Passed/Failed/Skipped and the failures per target; with
 * 'both', the gateway/direct ratio of passed tests. Exits non-zero only when a test that passed
 * against the pod fails through the gateway in the ci selection (the gateway's contract), or
 * when the run itself could not be done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim/image';
import { DEFAULTS as SIM_DEFAULTS } from '@trio2o/podsim';
import { startCloud } from './cloud';
import { writeWorkspace } from './conf';
import { startGatewayProcess, type GatewayProcess } from './gateway';
import { compareRuns, printRun } from './report';
import { SELECTIONS, selectionRegex } from './selection';
import { killTempestRuns, runTempest, type TempestRun } from './tempest';

/** The second seeded image of the simulator (ubuntu-22.04-server), for rebuild tests. */
const ALT_IMAGE_ID = '2d7c8e1f-5a4b-4c3d-8e9f-0a1b2c3d4e5f';
/** Upper bound of one Tempest run, per selection. */
const RUN_TIMEOUT_MS = { ci: 10 * 60_000, full: 90 * 60_000 } as const;

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'both' },
    selection: { type: 'string', default: 'ci' },
    regex: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});

const target = values.target as 'sim' | 'gateway' | 'both';
const selectionName = values.selection as 'ci' | 'full';
if (!['sim', 'gateway', 'both'].includes(target)) throw new Error(`--target must be sim, gateway or both (got ${target})`);
if (!(selectionName in SELECTIONS)) throw new Error(`--selection must be ci or full (got ${selectionName})`);
const selection = SELECTIONS[selectionName];
const regexes = values.regex ? { regex: values.regex } : selectionRegex(selection);
const say = (line: string) => process.stdout.write(`[tempest] ${line}\n`);

async function main(): Promise<number> {
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'trio2o-tempest-'));
  say(`selection ${values.regex ? `--regex ${values.regex}` : selection.name}, target ${target}, work dir ${tmp}`);
  const cloud = await startCloud({ pods: target === 'sim' ? 1 : 2 });
  say(`keystone ${cloud.keystone.url}, pods ${cloud.pods.map((p) => `${p.name} ${p.url}`).join(', ')} (${Date.now() - started} ms)`);
  let gateway: GatewayProcess | undefined;
  const runs: { sim?: TempestRun; gateway?: TempestRun } = {};
  // Tempest runs in its own process group and the gateway is a child: an interrupt must stop
  // them (and Keystone, whose watchdog would otherwise only notice when this process is gone).
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping tempest, gateway, pods and keystone`);
    killTempestRuns();
    void Promise.allSettled([gateway?.stop(), cloud.stop()]).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const common = {
      keystoneUrl: cloud.keystone.url,
      adminPassword: cloud.keystone.adminPassword,
      imageRef: CIRROS_IMAGE_ID,
      imageRefAlt: ALT_IMAGE_ID,
    };
    const run = async (name: 'sim' | 'gateway', region: string, computeMax: string, volumeMax: string) => {
      const workspace = writeWorkspace({ ...common, dir: join(tmp, name), region, computeMax, volumeMax });
      say(`${name}: tempest run in ${workspace} (region ${region}, compute ≤ ${computeMax}, volume ≤ ${volumeMax})`);
      const r = await runTempest({
        workspace,
        ...regexes,
        concurrency: Number(values.concurrency),
        timeoutMs: RUN_TIMEOUT_MS[selection.name],
        progress: (l) => say(`${name}: ${l}`),
      });
      printRun(name, r, say);
      return r;
    };
    if (target !== 'gateway') {
      runs.sim = await run('sim', 'Pod1', SIM_DEFAULTS.computeMaxVersion, SIM_DEFAULTS.volumeMaxVersion);
    }
    if (target !== 'sim') {
      gateway = await startGatewayProcess({ dir: join(tmp, 'gateway'), cloud });
      say(`gateway pid ${gateway.pid}: compute ${gateway.urls.compute}, volume ${gateway.urls.volume}, admin ${gateway.urls.admin}`);
      runs.gateway = await run('gateway', 'RegionOne', gateway.computeMax, gateway.volumeMax);
    }
  } finally {
    await gateway?.stop();
    await cloud.stop();
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
    else say(`kept ${tmp}`);
  }
  say(`total time ${Math.round((Date.now() - started) / 1000)} s`);
  if (runs.sim && runs.gateway) {
    const regressions = compareRuns(runs.sim, runs.gateway, say);
    // The contract: every test that passes against a pod passes through the gateway. It gates
    // only the ci selection; the full one is a measurement.
    if (selection.name === 'ci' && !values.regex && regressions.length > 0) return 1;
  }
  for (const r of Object.values(runs)) if (r && r.exitCode === null) return 2;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[tempest] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
