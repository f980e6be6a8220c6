/**
 * Output like the openstack CLI's (cliff): a bordered table by default, or `-f json|yaml|value`,
 * restricted to the `-c COLUMN` columns (repeatable, in the order given). A list is rows under a
 * header; a single record is a Field/Value table.
 */
import { stringify } from 'yaml';

export const FORMATS = ['table', 'json', 'yaml', 'value'] as const;
export type Format = (typeof FORMATS)[number];

export type Row = Record<string, unknown>;

/** What a command produces. */
export type Result =
  /** `document`: what json/yaml print when no column is picked (rows alone would drop context). */
  | { kind: 'list'; columns: string[]; rows: Row[]; footer?: string[]; document?: unknown }
  | { kind: 'record'; record: Row; fields?: string[] }
  | { kind: 'none' };

/** Unknown `-c` names (a usage error, like cliff's "No recognized column names"). */
export class ColumnError extends Error {}

/** A cell as text: strings as they are, null/undefined empty, list items one per line, other values as compact JSON. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function pick(columns: string[], wanted: string[]): string[] {
  if (wanted.length === 0) return columns;
  const unknown = wanted.filter((w) => !columns.includes(w));
  if (unknown.length) throw new ColumnError(`unknown column(s) ${unknown.join(', ')}; columns are: ${columns.join(', ')}`);
  return wanted;
}

/** A bordered table; multi-line cells take several lines. */
export function table(header: string[], rows: string[][]): string {
  const split = rows.map((r) => r.map((c) => c.split('\n')));
  const widths = header.map((h, i) => Math.max(h.length, ...split.map((r) => Math.max(...r[i]!.map((l) => l.length)))));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const body = split.flatMap((r) => {
    const height = Math.max(...r.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line(r.map((c) => c[k] ?? '')));
  });
  return [rule, line(header), rule, ...body, ...(body.length ? [rule] : [])].join('\n') + '\n';
}

/** Renders a result in `format`, keeping only `wanted` columns/fields when given. */
export function render(result: Result, format: Format, wanted: string[]): string {
  if (result.kind === 'none') return '';
  if (result.kind === 'list') {
    const cols = pick(result.columns, wanted);
    if (result.document !== undefined && wanted.length === 0 && (format === 'json' || format === 'yaml')) {
      return format === 'json' ? `${JSON.stringify(result.document, null, 2)}\n` : stringify(result.document);
    }
    const rows = result.rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null])));
    if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
    if (format === 'yaml') return stringify(rows);
    if (format === 'value') return rows.map((r) => cols.map((c) => cell(r[c])).join(' ')).join('\n') + (rows.length ? '\n' : '');
    const footer = result.footer?.length ? `${result.footer.join('\n')}\n` : '';
    return table(cols, rows.map((r) => cols.map((c) => cell(r[c])))) + footer;
  }
  const fields = pick(result.fields ?? Object.keys(result.record), wanted);
  const record = Object.fromEntries(fields.map((f) => [f, result.record[f] ?? null]));
  if (format === 'json') return `${JSON.stringify(record, null, 2)}\n`;
  if (format === 'yaml') return stringify(record);
  if (format === 'value') return fields.map((f) => cell(record[f])).join('\n') + '\n';
  return table(['Field', 'Value'], fields.map((f) => [f, cell(record[f])]));
}
