// Harvesting arXiv: page by page from the OAI-PMH interface (metadataPrefix arXivRaw, so every version
// and its date) or the search API, each page written together with its checkpoint in one
// transaction, so a crash or Ctrl-C resumes exactly after the last written page. A page that does
// not parse (a truncated body) is fetched again; invalid records inside a good page are skipped
// and reported, as with `ingest --skip-invalid`.
import { Readable } from 'node:stream';
import type { PaperInput } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import type { HarvestRun } from '../store/harvests.ts';
import { type Fetcher, FetchError } from './fetch.ts';
import { compactAfterBulkLoad, ingest, type IngestReport } from './ingest.ts';
import { type ParsedChunk, parseStream } from './parse.ts';

export type HarvestSource = 'arxiv-oai' | 'arxiv-api';
export type HarvestParams = {
  source: HarvestSource;
  from: string;
  until: string | undefined;
  /** OAI-PMH set (an arXiv archive: cs, math, physics:cond-mat ...). */
  set: string | undefined;
  /** Keep only papers in these categories (the API queries exactly these). */
  categories: string[];
};
export type HarvestEndpoints = { oaiUrl: string; apiUrl: string; apiPageSize: number };
export type HarvestResult = {
  key: string;
  resumed: boolean;
  alreadyDone: boolean;
  pages: number;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deleted: number;
};

export const harvestKey = (p: HarvestParams): string =>
  [p.source, p.from, p.until ?? '', p.set ?? '', [...p.categories].sort().join(',')].join('|');

type Page = { chunks: ParsedChunk[]; next: string | undefined; entries: number };

/** Parses a whole page before anything is written: a body that breaks off is retried, not half-used. */
async function parsePage(body: string, format: 'oai' | 'atom'): Promise<{ ok: true; value: Page } | { ok: false; reason: string }> {
  const chunks: ParsedChunk[] = [];
  for await (const c of parseStream(Readable.from([body]), format, Number.POSITIVE_INFINITY)) chunks.push(c);
  const broken = chunks.flatMap((c) => c.problems).find((p) => p.field === '(syntax)');
  if (broken) {
    if (/OAI-PMH error (?!badResumptionToken)/.test(broken.message)) throw new FetchError(broken.message);
    return { ok: false, reason: `unusable response (line ${broken.line}: ${broken.message})` };
  }
  const apiError = chunks.flatMap((c) => c.problems).find((p) => p.message.startsWith('arXiv API error'));
  if (apiError) throw new FetchError(apiError.message);
  const next = chunks.map((c) => c.resumptionToken).find(Boolean);
  return { ok: true, value: { chunks, next, entries: chunks.reduce((n, c) => n + c.read, 0) } };
}

const ymd = (d: string) => d.replaceAll('-', '');

function pageUrl(p: HarvestParams, ep: HarvestEndpoints, cursor: string | undefined): string {
  if (p.source === 'arxiv-oai') {
    const q = new URLSearchParams(
      cursor
        ? { verb: 'ListRecords', resumptionToken: cursor }
        : { verb: 'ListRecords', metadataPrefix: 'arXivRaw', from: p.from, ...(p.until ? { until: p.until } : {}), ...(p.set ? { set: p.set } : {}) },
    );
    return `${ep.oaiUrl}?${q}`;
  }
  const cats = p.categories.length ? p.categories : [`${p.set ?? 'cs'}.*`];
  const window = `submittedDate:[${ymd(p.from)}0000 TO ${ymd(p.until ?? p.from)}2359]`;
  const q = new URLSearchParams({
    search_query: `(${cats.map((c) => `cat:${c}`).join(' OR ')}) AND ${window}`,
    start: cursor ?? '0',
    max_results: String(ep.apiPageSize),
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
  });
  return `${ep.apiUrl}?${q}`;
}

function keepCategories(chunk: ParsedChunk, categories: string[]): ParsedChunk {
  if (categories.length === 0) return chunk;
  return { ...chunk, papers: chunk.papers.filter((p) => p.categories.some((c) => categories.includes(c))) };
}

export async function harvest(
  store: Store,
  fetcher: Fetcher,
  ep: HarvestEndpoints,
  p: HarvestParams,
  opts: { now: () => Date; force?: boolean; onPage?: (r: IngestReport, run: HarvestRun) => void },
): Promise<HarvestResult> {
  const key = harvestKey(p);
  const previous = await store.harvests.get(key);
  const result: HarvestResult = {
    key, resumed: false, alreadyDone: false, pages: 0, records: 0, added: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0,
  };
  if (previous?.status === 'done' && !opts.force) return { ...result, alreadyDone: true };
  const nowIso = () => opts.now().toISOString();
  let run: HarvestRun =
    previous && previous.status !== 'done'
      ? { ...previous, status: 'running', error: undefined }
      : { key, source: p.source, params: p, cursor: undefined, status: 'running', pages: 0, records: 0, error: undefined, startedAt: nowIso(), updatedAt: nowIso() };
  result.resumed = run.cursor !== undefined;
  await store.harvests.save(run);

  const format = p.source === 'arxiv-oai' ? 'oai' : 'atom';
  try {
    for (;;) {
      let page: Page;
      try {
        page = await fetcher.get(pageUrl(p, ep, run.cursor), (body) => parsePage(body, format));
      } catch (e) {
        // An expired resumptionToken: start the window again (ingest is idempotent).
        if (run.cursor && /badResumptionToken/.test((e as Error).message)) {
          run = { ...run, cursor: undefined };
          continue;
        }
        throw e;
      }
      const next =
        p.source === 'arxiv-oai'
          ? page.next
          : page.entries >= ep.apiPageSize ? String(Number(run.cursor ?? 0) + page.entries) : undefined;
      let written: HarvestRun = run;
      const report = await ingest(store, pageUrl(p, ep, run.cursor), page.chunks.map((c) => keepCategories(c, p.categories)), {
        now: opts.now,
        skipInvalid: true,
        afterWrite: async (tx, r) => {
          const status = next ? 'running' : 'done';
          written = { ...run, cursor: next, status, pages: run.pages + 1, records: run.records + r.read, updatedAt: nowIso() };
          await tx.harvests.save(written);
        },
      });
      run = written; // only now: the page and its checkpoint are committed together
      result.pages++;
      result.records += report.read;
      result.added += report.added;
      result.updated += report.updated;
      result.unchanged += report.unchanged;
      result.rejected += report.rejected;
      result.deleted += report.deleted;
      opts.onPage?.(report, run);
      if (!next) break;
    }
  } catch (e) {
    await store.harvests.save({ ...run, status: 'failed', error: (e as Error).message, updatedAt: nowIso() });
    throw e;
  }
  // Outside the try: the harvest is done and saved as done whatever the compaction does.
  await compactAfterBulkLoad(store, result.added); // years of arXiv at once, or a first harvest
  return result;
}

/** Politeness and endpoints from the configuration. */
export function arxivClientSettings(c: { arxivOaiUrl: string; arxivApiUrl: string; arxivDelayMs: number }) {
  return {
    endpoints: { oaiUrl: c.arxivOaiUrl, apiUrl: c.arxivApiUrl, apiPageSize: 100 } satisfies HarvestEndpoints,
    policy: {
      minIntervalMs: c.arxivDelayMs,
      retries: 5,
      backoffMs: Math.max(250, c.arxivDelayMs),
      maxBackoffMs: 120_000,
      maxRetryAfterMs: 600_000,
      timeoutMs: 120_000,
      userAgent: 'paperboy (self-hosted research-paper feed)',
    },
  };
}

/**
 * One paper from the arXiv API by id (`id_list`), for community submissions; undefined when arXiv
 * has no such paper. Goes through the same polite fetcher as harvests.
 */
export async function fetchArxivPaper(fetcher: Fetcher, apiUrl: string, id: string): Promise<PaperInput | undefined> {
  const url = `${apiUrl}?${new URLSearchParams({ id_list: id, max_results: '1' })}`;
  const page = await fetcher.get(url, (body) => parsePage(body, 'atom'));
  return page.chunks.flatMap((c) => c.papers).find((p) => p.id === id);
}
