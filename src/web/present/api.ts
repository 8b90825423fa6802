// Wire shapes of the JSON API, in the shape of Hugging Face's papers API so its clients work here.
// The zod schemas document the responses in OpenAPI; presenters build exactly these shapes.
import type { Comment } from '../../domain/comment.ts';
import { z } from 'zod';
import type { Paper } from '../../domain/paper.ts';
import type { Recommendation } from '../../search/recommend.ts';
import type { Hit } from '../../search/search.ts';

const isoDay = (d: string): string => `${d}T00:00:00.000Z`;

export const apiPaperSchema = z.object({
  id: z.string().describe('Bare arXiv id (no version), or a local id "pb-…" for a paper without one.'),
  title: z.string(),
  summary: z.string().describe('The abstract, LaTeX kept as written.'),
  authors: z.array(z.object({ name: z.string() })),
  numAuthors: z.number().int().describe('Number of authors; can exceed authors.length when only a count is known.'),
  publishedAt: z.string().optional().describe('arXiv date: v1 submission when known, else the first arXiv listing (ISO 8601).'),
  featuredAt: z.string().describe('The day the paper entered this feed (ISO 8601).'),
  upvotes: z.number().int(),
  categories: z.array(z.string()),
  githubRepo: z.string().optional(),
  projectPage: z.string().optional(),
  organization: z.object({ name: z.string(), fullname: z.string() }).optional(),
  version: z.number().int().optional(),
});

export const dailyItemSchema = z.object({
  paper: apiPaperSchema,
  publishedAt: z.string().describe('The featured date: the day the paper appeared in the daily list (ISO 8601).'),
  title: z.string(),
  numComments: z.number().int(),
});

export const searchItemSchema = dailyItemSchema.extend({
  match: z
    .object({
      words: z.boolean().describe('The paper has the query\'s words (full-text match).'),
      meaning: z.number().optional().describe('Cosine similarity of query and paper, when semantic search took part.'),
      near: z.boolean().describe('The paper is among the 100 nearest the query in meaning (false when semantic search took no part).'),
      why: z.array(z.string()).describe('For a match by meaning: query words and the paper words that brought them together ("llm ~ language").'),
      score: z.number().describe('The ranking score (BM25, or the fused score in hybrid search).'),
    })
    .describe('Why this paper matched.'),
});

export const recommendationItemSchema = dailyItemSchema.extend({
  because: z
    .array(z.object({ id: z.string(), title: z.string() }))
    .describe('Your upvoted papers this one is related to, the closest first.'),
  score: z.number().describe('The sum, over those papers, of 1 / (1 + its rank among their related papers).'),
});

export const apiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  parameter: z.string().optional().describe('The request parameter at fault.'),
});

export type ApiPaper = z.infer<typeof apiPaperSchema>;
export type DailyItem = z.infer<typeof dailyItemSchema>;
export type SearchItem = z.infer<typeof searchItemSchema>;
export type RecommendationItem = z.infer<typeof recommendationItemSchema>;

export function apiPaper(p: Paper): ApiPaper {
  const arxivDay = p.submittedDate ?? p.announcedDate;
  return {
    id: p.id,
    title: p.title,
    summary: p.abstract,
    authors: p.authors.map((name) => ({ name })),
    numAuthors: p.authorCount,
    ...(arxivDay ? { publishedAt: isoDay(arxivDay) } : {}),
    featuredAt: isoDay(p.featuredDate),
    upvotes: p.upvotes,
    categories: p.categories,
    ...(p.githubRepo ? { githubRepo: p.githubRepo } : {}),
    ...(p.projectPage ? { projectPage: p.projectPage } : {}),
    ...(p.organization ? { organization: p.organization } : {}),
    ...(p.version ? { version: p.version } : {}),
  };
}

export function dailyItem(p: Paper): DailyItem {
  // The abstract travels once, as paper.summary (as in Hugging Face's items): it is most of the bytes.
  return { paper: apiPaper(p), publishedAt: isoDay(p.featuredDate), title: p.title, numComments: p.comments };
}

/** A search result with why it matched. */
export function searchItem(h: Hit): SearchItem {
  const match = { words: h.words, ...(h.meaning === undefined ? {} : { meaning: h.meaning }), near: h.near, why: h.why, score: h.score };
  return { ...dailyItem(h.paper), match };
}

export const voteResultSchema = z.object({
  paperId: z.string(),
  voted: z.boolean().describe('Whether you have upvoted the paper now.'),
  upvotes: z.number().int().describe('The paper\'s upvotes after this request.'),
});

export const apiCommentSchema = z.object({
  id: z.number().int(),
  paperId: z.string(),
  parentId: z.number().int().optional(),
  author: z.object({ handle: z.string(), name: z.string() }),
  body: z.string().describe('Markdown as written ("" when deleted or hidden).'),
  createdAt: z.string(),
  editedAt: z.string().optional(),
  state: z.enum(['visible', 'deleted', 'hidden']),
});

export type ApiComment = z.infer<typeof apiCommentSchema>;

export function apiComment(c: Comment): ApiComment {
  const state = c.deleted ? 'deleted' : c.hidden ? 'hidden' : 'visible';
  return {
    id: c.id,
    paperId: c.paperId,
    ...(c.parentId !== undefined ? { parentId: c.parentId } : {}),
    author: { handle: c.author.handle, name: c.author.displayName },
    body: state === 'visible' ? c.body : '',
    createdAt: c.createdAt,
    ...(c.editedAt ? { editedAt: c.editedAt } : {}),
    state,
  };
}

/** A paper recommended to a reader, with the upvoted papers that brought it. */
export function recommendationItem(r: Recommendation): RecommendationItem {
  return { ...dailyItem(r.paper), because: r.because.map((p) => ({ id: p.id, title: p.title })), score: r.score };
}
