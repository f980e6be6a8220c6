/**
 * Inner availability zones: a host aggregate with an `availability_zone` makes its hosts a zone
 * (as in Nova), and through the gateway that zone lives inside the pod holding those hosts (the
 * aggregate's mirror there carries the zone, so the pod's AvailabilityZoneFilter places a create
 * on them). A create naming the zone goes to that pod with the zone unchanged, the pod's answers
 * show it unchanged, and `os-availability-zone` lists it once it has hosts, as Nova does.
 *
 * Answers by id need the zones on every request, so they are kept in memory per store: read again
 * once older than ZONE_BOOK_TTL_MS (another site's change shows within that time) and at once
 * after this process changes an aggregate. Creates and aggregate rules read the store itself.
 */
import type { InnerZones } from '../../proxy';
import { SchedulingError } from '../../scheduling';
import type { Pod } from '../../store';
import { readInnerZones } from './aggregate-members';
import type { ComputeDeps } from './deps';

/** How long the zones read for answers are trusted before the store is read again. */
const ZONE_BOOK_TTL_MS = 5_000;

interface ZoneBook {
  readAt: number;
  zones: Promise<InnerZones>;
  /** The zones once `zones` has resolved. */
  known?: InnerZones;
}

const books = new WeakMap<object, ZoneBook>();
const NONE: InnerZones = new Map();

/**
 * The inner zones, for shaping answers. A store that cannot be read leaves the last zones known
 * (none at first): an answer then shows the pod's top AZ rather than failing.
 */
export function innerZones(deps: ComputeDeps): Promise<InnerZones> {
  const book = books.get(deps.store);
  const now = Date.now();
  if (book && now - book.readAt <= ZONE_BOOK_TTL_MS) return book.zones;
  const last = book?.zones ?? Promise.resolve(NONE);
  const next: ZoneBook = { readAt: now, zones: last };
  next.zones = readInnerZones(deps).then(
    (z): InnerZones => (next.known = z),
    () => last.then((z) => (next.known = z)),
  );
  books.set(deps.store, next);
  return next.zones;
}

/** The zones kept for answers when they are fresh and read, without a promise turn; else undefined. */
export function innerZonesKnown(deps: ComputeDeps): InnerZones | undefined {
  const book = books.get(deps.store);
  return book?.known !== undefined && Date.now() - book.readAt <= ZONE_BOOK_TTL_MS ? book.known : undefined;
}

/** Drops the zones kept for answers: called after this process changed an aggregate. */
export function forgetInnerZones(deps: ComputeDeps): void {
  books.delete(deps.store);
}

/**
 * Where a create naming an inner zone goes: the pod holding the zone's hosts, the zone sent as it
 * is. Undefined when `zone` is no inner zone (a top AZ or none). The tenant's bindings are neither
 * read nor changed: the zone has one pod, whoever asks.
 */
export async function innerZonePlacement(deps: ComputeDeps, zone: string): Promise<{ pod: Pod; podAz: string } | undefined> {
  if (zone === '') return undefined;
  const podIds = (await readInnerZones(deps)).get(zone);
  if (!podIds) return undefined;
  const pods = (await deps.podDir.list()).filter((p) => podIds.has(p.pod_id) && p.az_name !== '');
  const pod = pods.find((p) => p.enabled);
  if (!pod) throw new SchedulingError('TRIO2O_NO_POD_AVAILABLE', zone, `No enabled pod is available in availability zone ${zone}`);
  return { pod, podAz: zone };
}
