/**
 * Writes to the state store from a handler: a store that cannot be written (replica without its
 * primary) is a 503, a taken unique key the caller's 409 — never a 500.
 */
import { isUniqueViolation, isUnavailable } from '../../store';
import { conflict, serviceUnavailable } from '../../http';

export async function storeWrite<T>(fn: () => Promise<T>, onDuplicate?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (onDuplicate !== undefined && isUniqueViolation(err)) throw conflict(onDuplicate);
    if (isUnavailable(err)) throw serviceUnavailable('The state store cannot be written right now (primary unreachable); nothing was changed.', err);
    throw err;
  }
}
