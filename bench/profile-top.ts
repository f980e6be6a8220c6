/**
 * The top self-time frames of a V8 CPU profile (`node --cpu-prof`), the way DevTools' "Bottom-up"
 * view sorts them, plus the same grouped by file, and the project's hottest source lines (V8's
 * per-line ticks of a frame, builtins called on the line included: a `JSON.parse` or an object
 * spread shows on its own line). Lines are exact for the esbuild bundle (`BUNDLE=1` in
 * request-anatomy.ts); under tsx a whole module is one line.
 *
 *   node --import tsx bench/profile-top.ts PROFILE.cpuprofile [TOP=25]
 *   REQUESTS=N node --import tsx bench/profile-top.ts …   # + µs per request for each line
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  positionTicks?: { line: number; ticks: number }[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [TOP]');
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
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

// The project's hottest lines: the gateway's source, or its bundle (which carries its dependencies too).
const own = (url: string) => (url.includes('/src/') || url.includes('/dist/')) && !url.includes('node_modules');
const lineTicks = new Map<string, { url: string; line: number; fn: string; ticks: number }>();
for (const n of prof.nodes) {
  if (!own(n.callFrame.url) || !n.positionTicks) continue;
  for (const t of n.positionTicks) {
    const key = `${n.callFrame.url}:${t.line}`;
    const e = lineTicks.get(key) ?? { url: n.callFrame.url, line: t.line, fn: n.callFrame.functionName || '(anonymous)', ticks: 0 };
    e.ticks += t.ticks;
    lineTicks.set(key, e);
  }
}
if (lineTicks.size > 0) {
  const requests = Number(process.env.REQUESTS ?? 0);
  const usPerSample = prof.timeDeltas.reduce((a, b) => a + b, 0) / total;
  const texts = new Map<string, string[]>();
  const textOf = (url: string, line: number) => {
    if (!texts.has(url)) {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      texts.set(url, existsSync(path) ? readFileSync(path, 'utf8').split('\n') : []);
    }
    return (texts.get(url)![line - 1] ?? '').trim().slice(0, 100);
  };
  console.log(`\ntop ${top} lines of the project's code (self time on the line${requests ? ', µs per request' : ''}):`);
  for (const e of [...lineTicks.values()].sort((a, b) => b.ticks - a.ticks).slice(0, top)) {
    const per = requests ? ` ${((e.ticks * usPerSample) / requests).toFixed(2).padStart(6)} µs` : '';
    console.log(`${pct(e.ticks)}${per}  ${short(e.url)}:${e.line} ${e.fn}  ${textOf(e.url, e.line)}`);
  }
}
