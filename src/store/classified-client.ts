/**
 * A libSQL `Client` whose every failure is a classified `StoreError` (errors.ts). The
 * repositories hold this wrapper, so a libSQL error never leaves the store unclassified.
 */
import type { Client, InArgs, InStatement, Replicated, ResultSet, Transaction, TransactionMode } from '@libsql/client';
import { classifyStoreError } from './errors';

async function classified<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classifyStoreError(err);
  }
}

/** An interactive transaction whose statements fail with StoreErrors too. */
function classifiedTransaction(tx: Transaction): Transaction {
  return {
    execute: (stmt: InStatement) => classified(() => tx.execute(stmt)),
    batch: (stmts: InStatement[]) => classified(() => tx.batch(stmts)),
    executeMultiple: (sql: string) => classified(() => tx.executeMultiple(sql)),
    rollback: () => classified(() => tx.rollback()),
    commit: () => classified(() => tx.commit()),
    close: () => tx.close(),
    get closed() {
      return tx.closed;
    },
  };
}

export class ClassifiedClient implements Client {
  constructor(readonly inner: Client) {}

  get protocol(): string {
    return this.inner.protocol;
  }

  get closed(): boolean {
    return this.inner.closed;
  }

  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return classified(() => (typeof stmtOrSql === 'string' ? this.inner.execute(stmtOrSql, args) : this.inner.execute(stmtOrSql)));
  }

  batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
    return classified(() => this.inner.batch(stmts, mode));
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return classified(() => this.inner.migrate(stmts));
  }

  async transaction(mode?: TransactionMode): Promise<Transaction> {
    return classifiedTransaction(await classified(() => this.inner.transaction(mode)));
  }

  executeMultiple(sql: string): Promise<void> {
    return classified(() => this.inner.executeMultiple(sql));
  }

  sync(): Promise<Replicated> {
    return classified(() => this.inner.sync());
  }

  reconnect(): void {
    this.inner.reconnect();
  }

  close(): void {
    this.inner.close();
  }
}
