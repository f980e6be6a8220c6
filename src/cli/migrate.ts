/** `trio2o db migrate`: apply pending schema migrations and report the version. */
import { openStore, schemaVersion, migrate } from '../store';
import { readConfig, type ServeArgs } from './serve';
import { storeOptions } from './options';

export async function dbMigrate(args: ServeArgs): Promise<string> {
  const config = readConfig(args);
  const store = await openStore({ ...storeOptions(config), migrate: false });
  try {
    const applied = await migrate(store.db);
    const version = await schemaVersion(store.db);
    return applied.length ? `applied migrations ${applied.join(', ')}; schema version ${version}` : `schema is up to date (version ${version})`;
  } finally {
    await store.close();
  }
}
