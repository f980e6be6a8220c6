/**
 * A write to the state store from a handler whose duplicate key is the caller's 409, in the
 * resource's own words. Every other store failure reaches the listener's error handler as the
 * classified StoreError it is (503 when the store cannot be written).
 */
import { conflict } from '../../http';
import { isUniqueViolation } from '../../store';

/**
 * @param onDuplicate the 409 message when the write hits an existing key; absent: no 409 here
 * @example await storeWrite(() => deps.store.flavors.create(f), () => `Flavor with ID ${id} already exists.`)
 */
export async function storeWrite<T>(write: () => Promise<T>, onDuplicate?: string | ((err: unknown) => string)): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (onDuplicate !== undefined && isUniqueViolation(err)) throw conflict(typeof onDuplicate === 'string' ? onDuplicate : onDuplicate(err));
    throw err;
  }
}
