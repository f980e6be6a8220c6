/**
 * The one error the config loader throws. `problems` holds every problem found (they are
 * collected, not reported one per start attempt), and the message lists them all, so an
 * operator fixes the file in one pass. Secret values never reach a message (see load.ts).
 */

/** Stable codes, one per way loading can fail. */
export type ConfigErrorCode =
  /** A value breaks its rule, or a section/key/env variable is unknown. */
  | 'TRIO2O_CONFIG_INVALID'
  /** The INI text itself is malformed (the problems name the line numbers). */
  | 'TRIO2O_CONFIG_SYNTAX'
  /** A file named explicitly (`--config FILE`) does not exist. */
  | 'TRIO2O_CONFIG_NOT_FOUND'
  /** The file exists but cannot be read (permissions, a directory, ...). */
  | 'TRIO2O_CONFIG_UNREADABLE';

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly problems: readonly string[];

  /**
   * @param code what kind of failure
   * @param problems one line per problem, already free of secret values
   * @param options `cause` keeps the underlying error (fs or parse error)
   */
  constructor(code: ConfigErrorCode, problems: string[], options?: { cause?: unknown }) {
    const head = problems.length === 1 ? 'invalid configuration' : `invalid configuration (${problems.length} problems)`;
    super(`${head}:\n  ${problems.join('\n  ')}`, options);
    this.name = 'ConfigError';
    this.code = code;
    this.problems = problems;
  }
}
