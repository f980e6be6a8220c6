/**
 * Flavor views, shaped per microversion exactly as Nova's views/flavors.py (Tempest checks them
 * with additionalProperties: false):
 *   2.1   brief {id, name, links}; detail with Nova's names (ram, disk, swap "" when 0, ...)
 *   2.55  description in brief and detail
 *   2.61  extra_specs in detail when the caller may read them
 *   2.75  swap is 0, never ""
 *   2.102 no OS-FLV-DISABLED:disabled, no rxtx_factor
 */
import type { Context } from 'hono';
import type { Flavor } from '../../store';
import { isSupported } from '../../http';
import type { ComputeDeps, ComputeEnv } from './deps';
import { resourceLinks } from './links';

export function flavorBrief(deps: ComputeDeps, c: Context<ComputeEnv>, f: Flavor): Record<string, unknown> {
  const out: Record<string, unknown> = { id: f.flavorid, name: f.name, links: resourceLinks(deps, c, 'flavors', f.flavorid) };
  if (isSupported(c.get('apiVersion'), '2.55')) out.description = f.description;
  return out;
}

/** `extraSpecs` undefined means "not shown" (below 2.61, or the caller may not read them). */
export function flavorDetail(deps: ComputeDeps, c: Context<ComputeEnv>, f: Flavor, extraSpecs?: Record<string, string>): Record<string, unknown> {
  const v = c.get('apiVersion');
  const out: Record<string, unknown> = {
    id: f.flavorid,
    name: f.name,
    ram: f.memory_mb,
    disk: f.root_gb,
    swap: isSupported(v, '2.75') ? f.swap : f.swap || '',
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral_gb,
    'OS-FLV-DISABLED:disabled': f.disabled,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': f.is_public,
    rxtx_factor: f.rxtx_factor || '',
    links: resourceLinks(deps, c, 'flavors', f.flavorid),
  };
  if (isSupported(v, '2.55')) out.description = f.description;
  if (extraSpecs !== undefined && isSupported(v, '2.61')) out.extra_specs = extraSpecs;
  if (isSupported(v, '2.102')) {
    delete out['OS-FLV-DISABLED:disabled'];
    delete out.rxtx_factor;
  }
  return out;
}
