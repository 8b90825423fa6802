// The last step of every arXiv-shaped source: a loosely typed record -> a validated PaperInput, or
// the list of what is wrong with it. Names lose their LaTeX accents, whitespace is collapsed (math
// kept), ids are normalised with their version, categories checked, and a withdrawal noticed. Pure.
import { parseArxivId } from '../domain/arxiv-id.ts';
import { cleanName } from '../domain/latex-text.ts';
import { findGithubRepo, findProjectPage, type PaperInput, type PaperVersion } from '../domain/paper.ts';

export type RecordError = { field: string; message: string };
export type Mapped = { ok: true; paper: PaperInput } | { ok: false; errors: RecordError[] };

export type RawPaper = {
  id: string | undefined;
  version: number | undefined;
  title: string | undefined;
  abstract: string | undefined;
  authors: { name: string; affiliation: string | undefined }[];
  categories: string[];
  primaryCategory: string | undefined;
  comment: string | undefined;
  journalRef: string | undefined;
  doi: string | undefined;
  submittedDate: string | undefined;
  updatedDate: string | undefined;
  versions: PaperVersion[] | undefined;
  announcedDate?: string | undefined;
  featuredDate?: string | undefined;
  upvotes?: number | undefined;
};

/** An arXiv subject class: cs.LG, hep-th, math.GT, q-bio.NC, physics.med-ph, cond-mat.mtrl-sci. */
export const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$/;
/**
 * What else sources put among categories and is dropped, not rejected: ACM and MSC classification
 * codes (I.2.7, 68T50) and free-text keywords. Rejected: empty values, markup, control characters.
 */
const NOT_A_CATEGORY_BUT_HARMLESS = /^[^<>\p{Cc}]{1,1000}$/u;

export function categoryProblem(c: string): string | undefined {
  if (ARXIV_CATEGORY.test(c) || NOT_A_CATEGORY_BUT_HARMLESS.test(c.replace(/\s+/g, ' ').trim())) return undefined;
  return `not an arXiv category: "${c.slice(0, 40)}"`;
}

/** Control characters other than whitespace: no text means them, and search marks its hits with two (domain/highlight.ts). */
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]/g;
export const collapse = (s: string): string => s.replace(CONTROL, '').replace(/\s{2,}|[^\S ]/g, ' ').trim();

/** Joins hard-wrapped lines but keeps paragraph breaks (a newline followed by indentation or a blank line). */
export const cleanAbstract = (s: string): string =>
  s.includes('\n')
    ? s
        .trim()
        .split(/\n\s*\n|\n(?=[ \t])/)
        .map(collapse)
        .filter(Boolean)
        .join('\n')
    : collapse(s);

const WITHDRAWN = /\b(?:paper|article|submission|manuscript) (?:has been|is|was) withdrawn\b|^withdrawn\b/i;

export function normalisePaper(r: RawPaper): Mapped {
  const errors: RecordError[] = [];
  const id = r.id ? parseArxivId(r.id) : undefined;
  if (!r.id) errors.push({ field: 'id', message: 'missing' });
  else if (!id?.ok) errors.push({ field: 'id', message: `not an arXiv id: "${r.id.slice(0, 40)}"` });
  const title = r.title ? collapse(r.title) : '';
  if (!title) errors.push({ field: 'title', message: 'missing' });
  r.categories.forEach((c, i) => {
    const problem = categoryProblem(c);
    if (problem) errors.push({ field: `categories[${i}]`, message: problem });
  });
  const categories = r.categories.filter((c) => ARXIV_CATEGORY.test(c));
  if (r.versions?.some((v) => !Number.isInteger(v.version) || v.version < 1 || !v.date)) {
    errors.push({ field: 'versions', message: 'each version needs a number and a date' });
  }
  const submittedRaw = r.versions?.[0]?.date ?? r.submittedDate;
  if (!r.featuredDate && !r.announcedDate && !submittedRaw) {
    errors.push({ field: 'date', message: 'no date: a featured, announced or submission day is needed' });
  }
  if (errors.length > 0 || !id?.ok) return { ok: false, errors };

  const abstract = cleanAbstract(r.abstract ?? '');
  const comment = r.comment ? collapse(r.comment) : undefined;
  const linkText = `${abstract}\n${comment ?? ''}`;
  const authors = r.authors.map((a) => ({ name: cleanName(a.name), affiliation: a.affiliation && collapse(a.affiliation) })).filter((a) => a.name);
  const versions = r.versions ?? [];
  const submitted = versions[0]?.date ?? r.submittedDate;
  return {
    ok: true,
    paper: {
      id: id.value.id,
      title,
      abstract,
      authors: authors.map((a) => a.name),
      affiliations: authors.map((a) => a.affiliation ?? ''),
      authorCount: authors.length,
      categories,
      primaryCategory: r.primaryCategory && ARXIV_CATEGORY.test(r.primaryCategory) ? r.primaryCategory : categories[0],
      comment,
      journalRef: r.journalRef ? collapse(r.journalRef) : undefined,
      doi: r.doi?.trim() || undefined,
      submittedDate: submitted,
      updatedDate: versions.at(-1)?.date ?? r.updatedDate,
      version: versions.at(-1)?.version ?? r.version ?? id.value.version,
      versions,
      announcedDate: r.announcedDate,
      // A paper enters the feed on the day arXiv announced it; sources without that day use v1's.
      featuredDate: (r.featuredDate ?? r.announcedDate ?? submitted)!,
      upvotes: r.upvotes,
      githubRepo: findGithubRepo(linkText),
      projectPage: findProjectPage(linkText),
      organization: undefined,
      withdrawn: comment !== undefined && WITHDRAWN.test(comment),
    },
  };
}
