/**
 * The top self-time frames of a V8 CPU profile (`node --cpu-prof`), the way DevTools' "Bottom-up"
 * view sorts them, plus the same grouped by file.
 *
 *   node --import tsx bench/profile-top.ts PROFILE.cpuprofile [TOP=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [TOP]');
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; startTime: number; endTime: number };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
for (const s of prof.samples) self.set(s, (self.get(s) ?? 0) + 1);
const total = prof.samples.length;

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/(src|packages)\//, '$1/');
const frames = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, n] of self) {
  if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
  const node = byId.get(id)!;
  const f = node.callFrame;
  const where = f.url ? `${short(f.url)}:${f.lineNumber + 1}` : '(native)';
  const key = `${f.functionName || '(anonymous)'} ${where}`;
  frames.set(key, (frames.get(key) ?? 0) + n);
  const group = f.url ? short(f.url).split(/[/:]/).slice(0, f.url.includes('node_modules') ? 2 : 3).join('/') : f.functionName;
  files.set(group, (files.get(group) ?? 0) + n);
}
// Percentages are of the busy samples: idle is the event loop waiting (for sockets, mostly).
const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, n]) => a + n, 0);
const busy = total - idle;
const pct = (n: number) => `${((100 * n) / busy).toFixed(1)}%`.padStart(6);
console.log(`${file}: ${total} samples over ${((prof.endTime - prof.startTime) / 1e6).toFixed(1)} s, ${((100 * idle) / total).toFixed(1)}% idle; percentages below are of the ${busy} busy samples`);
console.log(`\ntop ${top} frames by self time:`);
for (const [k, n] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${k}`);
console.log(`\nby file / module (self time):`);
for (const [k, n] of [...files].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${k}`);

// Inclusive (self + callees) time of the project's own functions, each counted once per stack.
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, n] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (!f.url.includes('/src/') || f.url.includes('node_modules')) continue;
    const key = `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + n);
  }
}
console.log(`\ntop ${top} project functions by inclusive time:`);
for (const [k, n] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${k}`);
