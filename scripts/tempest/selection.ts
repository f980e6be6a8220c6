/**
 * Which Tempest tests run. `ci` is a fast subset (a few minutes on 2 cores, Keystone start
 * included) over the calls every user makes; `full` is every compute and volume API test a
 * simulated pod can plausibly pass, minus an exclude list whose every entry says why;
 * `realpods` is ci plus what only real pods really do (server actions with their state
 * machines, attachments made by Nova, snapshots, extend, multi-create), for the real-pods bed.
 * Entries are regexes over test ids (`tempest.api.<service>.<module>.<Class>.<test>`).
 */

export interface Selection {
  name: 'ci' | 'full' | 'realpods';
  /** Tests to run (joined with `|`). */
  include: string[];
  /** Tests left out, each with the reason. */
  exclude: { pattern: string; why: string }[];
  /** A test that passes direct but not through the gateway fails the run (the contract). */
  gate: boolean;
  /**
   * Tests known to pass direct and fail through the gateway until a named mechanism lands:
   * they run and are reported, but do not fail the gate (and are reported when they pass).
   */
  knownGaps?: { pattern: string; why: string }[];
}

const api = (s: string) => `^tempest\\.api\\.${s}`;

export const CI: Selection = {
  name: 'ci',
  include: [
    api('compute\\.test_versions\\.'),
    api('compute\\.flavors\\.test_flavors\\.'),
    api('compute\\.keypairs\\.test_keypairs\\.'),
    api('compute\\.servers\\.test_availability_zone\\.'),
    api('compute\\.limits\\.test_absolute_limits\\.'),
    api('compute\\.servers\\.test_create_server\\.ServersTestJSON\\.'),
    api('compute\\.servers\\.test_servers\\.ServersTestJSON\\.'),
    api('compute\\.servers\\.test_delete_server\\.DeleteServersTestJSON\\.test_delete_active_server'),
    api('volume\\.test_versions\\.'),
    api('volume\\.test_volumes_list\\.'),
    api('volume\\.test_volumes_get\\.'),
    api('volume\\.test_volume_metadata\\.'),
  ],
  exclude: [],
  gate: true,
};

const NO_NEUTRON = 'Nova proxies these to Neutron (or to the removed nova-network); there is no Neutron here and Trio2o does no networking';
const NO_SECOND_HOST = 'needs a second hypervisor host to move a server to: a simulated pod is one compute host';
const NO_HYPERVISOR = 'the numbers come from a hypervisor driver, and a simulated pod has none';

/**
 * Every compute and volume API test, minus what truly cannot work here: Nova's Neutron proxies
 * (no Neutron), moving servers between hosts (one host per pod), hypervisor diagnostics (no
 * hypervisor). Families the simulator or the gateway do not serve yet (image upload, server
 * groups, usage, aggregates CRUD, hosts, quota classes, Cinder groups, transfers, QoS, messages,
 * backends...) run and fail on both sides: they are listed in docs/tempest.md, not hidden here.
 * Features switched off in tempest.conf (migrations, consoles, swap volume...) skip themselves.
 */
export const FULL: Selection = {
  name: 'full',
  gate: false,
  include: [api('compute\\.'), api('volume\\.')],
  exclude: [
    { pattern: api('compute\\.floating_ips\\.'), why: NO_NEUTRON },
    { pattern: api('compute\\.security_groups\\.'), why: NO_NEUTRON },
    { pattern: api('compute\\.admin\\.test_security_groups\\.'), why: NO_NEUTRON },
    { pattern: api('compute\\.admin\\.test_quotas_negative\\.QuotasSecurityGroupAdminNegativeTest\\.'), why: NO_NEUTRON },
    { pattern: api('compute\\.admin\\.test_fixed_ips'), why: NO_NEUTRON },
    { pattern: api('compute\\.admin\\.test_networks\\.'), why: NO_NEUTRON },
    { pattern: api('compute\\.(test_networks|test_tenant_networks)\\.'), why: NO_NEUTRON },
    { pattern: api('compute\\.admin\\.test_live_migration'), why: NO_SECOND_HOST },
    { pattern: api('compute\\.admin\\.test_servers_on_multinodes\\.'), why: NO_SECOND_HOST },
    { pattern: api('compute\\.admin\\.test_server_diagnostics'), why: NO_HYPERVISOR },
  ],
};

/** Reasons the real-pods bed cannot honour a test (not gateway gaps: these are left out of both runs). */
const FAKE_CONSOLE = "nova.virt.fake's console log is three lines; the test waits (build_timeout) for more than three";
const NO_NEUTRON_BED = "security groups are Neutron's: the bed has none (its stand-in lists no ports), so a server booted there has no security group to remove";

/**
 * What the real-pods bed itself cannot honour, whatever the selection: left out of both runs
 * (direct and gateway) whenever the pods are real.
 */
export const REAL_BED_EXCLUDE: Selection['exclude'] = [
  { pattern: api('compute\\.servers\\.test_server_actions\\.ServerActionsTestJSON\\.test_get_console_output_with_unlimited_size'), why: FAKE_CONSOLE },
  { pattern: api('compute\\.servers\\.test_server_actions\\.ServerActionsTestJSON\\.test_remove_server_all_security_groups'), why: NO_NEUTRON_BED },
];

export const REALPODS: Selection = {
  name: 'realpods',
  include: [
    ...CI.include,
    api('compute\\.servers\\.test_server_actions\\.ServerActionsTestJSON\\.'),
    api('compute\\.servers\\.test_instance_actions\\.InstanceActionsTestJSON\\.'),
    api('compute\\.servers\\.test_multiple_create\\.MultipleCreateTestJSON\\.'),
    api('compute\\.volumes\\.test_attach_volume\\.AttachVolumeTestJSON\\.'),
    api('volume\\.test_volumes_snapshots\\.VolumesSnapshotTestJSON\\.'),
    api('volume\\.test_volumes_extend\\.VolumesExtendTest\\.'),
  ],
  exclude: REAL_BED_EXCLUDE,
  gate: true,
  knownGaps: [
    {
      pattern: api('compute\\.servers\\.test_multiple_create\\.MultipleCreateTestJSON\\.test_multiple_create$'),
      why: 'waits for multi-create adoption by reservation_id (issue 14): only the first server of a min_count create is routed',
    },
  ],
};

export const SELECTIONS = { ci: CI, full: FULL, realpods: REALPODS } as const;

/** The selection as run on the given pods: on real pods, also without what the bed cannot honour. */
export function forPods(s: Selection, pods: 'sim' | 'real'): Selection {
  if (pods === 'sim') return s;
  const exclude = [...s.exclude, ...REAL_BED_EXCLUDE.filter((e) => !s.exclude.some((x) => x.pattern === e.pattern))];
  return { ...s, exclude };
}

/** The --regex and --exclude-regex arguments for `tempest run`. */
export function selectionRegex(s: Selection): { regex: string; excludeRegex?: string } {
  const regex = s.include.map((p) => `(?:${p})`).join('|');
  if (s.exclude.length === 0) return { regex };
  return { regex, excludeRegex: s.exclude.map((e) => `(?:${e.pattern})`).join('|') };
}
