// The daily harvest: fetches what arXiv announced since the last finished daily harvest (or the last
// two days on a first run) for the configured categories. A plain function: the scheduler and
// `paperboy harvest --daily` both call it.
import type { Deps } from '../deps.ts';
import { addDays, dayInZone } from '../domain/period.ts';
import { arxivClientSettings, harvest, type HarvestResult } from '../ingest/harvest.ts';

export async function harvestDaily(deps: Deps): Promise<HarvestResult | undefined> {
  const { config, store, clock } = deps;
  if (config.harvestCategories.length === 0) return undefined;
  const today = dayInZone(clock.now(), config.timeZone);
  const last = await store.harvests.lastDone(config.harvestSource);
  const lastUntil = typeof last?.params.until === 'string' ? last.params.until : undefined;
  const from = lastUntil && lastUntil < today ? lastUntil : addDays(today, -2);
  const { endpoints } = arxivClientSettings(config);
  const result = await harvest(store, deps.arxiv, endpoints, {
    source: config.harvestSource,
    from,
    until: today,
    set: config.harvestSource === 'arxiv-oai' ? archivesOf(config.harvestCategories) : undefined,
    categories: config.harvestCategories,
  }, { now: () => clock.now(), force: true }); // a rerun the same day fetches what arrived since
  await deps.search.semantic?.embedPending(); // new papers become searchable by meaning
  return result;
}

/** The OAI-PMH set covering the categories when they share one archive (cs.LG, cs.CL -> cs). */
function archivesOf(categories: string[]): string | undefined {
  const archives = new Set(categories.map((c) => c.split('.')[0]!));
  return archives.size === 1 ? [...archives][0] : undefined;
}
