/**
 * Availability zones in answers: a pod reports its own AZ name, users must see the gateway's top AZ
 * (`az_name` of the pod). One transform for every resource kind: name the body keys of one item and
 * of a collection, and the field that holds the AZ.
 */

export interface AzField {
  /** Body key of one item: `server`, `volume`, `backup`. */
  one: string;
  /** Body key of a collection: `servers`, `volumes`, `backups`. */
  many: string;
  /** The AZ field inside an item: `OS-EXT-AZ:availability_zone`, `availability_zone`. */
  field: string;
}

function fix(item: unknown, field: string, az: string): void {
  if (item && typeof item === 'object' && field in item) (item as Record<string, unknown>)[field] = az;
}

/**
 * A JSON transform (for `respond`/`forward`) writing `topAz` wherever an item carries the field.
 * Items without the field are left alone (a summary list, an older microversion).
 * @example forward(deps, c, opts, azToTop(pod.az_name, { one: 'volume', many: 'volumes', field: 'availability_zone' }))
 */
export function azToTop(topAz: string, ...fields: AzField[]): (json: unknown) => unknown {
  return (json) => {
    if (!json || typeof json !== 'object') return json;
    const body = json as Record<string, unknown>;
    for (const f of fields) {
      fix(body[f.one], f.field, topAz);
      const many = body[f.many];
      if (Array.isArray(many)) for (const item of many) fix(item, f.field, topAz);
    }
    return json;
  };
}
