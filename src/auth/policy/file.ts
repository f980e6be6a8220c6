/**
 * Reads an oslo.policy-style rules file: YAML (policy.yaml, oslo's format since Wallaby) or
 * JSON (the older policy.json). A missing file is not an error: the defaults in code apply,
 * as in oslo and the Python Trio2o.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PolicyFileError } from './errors';

/**
 * @param file path of the rules file
 * @returns rule name → raw rule (check string or list), or `undefined` when the file is absent
 * @throws PolicyFileError when the file cannot be read or parsed, or is not a mapping
 */
export function readPolicyFile(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new PolicyFileError(file, `cannot be read (${code ?? String(err)})`, { cause: err });
  }
  let data: unknown;
  // JSON by extension or by content; YAML otherwise. (YAML would read JSON too, but JSON.parse
  // reports JSON mistakes in JSON terms.)
  const json = extname(file).toLowerCase() === '.json' || text.trimStart().startsWith('{');
  try {
    // uniqueKeys: a rule defined twice is a mistake, not "last wins".
    data = json ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw new PolicyFileError(file, `is not valid ${json ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { cause: err });
  }
  // An empty file (or one with only comments) holds no overrides.
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyFileError(file, 'must be a mapping of rule name to check string');
  }
  return data as Record<string, unknown>;
}
