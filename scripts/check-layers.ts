/**
 * The layering of src/, checked from the import statements: the folders (one idea each; the
 * subfolders of api/ count separately) must form no cycle, each imports only folders after it in
 * LAYERS, nothing below api/ imports api/, and src/http/ — the bottom HTTP layer — imports
 * nothing else from src/. Type-only imports
 * count: a cycle of types is still a cycle for a reader.
 *
 * Usage: node --import tsx scripts/check-layers.ts [src-dir]   (exit 1 and one line per problem)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The folders from the top (the command line) to the bottom (the HTTP primitives), in the order a
 * request meets them; a folder may import only folders after it. README's code map lists them.
 */
export const LAYERS: readonly string[] = [
  '(root)', 'cli', 'config', 'server', 'ops', 'api', 'api/admin', 'api/compute', 'api/volume', 'api/common', 'auth',
  'scheduling', 'discovery', 'jobs', 'fanout', 'proxy', 'routing', 'pods', 'store', 'http',
];
/** Folders that sit above api/ (they wire the APIs into listeners and the command line). */
export const ABOVE_API: ReadonlySet<string> = new Set(['(root)', 'cli', 'config', 'server', 'ops']);
/** The bottom HTTP layer: imports nothing else from src/. */
export const BOTTOM = 'http';

/** `from` folder → `to` folder → the files of `from` that import `to`. */
export type FolderGraph = Map<string, Map<string, string[]>>;

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The folder a file belongs to: its first segment under src, or `api/<x>` inside api/. */
export function folderOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  if (parts.length === 1) return '(root)';
  if (parts[0] === 'api' && parts.length > 2) return `api/${parts[1]}`;
  return parts[0]!;
}

function resolveSpecifier(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The folder-level import graph of every .ts file under `root` (relative specifiers only). */
export function folderGraph(root: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(root)) {
    const from = folderOf(root, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (!spec.startsWith('.')) continue;
      const target = resolveSpecifier(file, spec);
      if (!target || !target.startsWith(root + sep)) continue;
      const to = folderOf(root, target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      const files = edges.get(to) ?? [];
      if (!files.includes(relative(root, file))) files.push(relative(root, file));
      edges.set(to, files);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan), each sorted. */
export function cycles(graph: FolderGraph): string[][] {
  const nodes = new Set<string>([...graph.keys(), ...[...graph.values()].flatMap((e) => [...e.keys()])]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found;
}

const isApi = (folder: string) => folder === 'api' || folder.startsWith('api/');

/** Every layering problem of the graph, one sentence each; empty when the layering is true. */
export function layeringProblems(graph: FolderGraph, layers: readonly string[] = LAYERS): string[] {
  const problems: string[] = [];
  for (const scc of cycles(graph)) {
    const edges = scc.flatMap((a) => [...(graph.get(a)?.entries() ?? [])].filter(([b]) => scc.includes(b)).map(([b, files]) => `${a} -> ${b} (${files.join(', ')})`));
    problems.push(`import cycle between folders ${scc.join(', ')}: ${edges.join('; ')}`);
  }
  for (const [from, edges] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [to, files] of edges) {
      if (isApi(to) && !isApi(from) && !ABOVE_API.has(from)) problems.push(`${from} is below api/ but imports ${to} (${files.join(', ')})`);
      if (from === BOTTOM) problems.push(`${BOTTOM} is the bottom layer but imports ${to} (${files.join(', ')})`);
      const [a, b] = [layers.indexOf(from), layers.indexOf(to)];
      if (a === -1 || b === -1) problems.push(`${a === -1 ? from : to} is not in the layer order (scripts/check-layers.ts LAYERS)`);
      else if (a > b && !(isApi(to) && !isApi(from) && !ABOVE_API.has(from)) && from !== BOTTOM) problems.push(`${from} imports ${to}, which is above it in the layer order (${files.join(', ')})`);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(process.argv[2] ?? 'src');
  const problems = layeringProblems(folderGraph(root));
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log(`layering of ${relative(process.cwd(), root) || '.'}: no folder cycle, every import looks down the layer order, nothing below api/ imports it, ${BOTTOM}/ imports nothing`);
}
