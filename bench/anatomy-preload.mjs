// Loaded with `node --import` into a server measured by bench/request-anatomy.ts: counts, between
// two SIGUSR2 signals, the requests it answered, what it allocated and collected and how many sockets it opened,
// and writes the counts to $ANATOMY_DIR/<pid>.json at the second signal.
//   - bytes allocated on the V8 heap: heap used at the end − at the start + what every GC in the
//     window freed (v8.GCProfiler reports the heap before and after each GC);
//   - GCs by kind (scavenge = young generation, mark-compact = old) and their pause time;
//   - outgoing TCP connections (`net.client.socket` diagnostics channel) and their closes: how
//     many the peer ended first, and how long each had been idle;
//   - with ANATOMY_PROFILE=1, a CPU profile of the window (inspector Profiler, 100 µs sampling)
//     in $ANATOMY_DIR/<pid>.cpuprofile;
//   - with ANATOMY_HEAP=1, a sampling heap profile of the window that keeps the objects GCs
//     collected (what was allocated, not what survived), in $ANATOMY_DIR/<pid>.heapprofile;
//   - with ANATOMY_ASYNC=1, async resources created by type (async_hooks `init`: PROMISE,
//     Timeout, Immediate, TickObject, ...). Hooks slow the process down: a separate, untimed pass.
import { createHook } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import v8 from 'node:v8';

const dir = process.env.ANATOMY_DIR;
let window;
let connects = 0;
let answered = 0;
subscribe('http.server.response.finish', () => {
  answered += 1;
});
/** Client sockets closed in the window: all, and those the peer ended first (it sent FIN). */
const closes = { all: 0, byPeer: 0, idleMs: [] };
subscribe('net.client.socket', ({ socket }) => {
  connects += 1;
  let peerEnded = false;
  let lastActive = performance.now();
  socket.on('data', () => (lastActive = performance.now()));
  socket.once('end', () => (peerEnded = true));
  socket.once('close', () => {
    if (!window) return;
    closes.all += 1;
    if (peerEnded) closes.byPeer += 1;
    closes.idleMs.push(Math.round(performance.now() - lastActive));
  });
});
const asyncTypes = new Map();
if (process.env.ANATOMY_ASYNC === '1') {
  createHook({
    init(_id, type) {
      if (window) asyncTypes.set(type, (asyncTypes.get(type) ?? 0) + 1);
    },
  }).enable();
}

let session;
const cpuProfile = process.env.ANATOMY_PROFILE === '1';
const heapProfile = process.env.ANATOMY_HEAP === '1';
if (cpuProfile || heapProfile) {
  session = new Session();
  session.connect();
}
if (cpuProfile) {
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

process.on('SIGUSR2', () => {
  if (!window) {
    const profiler = new v8.GCProfiler();
    profiler.start();
    asyncTypes.clear();
    closes.all = 0;
    closes.byPeer = 0;
    closes.idleMs = [];
    if (cpuProfile) session.post('Profiler.start');
    if (heapProfile) session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    window = { profiler, used: v8.getHeapStatistics().used_heap_size, connects, answered, cpu: cpuUs(), at: performance.now() };
    return;
  }
  const w = window;
  window = undefined;
  const cpu = cpuUs() - w.cpu;
  const usedEnd = v8.getHeapStatistics().used_heap_size;
  const { statistics } = w.profiler.stop();
  let freed = 0;
  const gcs = {};
  for (const s of statistics) {
    freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
    const g = (gcs[s.gcType] ??= { count: 0, pauseUs: 0 });
    g.count += 1;
    g.pauseUs += s.cost;
  }
  const out = {
    ms: performance.now() - w.at,
    requests: answered - w.answered,
    cpuUs: cpu,
    allocatedBytes: usedEnd - w.used + freed,
    gcs,
    connects: connects - w.connects,
    closes: { all: closes.all, byPeer: closes.byPeer, idleMs: closes.idleMs.slice(0, 20) },
    async: Object.fromEntries(asyncTypes),
    semiSpaceMiB: v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size / 2 ** 20,
  };
  const write = () => dir && writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(out));
  if (heapProfile) {
    return session.post('HeapProfiler.stopSampling', (err, res) => {
      if (!err && dir) writeFileSync(join(dir, `${process.pid}.heapprofile`), JSON.stringify(res.profile));
      write();
    });
  }
  if (!cpuProfile) return write();
  session.post('Profiler.stop', (err, res) => {
    if (!err && dir) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    write();
  });
});
