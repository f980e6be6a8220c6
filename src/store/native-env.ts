/**
 * Silences libsql's native tracing unless the operator asked for it. The addon writes coloured
 * `ERROR libsql::replication ...` lines to stdout twice a second while a primary is unreachable,
 * and it reads RUST_LOG only once, when it is loaded (measured: setting it after the first
 * `@libsql/client` import has no effect). So this module must be imported before
 * `@libsql/client` everywhere in src/store. Set RUST_LOG (e.g. `libsql=debug`) to see them.
 */
if (!process.env.RUST_LOG) process.env.RUST_LOG = 'off';

export {};
