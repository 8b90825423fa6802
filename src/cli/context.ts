// What every command starts from: the validated config (or a clear exit), and a ready store.
import { type Config, loadConfig } from '../config.ts';
import { systemClock } from '../deps.ts';
import { consoleLog, openReadyStore, StartupError } from '../main.ts';
import type { Store } from '../store/store.ts';

export function configOrExit(): Config {
  const c = loadConfig();
  if (!c.ok) {
    for (const e of c.error) console.error(`paperboy: configuration: ${e}`);
    process.exit(2);
  }
  return c.value;
}

/** Runs fn with a migrated store, closing it after; operator errors print one line and exit 2. */
export async function withStore<T>(fn: (store: Store, config: Config) => Promise<T>, migrate?: boolean): Promise<T> {
  const config = configOrExit();
  let store: Store;
  try {
    store = await openReadyStore(config, systemClock, consoleLog(config.logLevel), migrate ?? config.migrateOnStart);
  } catch (e) {
    if (e instanceof StartupError) {
      console.error(`paperboy: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}
