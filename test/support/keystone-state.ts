// Prepares the on-disk state of a throw-away real Keystone: keystone.conf, the SQLite database
// and the fernet/credential key repositories. Running the keystone-manage steps costs ~7 s of
// Python start-up, so the result is kept once per machine as a "template" under os.tmpdir()
// (keyed by the installed Keystone version and this recipe's version) and copied for every
// start, which brings later starts down to about the time uwsgi needs to come up.
// The keystone-manage steps are those of Keystone's install guide (db_sync, fernet_setup,
// credential_setup, bootstrap), run against SQLite.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Bump when the template layout or the bootstrap recipe changes: old templates are then ignored. */
const RECIPE_VERSION = 'r2';
/** URL baked into the template's identity endpoint; the real one is patched in after start. */
export const PLACEHOLDER_URL = 'http://127.0.0.1:9/v3/';
/** Files and folders that make up a prepared state; keystone.conf is written per instance. */
const STATE_ITEMS = ['keystone.db', 'keystone.db-wal', 'fernet-keys', 'fernet-receipts', 'credential-keys', 'admin-password'];
/** Each keystone-manage step takes ~2 s; a hung one must not hang the test run. */
const MANAGE_TIMEOUT_MS = 60_000;

export interface KeystoneBinaries {
  keystoneManage: string;
  uwsgi: string;
  sqlite3: string;
  wsgiPublic: string;
}

/** Finds the programs a real Keystone needs; throws a clear error if Keystone is not installed. */
export function findBinaries(): KeystoneBinaries {
  const find = (name: string): string | undefined => {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        /* try the next directory */
      }
    }
    return undefined;
  };
  const wanted = { keystoneManage: 'keystone-manage', uwsgi: 'uwsgi', sqlite3: 'sqlite3', wsgiPublic: 'keystone-wsgi-public' };
  const found: Partial<KeystoneBinaries> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(wanted) as [keyof KeystoneBinaries, string][]) {
    const p = find(name);
    if (p) found[key] = p;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new Error(
      `real Keystone is not installed (missing: ${missing.join(', ')}); ` +
        'install it with: apt-get install -y keystone sqlite3 (or run .ci/run)',
    );
  }
  return found as KeystoneBinaries;
}

/** The installed Keystone version (Debian package version), used to key the template. */
export function keystoneVersion(): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'keystone'], { encoding: 'utf8' });
  const v = r.status === 0 ? r.stdout.trim() : '';
  return v || 'unknown';
}

export interface ConfOptions {
  /** Lifetime of issued tokens in seconds (Keystone [token] expiration). @default 3600 */
  tokenExpiration?: number;
}

/** Writes keystone.conf for a state folder; every path in it is absolute and inside `dir`. */
export async function writeConf(dir: string, opts: ConfOptions = {}): Promise<string> {
  const conf = join(dir, 'keystone.conf');
  const lines = [
    '[DEFAULT]',
    `log_file = ${join(dir, 'keystone.log')}`,
    '[database]',
    `connection = sqlite:///${join(dir, 'keystone.db')}`,
    '[identity]',
    // bcrypt's default cost makes every password auth ~0.3 s of CPU; tests only need it to work.
    'password_hash_rounds = 4',
    '[token]',
    'provider = fernet',
    `expiration = ${opts.tokenExpiration ?? 3600}`,
    '[fernet_tokens]',
    `key_repository = ${join(dir, 'fernet-keys')}`,
    '[fernet_receipts]',
    `key_repository = ${join(dir, 'fernet-receipts')}`,
    '[credential]',
    `key_repository = ${join(dir, 'credential-keys')}`,
  ];
  await writeFile(conf, lines.join('\n') + '\n');
  return conf;
}

function run(file: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: MANAGE_TIMEOUT_MS, maxBuffer: 4 << 20 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${what} failed: ${err.message}\n${String(stderr).slice(-2000)}`, { cause: err }));
      else resolve();
    });
  });
}

/**
 * Runs the keystone-manage recipe in `dir` (which must hold keystone.conf). The three
 * independent steps run in parallel; bootstrap needs the schema and the keys.
 */
export async function bootstrapState(dir: string, bins: KeystoneBinaries): Promise<void> {
  const km = (args: string[]) => run(bins.keystoneManage, ['--config-file', join(dir, 'keystone.conf'), ...args], `keystone-manage ${args[0]}`);
  const owner = ['--keystone-user', 'root', '--keystone-group', 'root'];
  await Promise.all([
    (async () => {
      await km(['db_sync']);
      // Without WAL, Keystone's own connections lock each other out (HTTP 500 after 5 s).
      await run(bins.sqlite3, [join(dir, 'keystone.db'), 'PRAGMA journal_mode=WAL;'], 'sqlite3 WAL');
    })(),
    km(['fernet_setup', ...owner]),
    km(['credential_setup', ...owner]),
  ]);
  const password = randomBytes(12).toString('hex');
  await km([
    'bootstrap',
    '--bootstrap-password', password,
    '--bootstrap-public-url', PLACEHOLDER_URL,
    '--bootstrap-region-id', 'RegionOne',
  ]);
  await writeFile(join(dir, 'admin-password'), password, { mode: 0o600 });
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** Path of the cached template for the installed Keystone. */
export function templateDir(): string {
  const key = `${keystoneVersion()}-${RECIPE_VERSION}`.replace(/[^A-Za-z0-9.+-]/g, '_');
  return join(tmpdir(), `trio2o-keystone-template-${key}`);
}

/**
 * Returns the template folder, building it on first use. It is built in a private folder and
 * renamed into place, so concurrent test processes never see half a template.
 */
export async function ensureTemplate(bins: KeystoneBinaries): Promise<string> {
  const dir = templateDir();
  if (await exists(join(dir, 'admin-password'))) return dir;
  const build = `${dir}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(build, { recursive: true });
  try {
    await writeConf(build);
    await bootstrapState(build, bins);
    await rename(build, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another process won the race: use its template.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(build, { recursive: true, force: true });
  }
  return dir;
}

/** Copies a prepared state (template) into `dir`; returns the admin password stored in it. */
export async function copyState(from: string, dir: string): Promise<string> {
  for (const item of STATE_ITEMS) {
    const src = join(from, item);
    if (await exists(src)) await cp(src, join(dir, item), { recursive: true, preserveTimestamps: true });
  }
  return readAdminPassword(dir);
}

/** The admin password that bootstrapState() stored in a state folder. */
export async function readAdminPassword(dir: string): Promise<string> {
  return (await readFile(join(dir, 'admin-password'), 'utf8')).trim();
}
