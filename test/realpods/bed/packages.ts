/**
 * The Debian 12 packages the real-pods bed runs on, and what to do when some are missing:
 * install them with apt (as root, outside CI), or fail naming them. In CI (`CI` set) `.ci/run`
 * owns the installation, so a missing package there means its list is incomplete: the bed fails
 * instead of hiding that. TRIO2O_REALPODS_APT=0 forbids the install anywhere, =1 allows it in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

/**
 * nova-compute is left out on purpose: it only adds /usr/bin/nova-compute plus a hypervisor
 * package (libvirt/qemu or ironic); the fake driver is in python3-nova and the bed writes the
 * entry point itself. No nginx either: the Neutron stand-in runs in the test process.
 */
export const REALPODS_PACKAGES = [
  'keystone', 'nova-api', 'nova-conductor', 'nova-scheduler', 'placement-api', 'glance-api',
  'cinder-api', 'cinder-scheduler', 'cinder-volume', 'rabbitmq-server', 'mariadb-server', 'sqlite3',
  'python3-openstackclient', 'python3-novaclient', 'python3-cinderclient',
] as const;

/** Packages of `wanted` that dpkg does not report as installed ("ii"). */
export function missingPackages(wanted: readonly string[] = REALPODS_PACKAGES): string[] {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...wanted], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout ?? '').split('\n').filter((l) => / ii ?$/.test(l)).map((l) => l.split(' ')[0]),
  );
  return wanted.filter((p) => !installed.has(p));
}

function installCommand(pkgs: string[]): string {
  return `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}

/**
 * Makes sure the packages are there: returns at once when they are, installs them when allowed
 * (see the module header), else throws an error that names them and the command.
 */
export function ensurePackages(say: (line: string) => void, wanted: readonly string[] = REALPODS_PACKAGES): void {
  const missing = missingPackages(wanted);
  if (missing.length === 0) return;
  const allowed = process.env.TRIO2O_REALPODS_APT === '1' || (process.env.TRIO2O_REALPODS_APT !== '0' && !process.env.CI);
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!allowed || !root || !apt) {
    const why = !allowed
      ? (process.env.CI ? 'in CI, .ci/run installs them (its APT_PACKAGES list lacks these)' : 'TRIO2O_REALPODS_APT=0')
      : !root ? 'installing needs root' : 'apt-get is not available';
    throw new Error(`the real-pods bed needs Debian packages that are not installed: ${missing.join(' ')} (${why}). ` +
      `Install them with: ${installCommand(missing)}`);
  }
  say(`installing ${missing.length} Debian package(s) with apt: ${missing.join(' ')}`);
  // Debian starts services from postinst scripts; policy-rc.d exit 101 forbids that.
  const guard = '/usr/sbin/policy-rc.d';
  const made = !existsSync(guard);
  if (made) writeFileSync(guard, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const opts = ['-o', 'Acquire::Retries=3', '-o', 'DPkg::Lock::Timeout=300'];
    const upd = spawnSync('apt-get', [...opts, 'update', '-q'], { env, encoding: 'utf8' });
    if (upd.status !== 0) throw new Error(`apt-get update failed:\n${upd.stderr.slice(-2000)}`);
    const inst = spawnSync('apt-get', [...opts, 'install', '-y', '-q', '--no-install-recommends', ...missing], { env, encoding: 'utf8' });
    if (inst.status !== 0) throw new Error(`${installCommand(missing)} failed:\n${inst.stderr.slice(-2000)}`);
  } finally {
    if (made) rmSync(guard, { force: true });
  }
  const still = missingPackages(wanted);
  if (still.length > 0) throw new Error(`still missing after apt-get install: ${still.join(' ')}`);
}
