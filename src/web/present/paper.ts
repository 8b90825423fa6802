// Domain papers -> what pages show: the author line, the arXiv date and which date it is, the links.
import { arxivAbsUrl, arxivIdMonth, arxivPdfUrl, isArxivId } from '../../domain/arxiv-id.ts';
import { CARD_AUTHOR_NAMES, type Paper } from '../../domain/paper.ts';
import { formatDay, formatMonth } from '../../domain/period.ts';

export type PaperLink = { label: string; href: string; kind: 'arxiv' | 'pdf' | 'code' | 'project' | 'doi' };

export function paperLinks(p: Paper): PaperLink[] {
  const out: PaperLink[] = [];
  if (isArxivId(p.id)) {
    out.push({ label: 'arXiv', href: arxivAbsUrl(p.id), kind: 'arxiv' });
    out.push({ label: 'PDF', href: arxivPdfUrl(p.id), kind: 'pdf' });
  }
  if (p.githubRepo) out.push({ label: 'Code', href: p.githubRepo, kind: 'code' });
  if (p.projectPage) out.push({ label: 'Project page', href: p.projectPage, kind: 'project' });
  if (p.doi) out.push({ label: 'DOI', href: `https://doi.org/${p.doi}`, kind: 'doi' });
  return out;
}

/** Names when few enough to read at a glance, else "N authors" (as the seed page's cards do). */
export function cardAuthors(p: Paper): { names: string[]; summary: string | undefined } {
  if (p.authors.length > 0 && p.authors.length <= CARD_AUTHOR_NAMES && p.authorCount <= CARD_AUTHOR_NAMES) {
    return { names: p.authors, summary: undefined };
  }
  if (p.authorCount === 0) return { names: [], summary: undefined };
  return { names: [], summary: p.authorCount === 1 ? '1 author' : `${p.authorCount} authors` };
}

/** The arXiv date a card shows, and a label saying which one it is. */
export function arxivDate(p: Paper): { day: string; label: string; title: string } | undefined {
  if (p.submittedDate) return { day: p.submittedDate, label: formatDay(p.submittedDate), title: 'Submitted to arXiv (v1)' };
  if (p.announcedDate) return { day: p.announcedDate, label: formatDay(p.announcedDate), title: 'Announced on arXiv' };
  return undefined;
}

/** Submission as the paper page shows it: the v1 day, else the month its arXiv id encodes. */
export function submittedLabel(p: Paper): string | undefined {
  if (p.submittedDate) return formatDay(p.submittedDate);
  const month = arxivIdMonth(p.id);
  return month ? `${formatMonth(month)} (from the arXiv id)` : undefined;
}

export const paperPath = (id: string): string => `/papers/${id.split('/').map(encodeURIComponent).join('/')}`;
export const authorPath = (name: string): string => `/authors/${encodeURIComponent(name)}`;
export const orgPath = (name: string): string => `/orgs/${encodeURIComponent(name)}`;

/** Characters of abstract a card carries; CSS clamps it to three lines, so more would only be bytes. */
export const CARD_ABSTRACT_CHARS = 420;

/**
 * The start of an abstract for a card: cut at a word boundary, never inside inline math (an odd
 * number of unescaped $ before the cut moves it before the last one), with an ellipsis.
 */
export function abstractPreview(text: string, max = CARD_ABSTRACT_CHARS): string {
  if (text.length <= max) return text;
  let cut = text.lastIndexOf(' ', max);
  if (cut < max / 2) cut = max;
  let head = text.slice(0, cut);
  const dollars = [...head.matchAll(/(?<!\\)\$/g)];
  if (dollars.length % 2 === 1) head = head.slice(0, dollars.at(-1)!.index);
  return `${head.trimEnd().replace(/[,;:]$/, '')}…`;
}
