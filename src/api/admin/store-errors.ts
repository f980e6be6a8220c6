/** Maps store failures of an admin write to answers: unreachable primary → 503, duplicate → 409. */
import { isUnavailable, isUniqueViolation } from '../../store';
import { conflict, serviceUnavailable } from '../../http';

export async function storeWrite<T>(write: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(conflictMessage);
    if (isUnavailable(err)) throw serviceUnavailable('The state store cannot be written right now (primary unreachable); nothing was changed.', err);
    throw err;
  }
}
