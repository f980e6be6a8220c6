/**
 * Loads the configuration once at start-up: INI file, then `TRIO2O_<SECTION>_<KEY>` env
 * variables, then programmatic overrides (CLI flags, tests), each layer winning over the one
 * before; then validates the result with the one schema and either returns a frozen `Config`
 * or throws one `ConfigError` listing every problem.
 *
 * Unknown sections, keys and env variables are errors, not warnings: a typo such as
 * `pasword` or `[keystone] auth_ur` would otherwise be ignored silently and the gateway would
 * start with a default the operator never chose (e.g. noauth-like behaviour or the wrong port),
 * which is the worst way to find out about a typo.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { ConfigError } from './errors';
import { isSecret } from './fields';
import { IniSyntaxError, parseIni, type IniDocument } from './ini';
import { RENAMED_OPTIONS } from './renamed';
import { CONFIG_SECTIONS, ConfigSchema, type Config } from './schema';

/** Read when `loadConfig` gets no `file`; it may be absent (then defaults apply). */
export const DEFAULT_CONFIG_FILE = '/etc/trio2o/trio2o.conf';
/** Prefix of every config env variable. */
export const ENV_PREFIX = 'TRIO2O_';

export interface LoadConfigOptions {
  /**
   * INI file to read; `null` reads no file at all (tests).
   * @default DEFAULT_CONFIG_FILE
   */
  file?: string | null;
  /**
   * Environment to read `TRIO2O_<SECTION>_<KEY>` from.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /**
   * The file was named explicitly (`--config FILE`), so a missing file is an error.
   * @default false
   */
  requireFile?: boolean;
  /** Highest-precedence values, section → key → string, e.g. `{ admin_api: { port: '0' } }`. */
  overrides?: Record<string, Record<string, string>>;
}

/** Where a raw value came from, for messages. */
interface Setting {
  value: string;
  origin: string;
}

/** Known keys per section, read off the schema so the two can never disagree. */
const KNOWN = new Map<string, Map<string, v.GenericSchema>>(
  CONFIG_SECTIONS.map((section) => [
    section,
    new Map(Object.entries(ConfigSchema.entries[section].entries) as [string, v.GenericSchema][]),
  ]),
);

/** `section.key` of every secret setting (password, auth_token), from the schema's metadata. */
export const SECRET_SETTINGS: readonly string[] = [...KNOWN].flatMap(([section, keys]) =>
  [...keys].filter(([, schema]) => isSecret(schema)).map(([key]) => `${section}.${key}`),
);

/**
 * The env variable for a setting.
 * @example configEnvName('database', 'sync_url') // 'TRIO2O_DATABASE_SYNC_URL'
 */
export function configEnvName(section: string, key: string): string {
  return `${ENV_PREFIX}${section.toUpperCase()}_${key.toUpperCase()}`;
}

/**
 * Load and validate the configuration.
 *
 * @param opts file, env, requireFile, overrides (see {@link LoadConfigOptions})
 * @returns the frozen, validated config
 * @throws ConfigError listing every problem (code TRIO2O_CONFIG_INVALID, _SYNTAX, _NOT_FOUND or _UNREADABLE)
 * @example
 * const config = loadConfig({ file: args.config, requireFile: args.config !== undefined });
 * log.info({ config: redactConfig(config) }, 'starting');
 */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const layered = new Map<string, Map<string, Setting>>();
  const set = (section: string, key: string, s: Setting) => {
    let m = layered.get(section);
    if (!m) layered.set(section, (m = new Map()));
    m.set(key, s);
  };

  const file = opts.file === undefined ? DEFAULT_CONFIG_FILE : opts.file;
  const doc = file === null ? undefined : readIni(file, opts.requireFile ?? false);
  if (doc && file !== null) {
    for (const [section, keys] of Object.entries(doc)) {
      const entries = Object.entries(keys);
      if (!KNOWN.has(section)) {
        const lines = entries.map(([, x]) => x.line);
        const where = lines.length > 0 ? `${file} line ${Math.min(...lines)}` : file;
        for (const [key, x] of entries) {
          const advice = RENAMED_OPTIONS[`${section}.${key}`];
          if (advice) problems.push(`[${section}] ${key} (${file} line ${x.line}): unknown option; ${advice}`);
        }
        if (entries.some(([key]) => !RENAMED_OPTIONS[`${section}.${key}`]) || entries.length === 0) {
          problems.push(`[${section}] (${where}): unknown section; known sections are ${CONFIG_SECTIONS.map((s) => `[${s}]`).join(', ')}`);
        }
        continue;
      }
      for (const [key, x] of entries) {
        const origin = `${file} line ${x.line}`;
        if (KNOWN.get(section)!.has(key)) set(section, key, { value: x.value, origin });
        else problems.push(`[${section}] ${key} (${origin}): unknown key${suggest(section, key)}`);
      }
    }
  }

  // Longest prefix first, so a section whose name ends another's could never be mis-split.
  const prefixes = CONFIG_SECTIONS.map((s) => [s, `${ENV_PREFIX}${s.toUpperCase()}_`] as const).sort(
    (a, b) => b[1].length - a[1].length,
  );
  for (const [name, value] of Object.entries(opts.env ?? process.env)) {
    if (value === undefined) continue;
    // Only names under a known section's prefix are ours; other TRIO2O_* names (set for
    // other tools or future use) are left alone rather than rejected.
    const hit = prefixes.find(([, p]) => name.startsWith(p));
    if (!hit) continue;
    const [section, prefix] = hit;
    const key = name.slice(prefix.length).toLowerCase();
    if (KNOWN.get(section)!.has(key)) set(section, key, { value, origin: `env ${name}` });
    else problems.push(`env ${name}: unknown setting [${section}] ${key}${suggest(section, key, true)}`);
  }

  for (const [section, keys] of Object.entries(opts.overrides ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      if (KNOWN.get(section)?.has(key)) set(section, key, { value, origin: 'override' });
      else problems.push(`override [${section}] ${key}: unknown setting${KNOWN.has(section) ? suggest(section, key) : ''}`);
    }
  }

  // An empty value means "not set", so `sync_url =` or TRIO2O_DATABASE_SYNC_URL= falls back to the default.
  const input: Record<string, Record<string, string>> = {};
  for (const section of CONFIG_SECTIONS) {
    input[section] = {};
    for (const [key, s] of layered.get(section) ?? []) if (s.value !== '') input[section][key] = s.value;
  }

  const result = v.safeParse(ConfigSchema, input);
  if (!result.success) {
    const bySetting = new Map<string, { section: string; key: string; rules: Set<string> }>();
    for (const issue of result.issues) {
      const path = issue.path?.map((p) => String(p.key)) ?? [];
      const [section, key] = path;
      if (section === undefined || key === undefined) {
        problems.push(issue.message);
        continue;
      }
      const id = `${section}.${key}`;
      const entry = bySetting.get(id) ?? { section, key, rules: new Set<string>() };
      entry.rules.add(issue.message);
      bySetting.set(id, entry);
    }
    for (const { section, key, rules } of bySetting.values()) {
      problems.push(describe(section, key, [...rules].join(' and '), layered.get(section)?.get(key)));
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError('TRIO2O_CONFIG_INVALID', problems);
  return deepFreeze(result.output);
}

/**
 * One line per bad setting: section/key, env variable, rule, the bad value unless secret, and
 * where it came from. An unset value shows its default, which a cross-field rule may reject.
 */
function describe(section: string, key: string, rule: string, s: Setting | undefined): string {
  const env = configEnvName(section, key);
  const name = `[${section}] ${key} (env ${env})`;
  if (!s || s.value === '') {
    const fallback: unknown = v.getDefault(KNOWN.get(section)!.get(key) as Parameters<typeof v.getDefault>[0]);
    return `${name}: ${rule}; ${fallback === undefined ? 'not set' : `got the default ${JSON.stringify(fallback)}`}`;
  }
  const got = SECRET_SETTINGS.includes(`${section}.${key}`) ? 'got a secret value (not shown)' : `got ${JSON.stringify(s.value)}`;
  return `${name}: ${rule}; ${got}${s.origin === `env ${env}` ? '' : ` (from ${s.origin})`}`;
}

function readIni(file: string, required: boolean): IniDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (!required) return undefined;
      throw new ConfigError('TRIO2O_CONFIG_NOT_FOUND', [`config file ${file} not found`], { cause: err });
    }
    throw new ConfigError('TRIO2O_CONFIG_UNREADABLE', [`config file ${file} cannot be read (${code ?? String(err)})`], {
      cause: err,
    });
  }
  try {
    return parseIni(text, file);
  } catch (err) {
    if (err instanceof IniSyntaxError) {
      throw new ConfigError('TRIO2O_CONFIG_SYNTAX', err.problems.map((p) => `${file} ${p}`), { cause: err });
    }
    throw err;
  }
}

/** "; did you mean X?" for a near miss, or where the key really lives; '' when nothing fits. */
function suggest(section: string, key: string, env = false): string {
  const advice = RENAMED_OPTIONS[`${section}.${key}`];
  if (advice) return `; ${advice}`;
  const keys = [...KNOWN.get(section)!.keys()];
  const near = keys.find((k) => editDistance(k, key) <= 2);
  if (near) return `; did you mean ${env ? configEnvName(section, near) : near}?`;
  const elsewhere = [...KNOWN].filter(([, ks]) => ks.has(key)).map(([s]) => `[${s}]`);
  if (elsewhere.length > 0) return `; ${key} belongs in ${elsewhere.join(', ')}`;
  return '';
}

/** Levenshtein distance; inputs are short option names, so the O(n·m) table is fine. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const value of Object.values(o)) deepFreeze(value);
    Object.freeze(o);
  }
  return o;
}
