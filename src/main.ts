// Composition root: config -> store -> deps -> web server. The only place dependencies are built.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { type Clock, type Deps, type Log, systemClock } from './deps.ts';
import { loadDemo } from './ingest/demo.ts';
import { createSearch } from './search/search.ts';
import { schemaProblem } from './store/migrate.ts';
import { openStore, type Store } from './store/store.ts';
import { buildApp } from './web/app.ts';

export function consoleLog(level: Config['logLevel']): Log {
  const quiet = level === 'silent' || level === 'fatal' || level === 'error';
  return {
    info: (m) => quiet || level === 'warn' || console.error(`[paperboy] ${m}`),
    warn: (m) => quiet || console.error(`[paperboy] warning: ${m}`),
    error: (m, e) => level !== 'silent' && console.error(`[paperboy] error: ${m}`, e ?? ''),
  };
}

export class StartupError extends Error {}

/**
 * Opens the store and makes sure its schema is usable: migrates when allowed, otherwise refuses with
 * a message saying what to do.
 */
export async function openReadyStore(config: Config, clock: Clock, log: Log, migrateAllowed: boolean): Promise<Store> {
  const store = openStore(config.database);
  try {
    const status = await store.schemaStatus();
    const problem = schemaProblem(status);
    if (problem) {
      if (!migrateAllowed || (status.state !== 'empty' && status.state !== 'behind')) throw new StartupError(problem);
      const applied = await store.migrate(() => clock.now().toISOString());
      log.info(`migrated the database to version ${applied.at(-1)} (${applied.length} migration${applied.length === 1 ? '' : 's'})`);
    }
    return store;
  } catch (e) {
    await store.close();
    throw e;
  }
}

export async function createDeps(config: Config, clock: Clock = systemClock, log: Log = consoleLog(config.logLevel)): Promise<Deps> {
  const store = await openReadyStore(config, clock, log, config.migrateOnStart);
  if (config.demoData && (await store.papers.stats()).papers === 0) {
    const started = Date.now();
    const reports = await loadDemo(store, () => clock.now());
    const added = reports.reduce((n, r) => n + r.added, 0);
    log.info(`loaded the bundled demo corpus: ${added} papers in ${Date.now() - started} ms (DEMO_DATA=false turns this off)`);
  }
  return { config, store, search: createSearch(store), clock, log };
}

export async function startServer(config: Config): Promise<{ app: FastifyInstance; deps: Deps; url: string }> {
  const deps = await createDeps(config);
  const app = await buildApp(deps);
  app.addHook('onClose', async () => deps.store.close());
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return { app, deps, url };
}
