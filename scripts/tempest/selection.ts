/**
 * Which Tempest tests run. `ci` is a fast subset (a few minutes on 2 cores, Keystone start
 * included) over the calls every user makes; `full` is every compute and volume API test a
 * simulated pod can plausibly pass, minus an exclude list whose every entry says why.
 * Entries are regexes over test ids (`tempest.api.<service>.<module>.<Class>.<test>`).
 */

export interface Selection {
  name: 'ci' | 'full';
  /** Tests to run (joined with `|`). */
  include: string[];
  /** Tests left out, each with the reason. */
  exclude: { pattern: string; why: string }[];
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
};

export const FULL: Selection = {
  name: 'full',
  include: [api('compute\\.'), api('volume\\.')],
  exclude: [],
};

export const SELECTIONS = { ci: CI, full: FULL } as const;

/** The --regex and --exclude-regex arguments for `tempest run`. */
export function selectionRegex(s: Selection): { regex: string; excludeRegex?: string } {
  const regex = s.include.map((p) => `(?:${p})`).join('|');
  if (s.exclude.length === 0) return { regex };
  return { regex, excludeRegex: s.exclude.map((e) => `(?:${e.pattern})`).join('|') };
}
