// Store faults for gateway tests: the libSQL client under the store fails chosen statements with
// the error a replica whose primary is away gives, so the store's own classification runs.
import type { InArgs, InStatement } from '@libsql/client';
import type { ClassifiedClient, Store } from '../../src/store';

/** libSQL's text when an embedded replica cannot delegate a write to its primary. */
export const WRITE_DELEGATION_REFUSED = 'WriteDelegation(status: Unavailable, message: "error trying to connect: tcp connect error: Connection refused (os error 111)")';

/**
 * Makes every statement matching `sql` fail as an unreachable primary would.
 * @returns the function that restores the client
 */
export function failStatements(store: Store, sql: RegExp): () => void {
  const client = (store.db as ClassifiedClient).inner;
  const original = client.execute.bind(client);
  client.execute = (async (stmt: InStatement | string, args?: InArgs) => {
    const text = typeof stmt === 'string' ? stmt : stmt.sql;
    if (sql.test(text)) throw new Error(WRITE_DELEGATION_REFUSED);
    return typeof stmt === 'string' ? original(stmt, args) : original(stmt);
  }) as typeof client.execute;
  return () => {
    client.execute = original;
  };
}
