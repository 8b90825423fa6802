// A paper's page, an author's and an organization's listings, search.
import { parseArxivId } from '../../domain/arxiv-id.ts';
import { isLocalPaperId, nameKey, type Paper } from '../../domain/paper.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../errors.ts';
import { authorPath, orgPath } from '../present/paper.ts';
import type { Html } from '../views/html.ts';
import { listingPage } from '../views/misc-pages.ts';
import { paperPage } from '../views/paper-page.ts';
import { searchPage } from '../views/search-page.ts';
import { PAGE_SIZE } from './feed.ts';

export const SIMILAR_COUNT = 6;
export const SEARCH_PAGE_SIZE = 20;

/** Finds a paper by any spelling of its id: versioned, URL, old or new style, or a local id. */
export async function findPaper(deps: Deps, raw: string): Promise<Paper | undefined> {
  if (isLocalPaperId(raw)) return deps.store.papers.byId(raw);
  const id = parseArxivId(raw);
  return id.ok ? deps.store.papers.byId(id.value.id) : undefined;
}

export async function renderPaper(deps: Deps, raw: string): Promise<Html> {
  const paper = await findPaper(deps, raw);
  if (!paper) throw notFound(`No paper with the id “${raw.slice(0, 80)}” is on this site.`);
  const similar = await deps.search.similar(paper, SIMILAR_COUNT);
  return paperPage(deps.config.siteName, deps.config.publicUrl, paper, similar);
}

export async function renderAuthor(deps: Deps, name: string, page: number): Promise<Html> {
  const listing = await deps.store.papers.byAuthor(name, { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  if (listing.papers.length === 0 && page === 0) throw notFound(`No papers by “${name.slice(0, 80)}” are on this site.`);
  // The name as the newest paper spells it (the URL's spelling may differ in case or accents).
  const display = listing.papers[0]?.authors.find((a) => nameKey(a) === nameKey(name)) ?? name;
  return listingPage({
    siteName: deps.config.siteName,
    kind: 'author',
    name: display,
    feedName: name,
    ...listing,
    page,
    href: (p) => `${authorPath(name)}?p=${p}`,
  });
}

export async function renderOrganization(deps: Deps, name: string, page: number): Promise<Html> {
  const org = await deps.store.organizations.byName(name);
  if (!org) throw notFound(`No organization “${name.slice(0, 80)}” is on this site.`);
  const listing = await deps.store.papers.byOrganization(org.name, { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  return listingPage({
    siteName: deps.config.siteName,
    kind: 'organization',
    name: org.fullname,
    feedName: org.name,
    ...listing,
    page,
    href: (p) => `${orgPath(org.name)}?p=${p}`,
  });
}

export async function renderSearch(deps: Deps, q: string, page: number): Promise<Html> {
  const r = q.trim() ? await deps.search.papers(q, { limit: SEARCH_PAGE_SIZE, offset: page * SEARCH_PAGE_SIZE }) : undefined;
  return searchPage(deps.config.siteName, q, r, page);
}
