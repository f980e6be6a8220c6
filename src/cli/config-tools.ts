/**
 * `trio2o config sample` (the annotated trio2o.conf, generated from the schema) and
 * `trio2o config check [--config FILE]`: everything `serve` validates before it opens anything —
 * the file and TRIO2O_* variables, the Keystone settings keystone mode needs, the policy file —
 * without opening the store or a port. Exit 0 when serve would start, else 1 with serve's
 * own messages.
 */
import { configSample, DEFAULT_CONFIG_FILE } from '../config';
import { Policy } from '../auth/policy';
import { API_RULES } from '../api/policy-rules';
import { keystoneSettings } from './keystone';
import { readConfig, type ServeArgs } from './serve';
import { startErrorMessage } from './start-errors';

const USAGE = `usage: trio2o config sample
       trio2o config check [--config FILE] [--noauth]
`;

export function configCli(sub: string | undefined, args: ServeArgs, out: (s: string) => void, err: (s: string) => void): number {
  if (sub === 'sample') return (out(configSample()), 0);
  if (sub !== 'check') return (err(sub === undefined ? USAGE : `trio2o: unknown command: config ${sub}\n${USAGE}`), 2);
  const warnings: string[] = [];
  try {
    const config = readConfig(args);
    if (config.DEFAULT.auth_strategy === 'keystone') keystoneSettings(config);
    new Policy(API_RULES, config.DEFAULT.policy_file, {
      onUnusedRule: (rule, file) => warnings.push(`policy file ${file} defines "${rule}", which no API registered and no rule refers to: it is never used`),
    });
  } catch (e) {
    err(startErrorMessage(e));
    return 1;
  }
  for (const w of warnings) err(`trio2o: warning: ${w}\n`);
  out(`configuration OK (${args.config ?? `${DEFAULT_CONFIG_FILE}, if present,`} and TRIO2O_* variables)\n`);
  return 0;
}
