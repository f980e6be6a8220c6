/** Printing one Tempest run and comparing the direct run with the run through the gateway. */
import type { TempestRun } from './tempest';

type Say = (line: string) => void;

/** Totals and the failed tests of one run. */
export function printRun(name: string, r: TempestRun, say: Say): void {
  say(`${name}: Ran ${r.ran} / Passed ${r.passed} / Failed ${r.failed} / Skipped ${r.skipped} in ${r.seconds} s` +
    (r.exitCode === null ? ' (KILLED at the time limit: partial)' : ''));
  const failed = [...r.results.values()].filter((t) => t.outcome === 'failed').map((t) => t.id).sort();
  for (const id of failed) say(`${name}:   FAILED ${id}`);
  say(`${name}: console output in ${r.logFile}`);
}

/**
 * Print the gateway/direct ratio and the tests that passed against the pod but not through the
 * gateway (the contract's regressions); returns those test ids.
 */
export function compareRuns(direct: TempestRun, gateway: TempestRun, say: Say): string[] {
  const ratio = direct.passed === 0 ? 0 : gateway.passed / direct.passed;
  say(`gateway/direct passed: ${gateway.passed}/${direct.passed} = ${ratio.toFixed(2)}x`);
  const regressions = [...direct.results.values()]
    .filter((t) => t.outcome === 'passed' && gateway.results.get(t.id)?.outcome !== 'passed')
    .map((t) => `${t.id} (${gateway.results.get(t.id)?.outcome ?? 'not run'})`)
    .sort();
  say(`passed direct but not through the gateway: ${regressions.length}`);
  for (const line of regressions) say(`  ${line}`);
  const gains = [...gateway.results.values()].filter((t) => t.outcome === 'passed' && direct.results.get(t.id)?.outcome !== 'passed');
  if (gains.length > 0) say(`passed through the gateway but not direct: ${gains.map((t) => t.id).sort().join(', ')}`);
  return regressions;
}
