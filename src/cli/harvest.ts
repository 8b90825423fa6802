// paperboy harvest: fetch papers from arXiv (OAI-PMH or the search API) into the store, resumable.
import { parseDay } from '../domain/period.ts';
import { FetchError } from '../ingest/fetch.ts';
import { arxivClientSettings, harvest, type HarvestResult, type HarvestSource } from '../ingest/harvest.ts';
import { harvestDaily } from '../jobs/harvest-daily.ts';
import { configOrExit, exitOnSchemaError, type Runtime } from './context.ts';

export type HarvestFlags = { source: string; from?: string; until?: string; set?: string; categories?: string; force?: boolean; daily?: boolean };

function usage(message: string): never {
  console.error(`paperboy harvest: ${message}`);
  process.exit(2);
}

const summary = (r: HarvestResult) =>
  `${r.pages} pages, ${r.records} records: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected, ${r.deleted} deleted`;

export async function harvestCommand(runtime: Runtime, o: HarvestFlags): Promise<void> {
  const config = configOrExit();
  if (!o.daily) {
    if (o.source !== 'arxiv-oai' && o.source !== 'arxiv-api') usage(`--source must be arxiv-oai or arxiv-api, got "${o.source}"`);
    if (!o.from || !parseDay(o.from).ok) usage('--from must be a date YYYY-MM-DD');
    if (o.until !== undefined && (!parseDay(o.until).ok || o.until < o.from)) usage('--until must be a date YYYY-MM-DD not before --from');
  }
  const categories = (o.categories ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  const deps = await runtime.deps(config).catch(exitOnSchemaError);
  try {
    if (o.daily) {
      const r = await harvestDaily(deps);
      console.log(r ? `daily harvest: ${summary(r)}` : 'daily harvest: HARVEST_CATEGORIES is empty, nothing to do');
      return;
    }
    const params = { source: o.source as HarvestSource, from: o.from!, until: o.until, set: o.set, categories };
    const r = await harvest(deps.store, deps.arxiv, arxivClientSettings(config).endpoints, params, {
      now: () => deps.clock.now(),
      force: o.force,
      onPage: (page, run) => {
        if (process.stderr.isTTY) process.stderr.write(`\rpage ${run.pages}: ${run.records} records so far${run.status === 'done' ? '\n' : ''}`);
        else console.error(`page ${run.pages}: ${page.read} records (${page.added} added, ${page.updated} updated)`);
      },
    });
    if (r.alreadyDone) console.log('this harvest already finished; --force runs it again');
    else console.log(`${r.resumed ? 'resumed harvest' : 'harvest'}: ${summary(r)}`);
  } catch (e) {
    if (e instanceof FetchError) {
      console.error(`paperboy harvest: ${e.message}\nThe checkpoint is saved: run the same command again to resume.`);
      process.exitCode = 1;
      return;
    }
    throw e;
  } finally {
    await deps.search.semantic?.embedPending();
    await deps.search.semantic?.close();
    await deps.store.close();
  }
}
