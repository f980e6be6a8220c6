/**
 * Store writes of the compute resources the gateway owns: an unreachable primary (site replica)
 * answers 503 and a duplicate answers 409 with the resource's own words, never a 500.
 */
import { isUnavailable, isUniqueViolation, MarkerNotFoundError } from '../../store';
import { badRequest, conflict, serviceUnavailable } from '../../http';

export async function storeWrite<T>(write: () => Promise<T>, conflictMessage?: (err: unknown) => string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (conflictMessage && isUniqueViolation(err)) throw conflict(conflictMessage(err));
    if (isUnavailable(err)) throw serviceUnavailable('The state store cannot be written right now (primary unreachable); nothing was changed.', err);
    throw err;
  }
}

/** A paged read whose unknown marker is Nova's 400 `marker [x] not found`. */
export async function pagedRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof MarkerNotFoundError) throw badRequest(err.message);
    throw err;
  }
}
