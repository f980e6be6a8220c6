/**
 * Where a sampling heap profile (bench/request-anatomy.ts with HEAP) says the bytes were
 * allocated, per request: by the allocating function and by its file or package.
 *
 *   node --import tsx bench/heap-top.ts FILE.heapprofile REQUESTS [TOP=30]
 */
import { readFileSync } from 'node:fs';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const [file, requestsArg, topArg] = process.argv.slice(2);
if (!file || !requestsArg) throw new Error('usage: heap-top.ts FILE.heapprofile REQUESTS [TOP]');
const requests = Number(requestsArg);
const top = Number(topArg ?? 30);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/(src|packages|bench)\//, '$1/');

const frames = new Map<string, number>();
const files = new Map<string, number>();
let total = 0;
(function walk(n: HeapNode): void {
  if (n.selfSize) {
    const f = n.callFrame;
    const where = f.url ? short(f.url) : '(native)';
    const k = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    frames.set(k, (frames.get(k) ?? 0) + n.selfSize);
    const g = where.startsWith('~/') ? where.split('/').slice(0, 2).join('/') : where;
    files.set(g, (files.get(g) ?? 0) + n.selfSize);
    total += n.selfSize;
  }
  for (const c of n.children) walk(c);
})(head);

const kib = (b: number) => `${(b / requests / 1024).toFixed(2)} KiB`.padStart(10);
console.log(`${file}: ${kib(total)} per request sampled`);
console.log(`\nby allocating function:`);
for (const [k, b] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kib(b)}  ${k}`);
console.log(`\nby file / package:`);
for (const [k, b] of [...files].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kib(b)}  ${k}`);
