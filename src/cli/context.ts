// What every command starts from: the validated config (or a clear exit), and a ready store.
import { type Config, loadConfig } from '../config.ts';
import type { Deps } from '../deps.ts';
import { openReadyStore, openStore, SchemaError, type Store } from '../store/store.ts';

/** What only the composition root can build, handed to the commands that need it. */
export type Runtime = {
  serve(config: Config): Promise<{ close(): Promise<void> }>;
  /** Everything a job needs (store migrated, arXiv client), without the web server. */
  deps(config: Config): Promise<Deps>;
};

export function configOrExit(): Config {
  const c = loadConfig();
  if (!c.ok) {
    for (const e of c.error) console.error(`paperboy: configuration: ${e}`);
    process.exit(2);
  }
  return c.value;
}

/** Operator errors (a schema to migrate, a newer database) print one line and exit 2. */
export function exitOnSchemaError(e: unknown): never {
  if (e instanceof SchemaError) {
    console.error(`paperboy: ${e.message}`);
    process.exit(2);
  }
  throw e;
}

/**
 * Runs fn with a store, closing it after. The store is migrated first (or refused, per
 * MIGRATE_ON_START) unless `raw` is set.
 */
export async function withStore<T>(fn: (store: Store, config: Config) => Promise<T>, raw = false): Promise<T> {
  const config = configOrExit();
  const store = raw
    ? openStore(config.database)
    : (await openReadyStore(config.database, { migrate: config.migrateOnStart, nowIso: () => new Date().toISOString() }).catch(exitOnSchemaError)).store;
  try {
    return await fn(store, config);
  } catch (e) {
    return exitOnSchemaError(e);
  } finally {
    await store.close();
  }
}
