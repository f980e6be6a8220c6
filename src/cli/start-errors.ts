/**
 * How a failed start is told on stderr, shared by `serve` (through main) and `config check`, so
 * the check prints exactly what the start would have printed.
 */
import { ConfigError } from '../config';

export function startErrorMessage(err: unknown): string {
  // A ConfigError's message already begins "invalid configuration" and lists every problem.
  if (err instanceof ConfigError) return `trio2o: ${err.message}\n`;
  return `trio2o: ${err instanceof Error ? err.message : String(err)}\n`;
}
