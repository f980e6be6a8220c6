/**
 * A loggable copy of the config: the start-up log shows every effective setting, which is
 * the quickest way to debug a deployment, but passwords and tokens must never be logged.
 */
import { SECRET_SETTINGS } from './load';
import type { Config } from './schema';

/** What a set secret is replaced by. An unset secret stays `undefined`, so logs show it is unset. */
export const REDACTED = '***';

/**
 * @param config a loaded config (not modified)
 * @returns a deep copy with every secret setting that is set replaced by `'***'`
 * @example log.info({ config: redactConfig(config) }, 'configuration loaded');
 */
export function redactConfig(config: Config): Config {
  const copy = structuredClone(config) as Config;
  const sections = copy as unknown as Record<string, Record<string, unknown>>;
  for (const id of SECRET_SETTINGS) {
    const [section, key] = id.split('.') as [string, string];
    const values = sections[section];
    if (values && values[key] !== undefined) values[key] = REDACTED;
  }
  return copy;
}
