/**
 * A libSQL `Client` that delegates to another one which can be replaced at run time.
 *
 * A site replica changes its underlying client when the primary goes away (embedded replica →
 * read-only fallback on the same file) and when it comes back (fallback → fresh embedded
 * replica). The repositories hold this wrapper, so they follow the swap without knowing.
 * A retired client is closed only once the calls already running on it have finished: closing
 * a libsql client between a borrow and its statement fails that statement with CLIENT_CLOSED.
 */
import type { Client, InArgs, InStatement, Replicated, ResultSet, Transaction, TransactionMode } from '@libsql/client';
import { StoreError } from './errors';

/** What the read-only fallback refuses outright (it could open a second, writable connection). */
const READONLY_MESSAGE = 'The state store is read-only: the replica is detached from its primary';

export class SwitchClient implements Client {
  #current: Client;
  #readOnly: boolean;
  readonly #inFlight = new Map<Client, number>();
  readonly #retiring = new Set<Client>();
  closed = false;

  /**
   * @param initial the client to delegate to
   * @param readOnly true when `initial` is the detached fallback (transactions are refused)
   */
  constructor(initial: Client, readOnly = false) {
    this.#current = initial;
    this.#readOnly = readOnly;
  }

  get protocol(): string {
    return this.#current.protocol;
  }

  /** The client calls go to now. */
  get current(): Client {
    return this.#current;
  }

  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** Sends later calls to `next`; the previous client is closed once it is idle. */
  swap(next: Client, readOnly: boolean): void {
    const old = this.#current;
    this.#current = next;
    this.#readOnly = readOnly;
    if (old !== next) this.#retire(old);
  }

  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.#run((c) => (typeof stmtOrSql === 'string' ? c.execute(stmtOrSql, args) : c.execute(stmtOrSql)));
  }

  batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
    return this.#run((c) => c.batch(stmts, mode));
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    if (this.#readOnly) return Promise.reject(new StoreError('TRIO2O_STORE_READONLY', READONLY_MESSAGE));
    return this.#run((c) => c.migrate(stmts));
  }

  /**
   * Interactive transactions hold a connection across awaits: a swap in between would strand
   * them, and on the fallback a transaction borrows a fresh connection without `query_only`.
   * Repositories use `batch` instead; this exists for the interface.
   */
  transaction(mode?: TransactionMode): Promise<Transaction> {
    if (this.#readOnly) return Promise.reject(new StoreError('TRIO2O_STORE_READONLY', READONLY_MESSAGE));
    return this.#run((c) => c.transaction(mode));
  }

  executeMultiple(sql: string): Promise<void> {
    return this.#run((c) => c.executeMultiple(sql));
  }

  sync(): Promise<Replicated> {
    return this.#run((c) => c.sync());
  }

  reconnect(): void {
    this.#current.reconnect();
  }

  close(): void {
    this.closed = true;
    this.#current.close();
    for (const c of this.#retiring) c.close();
    this.#retiring.clear();
  }

  async #run<T>(call: (c: Client) => Promise<T>): Promise<T> {
    const c = this.#current;
    this.#inFlight.set(c, (this.#inFlight.get(c) ?? 0) + 1);
    try {
      return await call(c);
    } finally {
      const n = (this.#inFlight.get(c) ?? 1) - 1;
      if (n > 0) this.#inFlight.set(c, n);
      else {
        this.#inFlight.delete(c);
        if (this.#retiring.delete(c)) c.close();
      }
    }
  }

  #retire(old: Client): void {
    if ((this.#inFlight.get(old) ?? 0) === 0) old.close();
    else this.#retiring.add(old);
  }
}
