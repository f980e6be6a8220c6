/**
 * The record of which compute hosts are in which of the gateway's aggregates (catalog item
 * `aggregate_host`), and the zones it makes: an aggregate with an `availability_zone` makes its
 * hosts a zone inside the pods holding them. Only the store is read here, so both the views that
 * show zones (os-services, os-hosts, servers) and the aggregate actions that change them can use it.
 */
import { AGGREGATE_AZ_KEY } from '../../store';
import type { ComputeDeps } from './deps';

const KIND = 'aggregate_host';
/** The metadata key of an aggregate's availability zone. */
export const AZ_KEY = AGGREGATE_AZ_KEY;

export interface Member {
  aggregate_id: number;
  host: string;
  pod_id: string;
  /** The mirror aggregate's id in the pod. */
  pod_aggregate_id: number;
}

const memberId = (aggregateId: number, host: string) => `${aggregateId}/${host}`;

export async function allMembers(deps: ComputeDeps): Promise<Member[]> {
  return (await deps.store.catalogItems.list<Member>(KIND)).map((i) => i.body);
}

export async function membersOf(deps: ComputeDeps, aggregateId: number): Promise<Member[]> {
  return (await allMembers(deps)).filter((m) => m.aggregate_id === aggregateId);
}

export async function recordMember(deps: ComputeDeps, m: Member): Promise<void> {
  await deps.store.catalogItems.create<Member>(KIND, { id: memberId(m.aggregate_id, m.host), body: m });
}

export async function forgetMember(deps: ComputeDeps, aggregateId: number, host: string): Promise<void> {
  await deps.store.catalogItems.delete(KIND, memberId(aggregateId, host));
}

/** Every aggregate's hosts, by aggregate id, in the order they were added. */
export async function hostsByAggregate(deps: ComputeDeps): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const m of await allMembers(deps)) out.set(m.aggregate_id, [...(out.get(m.aggregate_id) ?? []), m.host]);
  return out;
}

/** Each aggregate zone with hosts → the pods holding them, read from the store. */
export async function readInnerZones(deps: ComputeDeps): Promise<Map<string, Set<string>>> {
  const zoneOf = new Map((await deps.store.aggregates.list()).map((a) => [a.id, a.pod_id === null ? a.metadata[AZ_KEY] : undefined]));
  const out = new Map<string, Set<string>>();
  for (const m of await allMembers(deps)) {
    const zone = zoneOf.get(m.aggregate_id);
    if (zone) out.set(zone, (out.get(zone) ?? new Set()).add(m.pod_id));
  }
  return out;
}
