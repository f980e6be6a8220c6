/**
 * Two CPU profiles of servers that answered the same requests (bench/request-anatomy.ts with
 * PROFILE), side by side in µs of self time per request, grouped by module (node: internals, npm
 * package, project file, native function) and by frame: where the second spends what the first
 * does not.
 *
 *   node --import tsx bench/profile-diff.ts A.cpuprofile REQUESTS_A B.cpuprofile REQUESTS_B [TOP=30]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [fileA, reqA, fileB, reqB, topArg] = process.argv.slice(2);
if (!fileA || !reqA || !fileB || !reqB) throw new Error('usage: profile-diff.ts A.cpuprofile REQUESTS_A B.cpuprofile REQUESTS_B [TOP]');
const top = Number(topArg ?? 30);

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/(src|packages|bench)\//, '$1/');

function groupOf(f: Node['callFrame']): string {
  if (!f.url) return f.functionName || '(native)';
  if (f.url.startsWith('node:')) return f.url;
  const s = short(f.url);
  return s.startsWith('~/') ? s.split('/').slice(0, 2).join('/') : s;
}

/** Self time per group and per frame, µs per request. */
function load(file: string, requests: number): { groups: Map<string, number>; frames: Map<string, number>; busy: number } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const groups = new Map<string, number>();
  const frames = new Map<string, number>();
  let busy = 0;
  // timeDeltas[i] is the time between sample i−1 and sample i: charge it to sample i's frame.
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') return;
    const us = (p.timeDeltas[i] ?? 0) / requests;
    busy += us;
    const g = groupOf(f);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const k = `${f.functionName || '(anonymous)'} ${f.url ? `${short(f.url)}:${f.lineNumber + 1}` : ''}`;
    frames.set(k, (frames.get(k) ?? 0) + us);
  });
  return { groups, frames, busy };
}

const a = load(fileA, Number(reqA));
const b = load(fileB, Number(reqB));
console.log(`busy µs per request (self time, idle excluded): A ${a.busy.toFixed(1)}, B ${b.busy.toFixed(1)}, B − A ${(b.busy - a.busy).toFixed(1)}`);

function table(title: string, ma: Map<string, number>, mb: Map<string, number>): void {
  const keys = [...new Set([...ma.keys(), ...mb.keys()])];
  const rows = keys.map((k) => [k, ma.get(k) ?? 0, mb.get(k) ?? 0] as const).sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]));
  console.log(`\n${title} (µs per request; sorted by |B − A|)\n\n| | A | B | B − A |\n|---|---|---|---|`);
  for (const [k, x, y] of rows.slice(0, top)) console.log(`| ${k} | ${x.toFixed(1)} | ${y.toFixed(1)} | ${(y - x >= 0 ? '+' : '') + (y - x).toFixed(1)} |`);
}

table('by module', a.groups, b.groups);
table('by frame', a.frames, b.frames);
