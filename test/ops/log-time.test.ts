import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/ops/log';

// The line's time is built from a per-second prefix: it must read exactly as toISOString, at every
// millisecond width (0–9, 10–99, 100–999) and across second boundaries.
test('a log line carries the time exactly as toISOString writes it', () => {
  let last = '';
  const log = createLogger('info', (line) => void (last = line));
  const widths = new Set<number>();
  const seconds = new Set<string>();
  const until = Date.now() + 1_500;
  while (Date.now() < until || widths.size < 3) {
    const before = Date.now();
    log.info('tick');
    const after = Date.now();
    const time = (JSON.parse(last) as { time: string }).time;
    const at = Date.parse(time);
    assert.equal(new Date(at).toISOString(), time);
    assert.ok(at >= before && at <= after, `${time} not between ${before} and ${after}`);
    const ms = at % 1000;
    widths.add(ms < 10 ? 1 : ms < 100 ? 2 : 3);
    seconds.add(time.slice(0, 19));
  }
  assert.ok(seconds.size >= 2, 'the run crossed a second boundary');
});
