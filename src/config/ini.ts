/**
 * A small oslo-style INI parser for `trio2o.conf`.
 *
 * Written by hand (no dependency) because the dialect is tiny and because we want every
 * error to name the file and line. Rules, chosen to match oslo.config's own iniparser where
 * it matters to operators moving over from the Python Trio2o:
 *
 * - `[section]` headers; section names are case-sensitive (`[DEFAULT]` is upper case, as in
 *   oslo). A section may appear twice: its keys merge.
 * - `key = value`; whitespace around key and value is trimmed. Only `=` separates (oslo also
 *   accepts `:`, which we reject so a URL typed without a key fails loudly).
 * - A value wrapped in matching single or double quotes loses the quotes (oslo does the same),
 *   so `password = " spaces kept "` keeps its spaces.
 * - Lines whose first non-blank character is `#` or `;` are comments. There are NO inline
 *   comments: `password = abc#123` is the value `abc#123`, because secrets and URLs contain `#`.
 * - Duplicate keys: the LAST one wins, as in oslo.config for single-valued options. The line of
 *   the winning value is kept so later validation errors point at it.
 * - No continuation lines: an indented line is just trimmed and parsed like any other line.
 * - A key before any section header, a line that is neither a section, a comment nor
 *   `key = value`, or an empty key is an error naming the line number. All syntax errors in a
 *   file are collected and reported together.
 */

/** One parsed value and the 1-based line it came from. */
export interface IniValue {
  value: string;
  line: number;
}

/** Section name → key → value (with its line). Built on null-prototype objects. */
export type IniDocument = Record<string, Record<string, IniValue>>;

/** A syntax error in an INI file; `problems` lists every bad line. */
export class IniSyntaxError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: ${problems.length} syntax error(s):\n  ${problems.join('\n  ')}`);
    this.name = 'IniSyntaxError';
    this.problems = problems;
  }
}

const SECTION_RE = /^\[([^\[\]]*)\]$/;
const KEY_RE = /^[A-Za-z0-9_.-]+$/;

/**
 * Parse INI text.
 *
 * @param text the file contents
 * @param source a name for messages, usually the file path
 * @default source 'config'
 * @throws IniSyntaxError listing every bad line
 * @example
 * parseIni('[DEFAULT]\nbind_host = 0.0.0.0\n').DEFAULT.bind_host.value // '0.0.0.0'
 */
export function parseIni(text: string, source = 'config'): IniDocument {
  const doc: IniDocument = Object.create(null);
  const problems: string[] = [];
  let current: Record<string, IniValue> | undefined;
  // A UTF-8 BOM written by some editors would otherwise glue itself to the first header.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const section = SECTION_RE.exec(trimmed);
    if (section) {
      const name = section[1]!.trim();
      if (name === '') {
        problems.push(`line ${line}: empty section name "${trimmed}"`);
        // Swallow this section's keys so one bad header does not cascade into more errors.
        current = Object.create(null) as Record<string, IniValue>;
        return;
      }
      current = doc[name] ??= Object.create(null) as Record<string, IniValue>;
      return;
    }
    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      // Do not echo the line: it may be a password pasted without its key.
      problems.push(`line ${line}: expected "[section]" or "key = value"`);
      return;
    }
    const key = trimmed.slice(0, eq).trim();
    if (key === '') {
      problems.push(`line ${line}: missing key before "="`);
      return;
    }
    if (!KEY_RE.test(key)) {
      // The "key" is not echoed: a line like `my pass=word` may hold a secret.
      problems.push(`line ${line}: invalid key (letters, digits, "_", "-", "." only)`);
      return;
    }
    if (!current) {
      problems.push(`line ${line}: key "${key}" appears before any [section] header`);
      return;
    }
    current[key] = { value: unquote(trimmed.slice(eq + 1).trim()), line };
  });
  if (problems.length > 0) throw new IniSyntaxError(source, problems);
  return doc;
}

/** Strip one pair of matching surrounding quotes, as oslo.config does. */
function unquote(value: string): string {
  if (value.length >= 2) {
    const first = value[0];
    if ((first === '"' || first === "'") && value[value.length - 1] === first) {
      return value.slice(1, -1);
    }
  }
  return value;
}
