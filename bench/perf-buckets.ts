/**
 * On-CPU time of a process's main thread per request, from a Linux `perf record -g` of a node
 * process run with --perf-basic-prof (bench/request-anatomy.ts `PERF=dir` writes one per window),
 * each sample charged to its innermost JavaScript frame's module (with the builtins, runtime and
 * kernel work that frame called), grouped as BENCHMARKS.md §2a″ groups them.
 *
 *   node --import tsx bench/perf-buckets.ts FILE.data REQUESTS [TOP=12]
 *
 * REQUESTS: the answers of that window (the `requests` column of request-anatomy's table).
 */
import { execFileSync } from 'node:child_process';

const [file, requestsArg, topArg] = process.argv.slice(2);
if (!file || !requestsArg) throw new Error('usage: perf-buckets.ts FILE.data REQUESTS [TOP]');
const requests = Number(requestsArg);
const top = Number(topArg ?? 12);

/** The group of a JS frame's script, as in BENCHMARKS.md §2a″'s table. */
function bucket(script: string): string {
  if (script.includes('/node_modules/undici/')) return 'undici';
  if (script.startsWith('node:internal/streams/writable')) return 'node:internal/streams/writable';
  if (/^node:(internal\/streams\/readable|internal\/process\/task_queues|_http_server|_http_outgoing|_http_common|events|internal\/timers|timers)/.test(script)) return 'node readable, task_queues, http server/outgoing, events, timers';
  if (script.includes('/src/')) return 'src/ (the gateway)';
  if (script.includes('/bench/')) return 'bench/ (the floor, the preload)';
  if (script.includes('/node_modules/')) return 'other node_modules';
  return 'other scripts';
}

const out = execFileSync('perf', ['script', '-i', file], { maxBuffer: 2 ** 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const mainTid = /\/tmp\/perf-(\d+)\.map/.exec(out)?.[1];
const byBucket = new Map<string, number>();
const byScript = new Map<string, number>();
let mainNs = 0;
let otherNs = 0;
for (const sample of out.split('\n\n')) {
  const lines = sample.split('\n').filter(Boolean);
  const head = /^\S+\s+(\d+)\s+[\d.]+:\s+(\d+)\s+cpu-clock/.exec(lines[0]?.trim() ?? '');
  if (!head) continue;
  const ns = Number(head[2]);
  if (head[1] !== mainTid) {
    otherNs += ns;
    continue;
  }
  mainNs += ns;
  let script = '';
  for (const l of lines.slice(1)) {
    // "  addr JS:*name script:line:col+0xoff (/tmp/perf-PID.map)"
    const m = /\sJS:\S*\s.*?(\S+):\d+:\d+\+0x[0-9a-f]+ \(\/tmp\/perf-\d+\.map\)$/.exec(l) ?? /\sJS:\S*\s(\S+):\d+:\d+\+0x[0-9a-f]+ \(/.exec(l);
    if (m) {
      script = m[1]!;
      break;
    }
  }
  const b = script ? bucket(script) : 'no JS frame (event loop, libuv, GC)';
  byBucket.set(b, (byBucket.get(b) ?? 0) + ns);
  if (script) byScript.set(script, (byScript.get(script) ?? 0) + ns);
}
const us = (ns: number) => (ns / 1000 / requests).toFixed(1);
console.log(`${file}: ${requests} requests, main thread ${us(mainNs)} µs/request, other threads ${us(otherNs)}\n`);
console.log('| innermost JS frame in | µs/request | % of main thread |\n|---|---|---|');
for (const [b, ns] of [...byBucket].sort((x, y) => y[1] - x[1])) console.log(`| ${b} | ${us(ns)} | ${((100 * ns) / mainNs).toFixed(1)}% |`);
console.log(`\ntop ${top} scripts:`);
for (const [s, ns] of [...byScript].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${us(ns).padStart(7)}  ${s.replace(/^file:\/\/.*\/node_modules\//, '~/')}`);
