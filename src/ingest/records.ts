// Source records decoded from JSON -> PaperInput: one zod schema per accepted shape, each mapped
// through normalise.ts. Pure: validates and maps single records; reading files is read.ts's job.
//   paperboy JSONL (the arxiv-sample shape, plus optional feed fields)
//   the arXiv metadata snapshot (JSON lines with versions and authors_parsed)
//   Hugging Face daily_papers items ({ paper: {...}, publishedAt }) and bare HF paper objects
import { z } from 'zod';
import { parseArxivId } from '../domain/arxiv-id.ts';
import { cleanName } from '../domain/latex-text.ts';
import { findGithubRepo, findProjectPage, localPaperId, type PaperInput } from '../domain/paper.ts';
import { parseDay } from '../domain/period.ts';
import { categoryProblem, cleanAbstract, collapse, type Mapped, normalisePaper, type RecordError } from './normalise.ts';

const day = z.string().refine((s) => parseDay(s).ok, 'expected a calendar date YYYY-MM-DD');
/** An ISO date, date-time or RFC 2822 date; only its calendar day (UTC) is kept. */
const instantDay = z.string().transform((s, ctx) => {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : Number.isNaN(Date.parse(s)) ? '' : new Date(s).toISOString().slice(0, 10);
  if (!parseDay(d).ok) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO date or date-time' });
    return z.NEVER;
  }
  return d;
});
const text = z.string().trim().min(1, 'must not be empty');
const url = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });
const arxivId = z.string().superRefine((s, ctx) => {
  if (!parseArxivId(s).ok) ctx.addIssue({ code: 'custom', message: `not an arXiv id: "${s.slice(0, 40)}"` });
});
const category = z.string().superRefine((s, ctx) => {
  const problem = categoryProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const organization = z.object({ name: text.max(100), fullname: text.max(200) });
const optionalText = z.string().nullish().transform((s) => (s?.trim() ? s.trim() : undefined));

export const paperboyRecord = z.object({
  id: arxivId,
  title: text,
  abstract: z.string(),
  authors: z.array(text),
  categories: z.array(category).default([]),
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

export const snapshotRecord = z.object({
  id: arxivId,
  title: text,
  abstract: z.string().default(''),
  authors: z.string().default(''),
  authors_parsed: z.array(z.array(z.string())).optional(),
  categories: z.string().default(''),
  comments: optionalText,
  'journal-ref': optionalText,
  doi: optionalText,
  versions: z.array(z.object({ version: z.string().regex(/^v\d+$/, 'expected v1, v2, ...'), created: instantDay })).min(1),
  update_date: day.optional(),
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

/** Feed fields a source may set that normalisePaper does not derive. */
function withFeedFields(m: Mapped, extra: Partial<PaperInput>): Mapped {
  if (!m.ok) return m;
  const p = { ...m.paper };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (p as Record<string, unknown>)[k] = v;
  return { ok: true, paper: p };
}

export function fromPaperboy(r: z.infer<typeof paperboyRecord>): Mapped {
  const m = normalisePaper({
    id: r.id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: r.authors.map((name) => ({ name, affiliation: undefined })),
    categories: r.categories,
    primaryCategory: r.primary_category,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    submittedDate: r.submitted_date,
    updatedDate: r.updated_date,
    versions: undefined,
    announcedDate: r.date,
    featuredDate: r.featured_date,
    upvotes: r.upvotes,
  });
  return withFeedFields(m, {
    authorCount: m.ok ? Math.max(r.author_count ?? 0, m.paper.authors.length) : undefined,
    githubRepo: r.github_repo,
    projectPage: r.project_page,
    organization: r.organization,
  });
}

export function fromSnapshot(r: z.infer<typeof snapshotRecord>): Mapped {
  const names = r.authors_parsed
    ? r.authors_parsed.map(([last = '', first = '', suffix = '']) => [first, last, suffix].filter(Boolean).join(' '))
    : r.authors.split(/,\s*|\s+and\s+/);
  const categories = r.categories.split(/\s+/).filter(Boolean);
  return normalisePaper({
    id: r.id,
    version: undefined,
    title: r.title,
    abstract: r.abstract,
    authors: names.map((name) => ({ name, affiliation: undefined })),
    categories,
    primaryCategory: categories[0],
    comment: r.comments,
    journalRef: r['journal-ref'],
    doi: r.doi,
    submittedDate: undefined,
    updatedDate: undefined,
    versions: r.versions.map((v) => ({ version: Number(v.version.slice(1)), date: v.created })),
  });
}

export type HfPaper = z.infer<typeof hfPaper>;

/** An HF paper; `featured` is the daily item's publishedAt (the day it was featured), when wrapped in one. */
export function fromHf(p: HfPaper, featured: string | undefined): Mapped {
  const featuredDate = featured ?? p.submittedOnDailyAt ?? p.publishedAt;
  if (!featuredDate) return { ok: false, errors: [{ field: 'publishedAt', message: "a featured day is needed (the item's or the paper's publishedAt)" }] };
  const abstract = cleanAbstract(p.summary);
  const authors = p.authors.map((a) => cleanName(a.name));
  const id = p.id ? parseArxivId(p.id) : undefined;
  return {
    ok: true,
    paper: {
      id: id?.ok ? id.value.id : localPaperId(p.title),
      title: collapse(p.title),
      abstract,
      authors,
      affiliations: authors.map(() => ''),
      authorCount: Math.max(p.numAuthors ?? 0, authors.length),
      categories: [],
      primaryCategory: undefined,
      comment: undefined,
      journalRef: undefined,
      doi: undefined,
      submittedDate: p.publishedAt,
      updatedDate: undefined,
      version: id?.ok ? id.value.version : undefined,
      versions: [],
      announcedDate: undefined,
      featuredDate,
      upvotes: p.upvotes,
      githubRepo: p.githubRepo ?? findGithubRepo(abstract),
      projectPage: p.projectPage ?? findProjectPage(abstract),
      organization: p.organization ?? undefined,
      withdrawn: false,
    },
  };
}

const fieldOf = (path: PropertyKey[]): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') ||
  '(record)';

const fail = (e: z.ZodError): Mapped => ({
  ok: false,
  errors: e.issues.map((i): RecordError => ({ field: fieldOf(i.path), message: i.message })),
});

/** Validates one decoded JSON value of any accepted shape and maps it to a PaperInput. */
export function toPaperInput(value: unknown): Mapped {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ field: '(record)', message: 'expected a JSON object' }] };
  }
  if ('paper' in value) {
    const r = hfDailyItem.safeParse(value);
    return r.success ? fromHf(r.data.paper, r.data.publishedAt) : fail(r.error);
  }
  if ('summary' in value && !('abstract' in value)) {
    const r = hfPaper.safeParse(value);
    return r.success ? fromHf(r.data, undefined) : fail(r.error);
  }
  if ('versions' in value || 'authors_parsed' in value || 'submitter' in value) {
    const r = snapshotRecord.safeParse(value);
    return r.success ? fromSnapshot(r.data) : fail(r.error);
  }
  const r = paperboyRecord.safeParse(value);
  return r.success ? fromPaperboy(r.data) : fail(r.error);
}
