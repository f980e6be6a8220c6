/**
 * Tempest straight at a pod and through the gateway, on simulated or real pods.
 *   node --import tsx scripts/tempest/run.ts [--pods sim|real] [--target pod|gateway|both]
 *     [--selection ci|full|realpods] [--regex R] [--concurrency N] [--keep]
 * --pods sim (default): a real Keystone and simulated pods (regions Pod1, Pod2).
 * --pods real: the real-pods bed of test/realpods (Debian's Nova, Cinder, Placement, Glance in
 *   two pods, a real Keystone), the same one `npm run test:realpods` uses.
 * Writes a Tempest workspace per target and runs Tempest: 'pod' (alias 'sim') talks to Pod1
 * directly, 'gateway' to the gateway's RegionOne with both pods behind it. Prints
 * Ran/Passed/Failed/Skipped and the failures per target; with 'both', the gateway/direct ratio
 * of passed tests. Exits non-zero only when a test that passed against the pod fails through the
 * gateway in a gating selection (ci, realpods: the gateway's contract), or when the run itself
 * could not be done.
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
import { SELECTIONS, forPods, selectionRegex, type Selection } from './selection';
import { killTempestRuns, runTempest, type TempestRun } from './tempest';

/** The second seeded image of the simulator (ubuntu-22.04-server), for rebuild tests. */
const ALT_IMAGE_ID = '2d7c8e1f-5a4b-4c3d-8e9f-0a1b2c3d4e5f';
/** Upper bound of one Tempest run, per selection. */
const RUN_TIMEOUT_MS: Record<Selection['name'], number> = { ci: 10 * 60_000, realpods: 15 * 60_000, full: 90 * 60_000 };

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: 'sim' },
    target: { type: 'string', default: 'both' },
    selection: { type: 'string' },
    regex: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});

const pods = values.pods as 'sim' | 'real';
const target = (values.target === 'sim' ? 'pod' : values.target) as 'pod' | 'gateway' | 'both';
const selectionName = (values.selection ?? (pods === 'real' ? 'realpods' : 'ci')) as Selection['name'];
if (!['sim', 'real'].includes(pods)) throw new Error(`--pods must be sim or real (got ${pods})`);
if (!['pod', 'gateway', 'both'].includes(target)) throw new Error(`--target must be pod (or sim), gateway or both (got ${values.target})`);
if (!(selectionName in SELECTIONS)) throw new Error(`--selection must be one of ${Object.keys(SELECTIONS).join(', ')} (got ${selectionName})`);
const selection = forPods(SELECTIONS[selectionName], pods);
const regexes = values.regex ? { regex: values.regex } : selectionRegex(selection);
const say = (line: string) => process.stdout.write(`[tempest] ${line}\n`);

/** What a run needs from the cloud, simulated or real. */
interface Cloud {
  keystoneUrl: string;
  adminPassword: string;
  imageRef: string;
  imageRefAlt: string;
  /** Pod1's highest compute and volume microversions. */
  podMax: { compute: string; volume: string };
  /** Start (or give) the gateway in front of both pods. */
  gateway(dir: string): Promise<GatewayProcess>;
  stop(): Promise<void>;
}

async function simCloud(): Promise<Cloud> {
  const cloud = await startCloud({ pods: target === 'pod' ? 1 : 2 });
  say(`keystone ${cloud.keystone.url}, simulated pods ${cloud.pods.map((p) => `${p.name} ${p.url}`).join(', ')}`);
  let gw: GatewayProcess | undefined;
  return {
    keystoneUrl: cloud.keystone.url,
    adminPassword: cloud.keystone.adminPassword,
    imageRef: CIRROS_IMAGE_ID,
    imageRefAlt: ALT_IMAGE_ID,
    podMax: { compute: SIM_DEFAULTS.computeMaxVersion, volume: SIM_DEFAULTS.volumeMaxVersion },
    gateway: async (dir) => (gw = await startGatewayProcess({ dir, cloud })),
    async stop() {
      await gw?.stop();
      await cloud.stop();
    },
  };
}

async function realCloud(): Promise<Cloud> {
  // Loaded only here: the simulator runs need none of it. TRIO2O_REALPODS_BED=<bed.json> uses
  // a bed kept running by test/realpods/bed/cli.ts instead of starting one.
  const { startBed } = await import('../../test/realpods/bed/bed');
  const { attachBed } = await import('../../test/realpods/bed/remote');
  const attached = process.env.TRIO2O_REALPODS_BED;
  const bed = attached ? attachBed(attached) : await startBed({ keep: values.keep, say: (l) => say(`bed: ${l}`) });
  const pod1 = bed.pod('Pod1');
  const compute = (await (await fetch(pod1.endpoints.compute)).json()) as { version: { version: string } };
  const root = (await (await fetch(`http://127.0.0.1:${pod1.ports.cinder}/`)).json()) as { versions: { version: string }[] };
  const volume = root.versions.map((v) => v.version).filter((v) => /^3\.\d+$/.test(v)).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).pop()!;
  return {
    keystoneUrl: bed.keystone.url,
    adminPassword: bed.keystone.adminPassword,
    imageRef: bed.images.tiny,
    imageRefAlt: bed.images.alt,
    podMax: { compute: compute.version.version, volume },
    gateway: async () => bed.gateway,
    stop: () => bed.stop(),
  };
}

async function main(): Promise<number> {
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'trio2o-tempest-'));
  say(`selection ${values.regex ? `--regex ${values.regex}` : selection.name}, ${pods} pods, target ${target}, work dir ${tmp}`);
  const cloud = pods === 'real' ? await realCloud() : await simCloud();
  say(`cloud up in ${Math.round((Date.now() - started) / 1000)} s`);
  const direct = pods === 'real' ? 'pod' : 'sim';
  const runs: { direct?: TempestRun; gateway?: TempestRun } = {};
  // Tempest runs in its own process group and the gateway is a child: an interrupt must stop
  // them (and Keystone, whose watchdog would otherwise only notice when this process is gone).
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping tempest, gateway, pods and keystone`);
    killTempestRuns();
    void cloud.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const common = { keystoneUrl: cloud.keystoneUrl, adminPassword: cloud.adminPassword, imageRef: cloud.imageRef, imageRefAlt: cloud.imageRefAlt, pods };
    const run = async (name: string, region: string, computeMax: string, volumeMax: string) => {
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
    if (target !== 'gateway') runs.direct = await run(direct, 'Pod1', cloud.podMax.compute, cloud.podMax.volume);
    if (target !== 'pod') {
      const gateway = await cloud.gateway(join(tmp, 'gateway'));
      say(`gateway pid ${gateway.pid}: compute ${gateway.urls.compute}, volume ${gateway.urls.volume}, admin ${gateway.urls.admin}`);
      runs.gateway = await run('gateway', 'RegionOne', gateway.computeMax, gateway.volumeMax);
    }
  } finally {
    await cloud.stop();
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
    else say(`kept ${tmp}`);
  }
  say(`total time ${Math.round((Date.now() - started) / 1000)} s`);
  if (runs.direct && runs.gateway) {
    const regressions = compareRuns(runs.direct, runs.gateway, say);
    // Known gaps (each names the mechanism it waits for) are reported, not gating.
    const known = (id: string) => selection.knownGaps?.find((k) => new RegExp(k.pattern).test(id));
    const blocking = regressions.filter((r) => !known(r.split(' (')[0]!));
    for (const r of regressions.filter((x) => known(x.split(' (')[0]!))) say(`known gap: ${r}: ${known(r.split(' (')[0]!)!.why}`);
    for (const k of selection.knownGaps ?? []) {
      const fixed = [...runs.gateway.results.values()].filter((t) => t.outcome === 'passed' && new RegExp(k.pattern).test(t.id));
      for (const t of fixed) say(`known gap now passes through the gateway (remove it from selection.ts): ${t.id}`);
    }
    // The contract: every test that passes against a pod passes through the gateway. It gates
    // the ci and realpods selections; the full one is a measurement.
    if (selection.gate && !values.regex && blocking.length > 0) return 1;
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
