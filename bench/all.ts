/**
 * `npm run bench`: every benchmark, one after another, unattended, with settings that fit the
 * whole run in under ten minutes on a 2-core machine; each prints its own tables. The soak
 * (`npm run test:soak`, 11 minutes by itself) is not part of it.
 *
 * Env passes through to every benchmark (e.g. ROUNDS, SECONDS); ONLY=forward,fanout runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

interface Bench {
  name: string;
  args: string[];
  env: Record<string, string>;
}

const TSX = ['--import', 'tsx'];
const BENCHES: Bench[] = [
  { name: 'forward', args: [...TSX, 'bench/forward.ts'], env: { ROUNDS: '3', SECONDS: '2' } },
  { name: 'routes-1m', args: ['--expose-gc', ...TSX, 'bench/routes-1m.ts'], env: { ROUNDS: '3', SECONDS: '3' } },
  { name: 'fanout', args: [...TSX, 'bench/fanout.ts'], env: { NS: '1,2,4,8,12,16', ROUNDS: '15' } },
  { name: 'create', args: [...TSX, 'bench/create.ts'], env: { CREATES: '40', ROUNDS: '3' } },
  { name: 'replica', args: [...TSX, 'bench/replica.ts'], env: { ROUNDS: '3', LAG_SAMPLES: '20' } },
];

const only = process.env.ONLY?.split(',');
const gib = (b: number) => (b / 2 ** 30).toFixed(1);
console.log(`npm run bench: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${gib(totalmem())} GiB (${gib(freemem())} free), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
const started = Date.now();
let failed = 0;
for (const b of BENCHES) {
  if (only && !only.includes(b.name)) continue;
  const t = Date.now();
  console.log(`\n=== ${b.name}: node ${b.args.join(' ')} (${Object.entries(b.env).map(([k, v]) => `${k}=${process.env[k] ?? v}`).join(' ')}) — load average ${loadavg()[0]!.toFixed(2)}`);
  const r = spawnSync(process.execPath, b.args, { stdio: 'inherit', env: { ...b.env, ...process.env } });
  if (r.status !== 0) failed++;
  console.log(`=== ${b.name}: ${r.status === 0 ? 'done' : `FAILED (${r.status ?? r.signal})`} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}
console.log(`\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}${failed ? `, ${failed} FAILED` : ''}`);
process.exitCode = failed ? 1 : 0;
