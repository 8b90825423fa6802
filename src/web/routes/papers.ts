// A paper's page, an author's and an organization's listings, search.
import { parseArxivId } from '../../domain/arxiv-id.ts';
import { canDelete, canEdit, thread } from '../../domain/comment.ts';
import { isLocalPaperId, nameKey, type Paper } from '../../domain/paper.ts';
import { asName, type ParsedQuery, parseQuery } from '../../search/query.ts';
import { isAdmin } from '../../domain/user.ts';
import type { Deps } from '../../deps.ts';
import { notFound, Problem } from '../errors.ts';
import { authorPath, orgPath } from '../present/paper.ts';
import type { Html } from '../views/html.ts';
import { listingPage, orgDirectoryPage } from '../views/misc-pages.ts';
import { paperPage } from '../views/paper-page.ts';
import { type NamedInQuery, searchPage, suggestionOptions } from '../views/search-page.ts';
import { viewerOf, type Who } from '../viewer.ts';
import { orgPanel } from '../views/account-pages.ts';
import { latestDay, PAGE_SIZE } from './feed.ts';
import type { ListingOrder } from '../../store/papers.ts';
import type { Repos } from '../../store/store.ts';

export const SIMILAR_COUNT = 6;
export const SEARCH_PAGE_SIZE = 20;
/** Papers offered as the reader types (and a "did you mean" above them). */
export const SUGGESTIONS = 6;

/** The stored id for any spelling of a paper's id (versioned, URL, old or new style, local), or undefined. */
export function paperIdOf(raw: string): string | undefined {
  if (isLocalPaperId(raw)) return raw;
  const id = parseArxivId(raw);
  return id.ok ? id.value.id : undefined;
}

/** Finds a paper by any spelling of its id (on the primary unless told where to read). */
export async function findPaper(deps: Deps, raw: string, reads: Repos = deps.store): Promise<Paper | undefined> {
  const id = paperIdOf(raw);
  return id === undefined ? undefined : reads.papers.byId(id);
}

export async function renderPaper(deps: Deps, raw: string, w: Who): Promise<Html> {
  const paper = await findPaper(deps, raw, w.reads);
  if (!paper) throw notFound(`No paper with the id “${raw.slice(0, 80)}” is on this site.`);
  if (paper.hidden && !isAdmin(w.user)) throw new Problem('gone', 'This paper was hidden by a moderator.');
  const [similar, comments] = await Promise.all([deps.search.similar(paper, SIMILAR_COUNT), w.reads.comments.forPaper(paper.id)]);
  const viewer = await viewerOf(deps, w, [paper.id, ...similar.map((p) => p.id)]);
  const u = w.user;
  const nowMs = deps.clock.now().getTime();
  const mayTag = u && (isAdmin(u) || (paper.submittedBy !== undefined && paper.submittedBy === u.handle));
  const claim = u ? (await deps.store.moderation.claimsOf(u.id)).find((c) => c.kind === 'author' && c.target === paper.id)?.status : undefined;
  return paperPage({
    siteName: deps.config.siteName,
    publicUrl: deps.config.publicUrl,
    paper,
    similar,
    viewer,
    discussion: {
      paperId: paper.id,
      threads: thread(comments),
      count: comments.filter((c) => !c.deleted && !c.hidden).length,
      viewer,
      can: (c) => ({ edit: canEdit(c, u, nowMs, deps.config.commentEditMinutes), delete: canDelete(c, u) }),
      here: `/papers/${paper.id}`,
    },
    taggable: mayTag ? await deps.store.organizations.ofUser(u.id).then(async (mine) => (isAdmin(u) ? mergeOrg(mine, paper) : mine)) : undefined,
    claim,
  });
}

/** An admin may keep (or clear) the paper's current organization even if not a member of it. */
const mergeOrg = (orgs: { name: string; fullname: string }[], p: Paper) =>
  p.organization && !orgs.some((o) => o.name === p.organization!.name) ? [p.organization, ...orgs] : orgs;

/**
 * An author's name as their newest paper here spells it (a URL's or a query's spelling may differ in
 * case or accents); `newest`: that paper, when the caller has it.
 */
async function authorSpelling(reads: Repos, name: string, newest?: Paper): Promise<string> {
  const paper = newest ?? (await reads.papers.byAuthor(name, { limit: 1, offset: 0 })).papers[0];
  return paper?.authors.find((a) => nameKey(a) === nameKey(name)) ?? name;
}

/** Which page of an author's or organization's papers, in which order. */
type ListingAsked = { p: number; sort: ListingOrder };
const listingHref = (base: string) => (sort: ListingOrder, p: number) => {
  const query = [sort === 'newest' ? '' : `sort=${sort}`, p > 0 ? `p=${p}` : ''].filter(Boolean).join('&');
  return query ? `${base}?${query}` : base;
};

export async function renderAuthor(deps: Deps, name: string, asked: ListingAsked, w: Who): Promise<Html> {
  const { p: page, sort } = asked;
  const [listing, total] = await Promise.all([w.reads.papers.byAuthor(name, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }, sort), w.reads.papers.countByAuthor(name)]);
  if (listing.papers.length === 0 && page === 0) throw notFound(`No papers by “${name.slice(0, 80)}” are on this site.`);
  return listingPage({
    siteName: deps.config.siteName,
    kind: 'author',
    name: await authorSpelling(w.reads, name, sort === 'newest' && page === 0 ? listing.papers[0] : undefined),
    feedName: name,
    ...listing,
    total,
    sort,
    viewer: await viewerOf(deps, w, listing.papers.map((p) => p.id)),
    page,
    href: listingHref(authorPath(name)),
  });
}

export async function renderOrganization(deps: Deps, name: string, asked: ListingAsked, w: Who): Promise<Html> {
  const { p: page, sort } = asked;
  const org = await w.reads.organizations.byName(name);
  if (!org) throw notFound(`No organization “${name.slice(0, 80)}” is on this site.`);
  const [listing, total] = await Promise.all([
    w.reads.papers.byOrganization(org.name, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }, sort),
    w.reads.papers.countByOrganization(org.name),
  ]);
  const viewer = await viewerOf(deps, w, listing.papers.map((p) => p.id));
  return listingPage({
    siteName: deps.config.siteName,
    kind: 'organization',
    name: org.fullname,
    feedName: org.name,
    ...listing,
    total,
    sort,
    viewer,
    extra: orgPanel({
      org,
      members: await w.reads.organizations.members(org.name),
      hasOwner: await w.reads.organizations.hasOwner(org.name),
      viewer,
      viewerRole: w.user ? await deps.store.organizations.roleOf(org.name, w.user.id) : undefined,
    }),
    page,
    href: listingHref(orgPath(org.name)),
  });
}

export async function renderOrgDirectory(deps: Deps, w: Who): Promise<Html> {
  return orgDirectoryPage(deps.config.siteName, await w.reads.organizations.directory(), await viewerOf(deps, w, []));
}

export async function renderSearch(deps: Deps, q: string, page: number, w: Who): Promise<Html> {
  const r = q.trim() ? await deps.search.papers(q, { limit: SEARCH_PAGE_SIZE, offset: page * SEARCH_PAGE_SIZE }, { correct: true }) : undefined;
  const [viewer, named, newestDay] = await Promise.all([
    viewerOf(deps, w, r?.hits.map((h) => h.paper.id) ?? []),
    page === 0 ? namedIn(w.reads, r?.query) : {},
    // The spans of days count back from it; a search with nothing to show and no dates offers none.
    r && (r.hits.length > 0 || r.query.filters.since || r.query.filters.until) ? latestDay(deps) : undefined,
  ]);
  return searchPage({ siteName: deps.config.siteName, typed: q, result: r, page, viewer, named, newestDay });
}

/**
 * The author or organization a query names ("Kaiming He", "google": its whole text, folded as names
 * are), for a link to their page beside the papers. Two index lookups.
 */
async function namedIn(reads: Repos, query: ParsedQuery | undefined): Promise<NamedInQuery> {
  const key = query && asName(query);
  if (!key) return {};
  const [papers, org] = await Promise.all([reads.papers.countByAuthor(key), key.includes(' ') ? undefined : reads.organizations.byName(key)]);
  const named: NamedInQuery = {};
  if (papers > 0) named.author = { name: await authorSpelling(reads, key), papers };
  if (org) named.org = org;
  return named;
}

/**
 * The search box's options as the reader types (none under two characters): the papers for the text
 * with the word being typed completed ("diffu" searches "diffusion"), that completion first.
 */
export async function renderSuggestions(deps: Deps, q: string): Promise<Html> {
  if (q.trim().length < 2) return suggestionOptions(undefined, undefined);
  const completed = await deps.search.complete(q); // none after a space: the word was ended
  const r = await deps.search.papers(completed ?? q, { limit: SUGGESTIONS, offset: 0 }, { correct: true });
  // The author or organization the text as typed names, not its completion.
  return suggestionOptions(r, completed?.trim(), await namedIn(deps.store.replica, parseQuery(q)));
}
