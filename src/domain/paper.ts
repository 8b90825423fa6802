// A paper as the rest of the system sees it, and the pure rules about one: its id when it has no
// arXiv id, the code and project links found in its text, how its authors are shown and looked up.
// Pure: no I/O.
import type { Day } from './period.ts';

export type Organization = { name: string; fullname: string };
export type PaperVersion = { version: number; date: Day };

/** The three dates: submitted = arXiv v1, announced = first arXiv listing, featured = entered this feed. */
export type Paper = {
  /** Bare arXiv id (no version), or a local id `pb-…` for a paper known without one. */
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** Each author's affiliation as the source gives it, '' when unknown (same order as authors). */
  affiliations: string[];
  /** At least authors.length; larger when a source gives only a count (the seed page's "7 authors"). */
  authorCount: number;
  categories: string[];
  primaryCategory: string | undefined;
  comment: string | undefined;
  journalRef: string | undefined;
  doi: string | undefined;
  submittedDate: Day | undefined;
  updatedDate: Day | undefined;
  version: number | undefined;
  /** Every version with its date, oldest first, when the source lists them (arXivRaw, the snapshot). */
  versions: PaperVersion[];
  announcedDate: Day | undefined;
  featuredDate: Day;
  upvotes: number;
  githubRepo: string | undefined;
  projectPage: string | undefined;
  organization: Organization | undefined;
  /** The authors withdrew it (arXiv keeps a withdrawal notice as the latest version). */
  withdrawn: boolean;
  /** arXiv's OAI-PMH feed reported the record deleted. */
  deleted: boolean;
  /** A moderator hid it: in no listing, and its page says so. */
  hidden: boolean;
  /** Handle of the community member who submitted it, if one did. */
  submittedBy: string | undefined;
  /** Comments in its discussion (not counting deleted or hidden ones). */
  comments: number;
};

/** Restrictions of a search (the query language's author:, cat:, org:, year:/since:/until:). */
export type PaperFilters = {
  /** Every author must be on the paper. */
  authors: string[];
  /** Any of the categories. */
  categories: string[];
  /** Any of the organizations. */
  orgs: string[];
  /** None of these categories (-cat:) and none of these organizations (-org:). */
  excludedCategories: string[];
  excludedOrgs: string[];
  /** Featured on or after / on or before, YYYY-MM-DD. */
  since: Day | undefined;
  until: Day | undefined;
};

/** What ingest hands to the store: a paper before the store has counted its votes or heard of deletion. */
export type PaperInput = Omit<Paper, 'upvotes' | 'deleted' | 'hidden' | 'submittedBy' | 'comments'> & { upvotes: number | undefined };

/** 53-bit string hash (cyrb53): stable across runs and platforms, for ids and deterministic demo data. */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export const titleKey = (title: string): string =>
  title.normalize('NFKD').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The id of a paper that has no arXiv id, derived from its title so re-ingesting finds it again. */
export const localPaperId = (title: string): string => `pb-${hash53(titleKey(title)).toString(36)}`;
export const isLocalPaperId = (id: string): boolean => /^pb-[0-9a-z]{1,12}$/.test(id);

/** Author lookup key: case, accents and spacing folded, so "José  García" finds "Jose Garcia". */
export const nameKey = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The authors of `b` who also wrote `a` (any case or accents), as `b` spells them, in its order. */
export function sharedAuthors(a: Pick<Paper, 'authors'>, b: Pick<Paper, 'authors'>): string[] {
  const keys = new Set(a.authors.map(nameKey));
  return b.authors.filter((n) => keys.has(nameKey(n)));
}

/** Up to this many authors a card lists names; above it, it says "N authors" like the seed page. */
export const CARD_AUTHOR_NAMES = 4;

const URL_RE = /https?:\/\/[^\s<>"'{}|\\^`\]]+/gi;
const trimUrl = (u: string): string => u.replace(/[.,;:)\]}>'"]+$/, '');

/** The first GitHub repository URL in the text, as https://github.com/owner/repo. */
export function findGithubRepo(text: string): string | undefined {
  const m = /github\.com\/([A-Za-z0-9][\w.-]*)\/([\w.-]+)/i.exec(text);
  if (!m) return undefined;
  const repo = m[2]!.replace(/\.git$/i, '').replace(/[.]+$/, '');
  if (!repo) return undefined;
  return `https://github.com/${m[1]}/${repo}`;
}

/** A project page: a github.io site, or a URL introduced as a project/home page or website. */
export function findProjectPage(text: string): string | undefined {
  const urls = [...text.matchAll(URL_RE)].map((m) => ({ url: trimUrl(m[0]), at: m.index ?? 0 }));
  const io = urls.find((u) => /^https?:\/\/[\w-]+\.github\.io(\/|$)/i.test(u.url));
  if (io) return io.url;
  const named = urls.find((u) => {
    const before = text.slice(Math.max(0, u.at - 40), u.at).toLowerCase();
    return /(project|home)\s*page|website|webpage|demo/.test(before) && !/github\.com|arxiv\.org/i.test(u.url);
  });
  return named?.url;
}
