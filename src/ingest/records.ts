// Source records -> PaperInput: one zod schema per accepted shape and a mapping for each.
// Pure: validates and maps single records; reading files is read.ts's job.
//   paperboy JSONL (the arxiv-sample shape, plus optional feed fields)
//   Hugging Face daily_papers items ({ paper: {...}, publishedAt }) and bare HF paper objects
import { z } from 'zod';
import { parseArxivId } from '../domain/arxiv-id.ts';
import { findGithubRepo, findProjectPage, localPaperId, type PaperInput } from '../domain/paper.ts';
import { parseDay } from '../domain/period.ts';

const day = z.string().refine((s) => parseDay(s).ok, 'expected a calendar date YYYY-MM-DD');
/** An ISO date or date-time; only its calendar day (UTC) is kept. */
const instantDay = z
  .string()
  .transform((s, ctx) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : Number.isNaN(Date.parse(s)) ? '' : new Date(s).toISOString().slice(0, 10);
    if (!parseDay(d).ok) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO date or date-time' });
      return z.NEVER;
    }
    return d;
  });
const text = z.string().trim().min(1, 'must not be empty');
const url = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });
const arxivId = z.string().transform((s, ctx) => {
  const r = parseArxivId(s);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: `not an arXiv id: "${s.slice(0, 40)}"` });
    return z.NEVER;
  }
  return r.value;
});
const organization = z.object({ name: text.max(100), fullname: text.max(200) });
const optionalText = z.string().nullish().transform((s) => (s?.trim() ? s.trim() : undefined));

export const paperboyRecord = z.object({
  id: arxivId,
  title: text,
  abstract: z.string(),
  authors: z.array(text),
  categories: z.array(text).default([]),
  primary_category: optionalText,
  comment: optionalText,
  journal_ref: optionalText,
  doi: optionalText,
  /** First arXiv listing (announcement) day. */
  date: day,
  featured_date: day.optional(),
  submitted_date: day.optional(),
  updated_date: day.optional(),
  version: z.number().int().positive().optional(),
  upvotes: z.number().int().nonnegative().optional(),
  author_count: z.number().int().nonnegative().optional(),
  github_repo: url.optional(),
  project_page: url.optional(),
  organization: organization.optional(),
});

const hfPaper = z.object({
  id: arxivId.optional(),
  title: text,
  summary: z.string(),
  authors: z.array(z.object({ name: text })).default([]),
  numAuthors: z.number().int().nonnegative().optional(),
  publishedAt: instantDay.optional(),
  submittedOnDailyAt: instantDay.optional(),
  upvotes: z.number().int().nonnegative().optional(),
  githubRepo: url.nullish(),
  projectPage: url.nullish(),
  organization: organization.nullish(),
});

export const hfDailyItem = z.object({ paper: hfPaper, publishedAt: instantDay.optional() });

// Replaces only runs of 2+ whitespace and non-space whitespace: same result as /\s+/g -> ' ', but
// leaves single spaces alone, which is most of an abstract (3x faster at ingest).
const collapse = (s: string): string => s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
/** Joins hard-wrapped lines but keeps paragraph breaks (a newline followed by indentation or a blank line). */
const cleanAbstract = (s: string): string =>
  s.includes('\n')
    ? s
        .trim()
        .split(/\n\s*\n|\n(?=[ \t])/)
        .map(collapse)
        .filter(Boolean)
        .join('\n')
    : collapse(s);

function links(abstract: string, comment: string | undefined) {
  const t = `${abstract}\n${comment ?? ''}`;
  return { githubRepo: findGithubRepo(t), projectPage: findProjectPage(t) };
}

export function fromPaperboy(r: z.infer<typeof paperboyRecord>): PaperInput {
  const abstract = cleanAbstract(r.abstract);
  const found = links(abstract, r.comment);
  return {
    id: r.id.id,
    title: collapse(r.title),
    abstract,
    authors: r.authors.map(collapse),
    authorCount: Math.max(r.author_count ?? 0, r.authors.length),
    categories: r.categories,
    primaryCategory: r.primary_category ?? r.categories[0],
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    submittedDate: r.submitted_date,
    updatedDate: r.updated_date,
    version: r.version ?? r.id.version,
    announcedDate: r.date,
    featuredDate: r.featured_date ?? r.date,
    upvotes: r.upvotes,
    githubRepo: r.github_repo ?? found.githubRepo,
    projectPage: r.project_page ?? found.projectPage,
    organization: r.organization,
  };
}

export type HfPaper = z.infer<typeof hfPaper>;

/** An HF paper; `featured` is the daily item's publishedAt (the day it was featured), when wrapped in one. */
export function fromHf(p: HfPaper, featured: string | undefined): PaperInput | string {
  const featuredDate = featured ?? p.submittedOnDailyAt ?? p.publishedAt;
  if (!featuredDate) return 'publishedAt: a featured day is needed (the item\'s or the paper\'s publishedAt)';
  const abstract = cleanAbstract(p.summary);
  const found = links(abstract, undefined);
  const authors = p.authors.map((a) => collapse(a.name));
  return {
    id: p.id?.id ?? localPaperId(p.title),
    title: collapse(p.title),
    abstract,
    authors,
    authorCount: Math.max(p.numAuthors ?? 0, authors.length),
    categories: [],
    primaryCategory: undefined,
    comment: undefined,
    journalRef: undefined,
    doi: undefined,
    submittedDate: p.publishedAt,
    updatedDate: undefined,
    version: p.id?.version,
    announcedDate: undefined,
    featuredDate,
    upvotes: p.upvotes,
    githubRepo: p.githubRepo ?? found.githubRepo,
    projectPage: p.projectPage ?? found.projectPage,
    organization: p.organization ?? undefined,
  };
}

export type RecordError = { field: string; message: string };

const fieldOf = (path: PropertyKey[]): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') ||
  '(record)';

/** Validates one decoded JSON value of any accepted shape and maps it to a PaperInput. */
export function toPaperInput(value: unknown): { ok: true; paper: PaperInput } | { ok: false; errors: RecordError[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ field: '(record)', message: 'expected a JSON object' }] };
  }
  const fail = (e: z.ZodError) => ({
    ok: false as const,
    errors: e.issues.map((i) => ({ field: fieldOf(i.path), message: i.message })),
  });
  const done = (p: PaperInput | string) =>
    typeof p === 'string'
      ? { ok: false as const, errors: [{ field: p.split(':')[0]!, message: p.slice(p.indexOf(':') + 2) }] }
      : { ok: true as const, paper: p };
  if ('paper' in value) {
    const r = hfDailyItem.safeParse(value);
    return r.success ? done(fromHf(r.data.paper, r.data.publishedAt)) : fail(r.error);
  }
  if ('summary' in value && !('abstract' in value)) {
    const r = hfPaper.safeParse(value);
    return r.success ? done(fromHf(r.data, undefined)) : fail(r.error);
  }
  const r = paperboyRecord.safeParse(value);
  return r.success ? done(fromPaperboy(r.data)) : fail(r.error);
}
