// GET /extensions and /extensions/{alias}: Nova's (deprecated, static) extension list, which
// old clients and Tempest's test_extensions still read. The list is what stock Nova reports.
import { notFound } from './context';
import type { NovaApi } from './deps';

/** [alias, name, description] of a few of the entries Nova's extension_info lists. */
const EXTENSIONS: [string, string, string][] = [
  ['os-hosts', 'Hosts', 'Admin-only host administration.'],
  ['os-consoles', 'Consoles', 'Interactive Console support.'],
  ['os-availability-zone', 'AvailabilityZone', '1. Add availability_zone to the Create Server API.\n2. Add availability zones describing.\n   '],
  ['os-flavor-access', 'FlavorAccess', 'Flavor access support.'],
  ['os-flavor-extra-specs', 'FlavorExtraSpecs', 'Flavors extra specs support.'],
  ['os-keypairs', 'Keypairs', 'Keypair Support.'],
  ['os-quota-sets', 'Quotas', 'Quotas management support.'],
  ['os-server-groups', 'ServerGroups', 'Server group support.'],
  ['os-volumes', 'Volumes', 'Volumes support.'],
  ['os-instance-actions', 'InstanceActions', 'View a log of actions and events taken on an instance.'],
];
const UPDATED = '2014-12-03T00:00:00Z';

const view = ([alias, name, description]: [string, string, string]) => ({ alias, name, description, links: [], namespace: `http://docs.openstack.org/compute/ext/fake_xml`, updated: UPDATED });

export function registerExtensions(api: NovaApi): void {
  api.get('/extensions', (c) => c.json({ extensions: EXTENSIONS.map(view) }));
  api.get('/extensions/:alias', (c) => {
    const e = EXTENSIONS.find(([alias]) => alias === c.req.param('alias'));
    if (!e) throw notFound('Extension could not be found.');
    return c.json({ extension: view(e) });
  });
}
