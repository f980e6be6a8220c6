/**
 * A Tempest workspace and its tempest.conf for one target region. The choices are what a
 * simulated pod can honestly claim: the feature flags below switch off only what the simulator
 * (and so the gateway in front of it) does not implement, each with the reason. Anything left on
 * must pass or is reported as a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TempestConfOptions {
  /** Workspace folder (created); tempest.conf goes to <dir>/etc. */
  dir: string;
  /** Keystone origin, e.g. http://127.0.0.1:35000. */
  keystoneUrl: string;
  adminPassword: string;
  /** Catalog region the compute, volume and image clients use (Pod1 or RegionOne). */
  region: string;
  /** image_ref: a bootable image every pod has (the sim's CirrOS). */
  imageRef: string;
  /** image_ref_alt: a second image for rebuild tests. */
  imageRefAlt: string;
  /** Highest compute microversion of the target. */
  computeMax: string;
  /** Highest volume microversion of the target. */
  volumeMax: string;
  /**
   * What stands behind the target: the pod simulator (default) or the real-pods bed
   * (test/realpods: Debian's Nova/Cinder with fake drivers, a real Glance, no Neutron).
   */
  pods?: 'sim' | 'real';
}

/** Seconds between Tempest's status polls; it is an IntOpt, so 1 s is the shortest sane value. */
const BUILD_INTERVAL_S = 1;
/** A simulated pod reaches every steady state within milliseconds; a minute means it never will. */
const BUILD_TIMEOUT_S = 60;
/** A real pod takes seconds (a boot ~1 s, more on 2 busy cores): five minutes means it never will. */
const REAL_BUILD_TIMEOUT_S = 300;

type Section = Record<string, string | number | boolean>;

/**
 * The sections of tempest.conf. Keys follow tempest/config.py (Tempest 33.0.0).
 * Exported so the decisions can be read and tested without writing files.
 */
export function tempestConf(o: TempestConfOptions): Record<string, Section> {
  const conf = simConf(o);
  return o.pods === 'real' ? realConf(conf) : conf;
}

/**
 * The same conf for the real-pods bed: only what differs from the simulator's, each with why.
 * Real pods are judged by the same tests; these switches only avoid asking for what the bed's
 * fake drivers and missing services cannot do.
 */
function realConf(conf: Record<string, Section>): Record<string, Section> {
  return {
    ...conf,
    compute: {
      ...conf.compute,
      build_timeout: REAL_BUILD_TIMEOUT_S,
    },
    'compute-feature-enabled': {
      ...conf['compute-feature-enabled'],
      // nova.virt.fake's snapshot() uploads nothing: the image stays "queued" and createImage
      // (and backup) never finish.
      snapshot: false,
    },
    volume: { ...conf.volume, build_timeout: REAL_BUILD_TIMEOUT_S },
    'volume-feature-enabled': {
      ...conf['volume-feature-enabled'],
      // The bed runs no cinder-backup service.
      backup: false,
    },
    image: { ...conf.image, build_timeout: REAL_BUILD_TIMEOUT_S },
  };
}

function simConf(o: TempestConfOptions): Record<string, Section> {
  return {
    DEFAULT: { log_file: join(o.dir, 'tempest.log'), debug: true, use_stderr: false },
    oslo_concurrency: { lock_path: join(o.dir, 'lock') },
    auth: {
      use_dynamic_credentials: true,
      create_isolated_networks: false,
      admin_username: 'admin',
      admin_password: o.adminPassword,
      admin_project_name: 'admin',
      admin_domain_name: 'Default',
    },
    identity: {
      uri_v3: `${o.keystoneUrl}/v3`,
      auth_version: 'v3',
      region: 'RegionOne',
      v3_endpoint_type: 'public',
    },
    'identity-feature-enabled': { api_v2: false },
    compute: {
      region: o.region,
      catalog_type: 'compute',
      endpoint_type: 'publicURL',
      flavor_ref: '1',
      flavor_ref_alt: '2',
      image_ref: o.imageRef,
      image_ref_alt: o.imageRefAlt,
      min_microversion: '2.1',
      max_microversion: o.computeMax,
      build_interval: BUILD_INTERVAL_S,
      build_timeout: BUILD_TIMEOUT_S,
      // Nova's default shelved_offload_time = 0, which real pods and the simulator both follow:
      // shelve ends SHELVED_OFFLOADED, and Tempest must wait for that.
      shelved_offload_time: 0,
    },
    'compute-feature-enabled': {
      // The simulator implements these server actions and their state machines.
      pause: true,
      suspend: true,
      shelve: true,
      resize: true,
      rescue: true,
      console_output: true,
      change_password: true,
      // No hypervisors to move between: migrations are not simulated.
      cold_migration: false,
      live_migration: false,
      // No network, no guest: metadata service, config drive and interface attach need both.
      metadata_service: false,
      config_drive: false,
      interface_attach: false,
      // Nova returns adminPass on create (its enable_instance_password defaults to true).
      enable_instance_password: true,
      // Encrypted volumes need Barbican; multiattach and swap need a real hypervisor.
      attach_encrypted_volume: false,
      volume_multiattach: false,
      swap_volume: false,
      personality: false,
      vnc_console: false,
      serial_console: false,
      spice_console: false,
      snapshot: true,
    },
    volume: {
      region: o.region,
      catalog_type: 'volumev3',
      endpoint_type: 'publicURL',
      min_microversion: '3.0',
      max_microversion: o.volumeMax,
      build_interval: BUILD_INTERVAL_S,
      build_timeout: BUILD_TIMEOUT_S,
    },
    'volume-feature-enabled': {
      backup: true,
      snapshot: true,
      clone: true,
      manage_volume: false,
      manage_snapshot: false,
      extend_attached_volume: false,
    },
    image: { region: o.region, endpoint_type: 'publicURL', build_interval: BUILD_INTERVAL_S, build_timeout: BUILD_TIMEOUT_S },
    network: { region: o.region },
    validation: { run_validation: false },
    // glance = true: Tempest 33's compute admin base class builds a Glance client
    // unconditionally (AttributeError in every admin class with glance off). The simulator's
    // Glance lists and shows images but cannot create, upload or delete them; the tests that
    // need that are excluded in selection.ts (IMAGE_UPLOAD), not hidden by this flag.
    service_available: { nova: true, cinder: true, glance: true, neutron: false, swift: false, horizon: false },
  };
}

function render(conf: Record<string, Section>): string {
  return Object.entries(conf)
    .map(([name, s]) => `[${name}]\n${Object.entries(s).map(([k, v]) => `${k} = ${String(v)}`).join('\n')}\n`)
    .join('\n');
}

/**
 * Create the workspace with `tempest init` (private workspace registry, so the user's
 * ~/.tempest is untouched) and write tempest.conf into it.
 * @returns the workspace folder
 */
export function writeWorkspace(o: TempestConfOptions): string {
  mkdirSync(o.dir, { recursive: true });
  const ws = join(o.dir, 'workspace');
  const init = spawnSync('tempest', ['init', '--workspace-path', join(o.dir, 'workspaces.yaml'), ws], { cwd: o.dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`tempest init failed (${init.status}): ${init.stderr.slice(-2000)}`);
  mkdirSync(join(ws, 'lock'), { recursive: true });
  writeFileSync(join(ws, 'etc', 'tempest.conf'), render(tempestConf({ ...o, dir: ws })), { mode: 0o600 });
  return ws;
}
