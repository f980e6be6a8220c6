/**
 * `clouds.yaml` as openstacksdk reads it: the first file found in `$OS_CLIENT_CONFIG_FILE`,
 * `./clouds.yaml`, `$XDG_CONFIG_HOME/openstack/clouds.yaml` (`~/.config/openstack`),
 * `/etc/openstack/clouds.yaml` (`.yml` accepted too), with the cloud's entries of a
 * `secure.yaml` found the same way (`$OS_CLIENT_SECURE_FILE`) merged over it — where
 * operators keep passwords apart from the shareable file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One cloud's entry: `auth` (auth_url, username, password, project_name, ..., token) and catalog choices. */
export interface CloudEntry {
  auth?: Record<string, unknown>;
  region_name?: string;
  interface?: string;
  auth_type?: string;
}

type Env = Record<string, string | undefined>;

/** The folders searched, in openstacksdk's order. */
export function configDirs(env: Env, cwd: string): string[] {
  const xdg = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return [cwd, join(xdg, 'openstack'), '/etc/openstack'];
}

function findFile(base: 'clouds' | 'secure', override: string | undefined, env: Env, cwd: string): string | undefined {
  if (override) return override;
  for (const dir of configDirs(env, cwd)) {
    for (const ext of ['yaml', 'yml']) {
      const file = join(dir, `${base}.${ext}`);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

function cloudsOf(file: string): Record<string, CloudEntry> {
  const doc = parse(readFileSync(file, 'utf8')) as { clouds?: Record<string, CloudEntry> } | null;
  return doc?.clouds ?? {};
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
      ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/**
 * The named cloud, secure.yaml merged in.
 * @throws Error naming the file searched when there is no such cloud
 */
export function loadCloud(name: string, env: Env, cwd: string = process.cwd()): { entry: CloudEntry; file: string } {
  const file = findFile('clouds', env.OS_CLIENT_CONFIG_FILE, env, cwd);
  if (!file) throw new Error(`cloud "${name}" requested but no clouds.yaml found (searched ${configDirs(env, cwd).join(', ')})`);
  const clouds = cloudsOf(file);
  const entry = clouds[name];
  if (!entry) throw new Error(`cloud "${name}" is not in ${file} (it has: ${Object.keys(clouds).join(', ') || 'none'})`);
  const secureFile = findFile('secure', env.OS_CLIENT_SECURE_FILE, env, cwd);
  const secure = secureFile && existsSync(secureFile) ? cloudsOf(secureFile)[name] : undefined;
  return { entry: (secure ? merge(entry as Record<string, unknown>, secure as Record<string, unknown>) : entry) as CloudEntry, file };
}
