// Composition root and process entry: config -> store -> deps -> web server, and the CLI wired to
// them. The only place dependencies are built; bin/paperboy.js calls run().
import { buildProgram } from './cli/program.ts';
import type { Config } from './config.ts';
import { type Clock, type Deps, type Log, systemClock } from './deps.ts';
import { loadDemo } from './ingest/demo.ts';
import { createFetcher } from './ingest/fetch.ts';
import { arxivClientSettings } from './ingest/harvest.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { randomBytes } from 'node:crypto';
import { createEmbedder } from './embed/create.ts';
import { bundledVocabulary } from './embed/models.ts';
import { createMailer } from './mail/mailer.ts';
import { createMailSender } from './mail/sender.ts';
import { createSearch } from './search/search.ts';
import { createSemantic, type Semantic } from './search/semantic.ts';
import { openReadyStore, type Store } from './store/store.ts';
import { buildApp } from './web/app.ts';

export function consoleLog(level: Config['logLevel']): Log {
  const quiet = level === 'silent' || level === 'fatal' || level === 'error';
  return {
    info: (m) => quiet || level === 'warn' || console.error(`[paperboy] ${m}`),
    warn: (m) => quiet || console.error(`[paperboy] warning: ${m}`),
    error: (m, e) => level !== 'silent' && console.error(`[paperboy] error: ${m}`, e ?? ''),
  };
}

export async function createDeps(config: Config, clock: Clock = systemClock, log: Log = consoleLog(config.logLevel)): Promise<Deps> {
  const { store, applied } = await openReadyStore(config.database, {
    migrate: config.migrateOnStart,
    nowIso: () => clock.now().toISOString(),
  });
  if (applied.length > 0) log.info(`migrated the database to version ${applied.at(-1)}`);
  if (config.demoData && (await store.papers.stats()).papers === 0) {
    const started = Date.now();
    const reports = await loadDemo(store, () => clock.now());
    const added = reports.reduce((n, r) => n + r.added, 0);
    log.info(`loaded the bundled demo corpus: ${added} papers in ${Date.now() - started} ms (DEMO_DATA=false turns this off)`);
  }
  const arxiv = createFetcher(arxivClientSettings(config).policy, { log: (m) => log.warn(m) });
  const semantic = await createSemanticSearch(config, store, log).catch(async (e) => {
    await store.close();
    throw e;
  });
  const hybrid = semantic && { semantic, weight: config.semanticWeight, fusion: config.fusion, similarWeight: config.similarSemanticWeight };
  const mailer = createMailer(config.mail);
  const mail = createMailSender(store, mailer, () => clock.now(), log, {
    claimMs: config.mailClaimSeconds * 1000,
    // A digest address that refuses mail for good counts toward pausing its subscriptions.
    onPermanentFailure: (item) => (item.kind === 'digest' ? store.subscriptions.recordBounce(item.to) : Promise.resolve()),
  });
  // Generated once and kept in the database, so every process of this site signs alike.
  const secret = Buffer.from(config.secretKey ?? (await store.outbox.settingOrInit('secret_key', randomBytes(32).toString('base64url'))));
  // "Did you mean" reads the static model's words; without them, the bundled model's (read on first need).
  const search = createSearch(store.replica, { now: () => clock.now().getTime(), hybrid, spellingWords: bundledVocabulary });
  return { config, store, search, clock, log, arxiv, mailer, mail, secret };
}

/** The configured embedder and its vector index; papers not yet embedded are embedded in the background. */
async function createSemanticSearch(config: Config, store: Store, log: Log): Promise<Semantic | undefined> {
  const embedder = await createEmbedder(config.embedder);
  if (!embedder) return undefined;
  const semantic = createSemantic(store, embedder, {
    annThreshold: config.vectorAnnThreshold,
    indexFile: config.vectorIndexFile,
    refreshMs: 2000,
  });
  // Loading the vectors (or building an HNSW index the first time) runs in the background: the site
  // serves at once, and the first searches by meaning wait for it.
  const started = Date.now();
  void semantic
    .status()
    .then(async (status) => {
      log.info(`semantic search: ${embedder.model}, ${status.vectors} vectors (${status.index} index, ready in ${Date.now() - started} ms)`);
      for (const [model, n] of status.otherModels) {
        log.warn(`reindex needed: ${n} papers have vectors of ${model}, not of the configured ${embedder.model}: re-embedding them in the background (or run \`paperboy embeddings backfill\`)`);
      }
      if (status.pending === 0) return;
      const embedded = await semantic.embedPending();
      log.info(`embedded ${embedded} papers with ${embedder.model} in ${Date.now() - started} ms`);
    })
    .catch((e) => log.error('semantic search could not load or embed papers; `paperboy embeddings backfill` retries', e));
  return semantic;
}

/** A running site: its URL, its dependencies, and how to stop it (server, scheduler, store). */
export type Server = { url: string; deps: Deps; close(): Promise<void> };

/** How long a stopping server waits for requests and jobs under way before it closes the store. */
const SETTLE_MS = 10_000;

export async function startServer(config: Config, log: Log = consoleLog(config.logLevel)): Promise<Server> {
  const deps = await createDeps(config, systemClock, log);
  const app = await buildApp(deps);
  const scheduler = startScheduler(deps);
  deps.mail.wake(); // mail queued before a restart goes out now
  app.addHook('onClose', async () => {
    // The HTTP server has stopped taking requests; let the ones under way and running jobs finish
    // with the store open (a client that left does not stop its handler).
    const [requests, jobs] = await Promise.all([app.requestsSettled(SETTLE_MS), scheduler.stop(SETTLE_MS)]);
    if (!requests) log.warn(`stopping with requests still being handled after ${SETTLE_MS / 1000} s`);
    if (!jobs) log.warn(`stopping with a scheduled job still running after ${SETTLE_MS / 1000} s; it resumes or runs again at its next time`);
    await deps.mail.idle();
    deps.mailer.close();
    await deps.search.semantic?.close();
    await deps.store.close();
  });
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  deps.log.info(`serving ${url} (database ${config.databaseUrl})${scheduler.jobs.length ? `; scheduled: ${scheduler.jobs.join(', ')}` : ''}`);
  deps.log.info(config.mail.smtpUrl ? `mail goes out through ${deps.mailer.description}` : `no SMTP_URL: mail is written to ${config.mail.dir} as .eml files`);
  return { url, deps, close: () => app.close() };
}

export async function run(argv: string[]): Promise<void> {
  await buildProgram({
    serve: startServer,
    deps: (config) => createDeps({ ...config, demoData: false }),
  }).parseAsync(argv);
}
