// Community submissions: a signed-in user names a paper by arXiv id or URL. A paper already here is
// a duplicate (the answer links to it); an unknown one is fetched from arXiv through the polite
// ingest fetcher, checked against the rules (verified email, N a day, at most M days old) and
// featured today with "submitted by".
import type { Deps } from '../deps.ts';
import { parseArxivId } from '../domain/arxiv-id.ts';
import { dayInZone } from '../domain/period.ts';
import { err, ok, type Result } from '../domain/result.ts';
import { checkSubmission, describeSubmissionError, type SubmissionError } from '../domain/submission.ts';
import type { User } from '../domain/user.ts';
import { arxivClientSettings, fetchArxivPaper } from '../ingest/harvest.ts';

export type SubmitError =
  | SubmissionError
  | { code: 'invalid_id' }
  | { code: 'duplicate'; paperId: string }
  | { code: 'not_on_arxiv'; id: string }
  | { code: 'arxiv_unreachable'; message: string }
  | { code: 'banned' };

export async function submitPaper(d: Deps, user: User, input: string): Promise<Result<{ paperId: string }, SubmitError>> {
  if (user.banned) return err({ code: 'banned' });
  const parsed = parseArxivId(input.trim());
  if (!parsed.ok) return err({ code: 'invalid_id' });
  const id = parsed.value.id;
  if (await d.store.papers.byId(id)) return err({ code: 'duplicate', paperId: id });
  const now = d.clock.now();
  const today = dayInZone(now, d.config.timeZone);
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  // The cheap rules first: no arXiv request for a submission that would be refused anyway.
  const facts = { emailVerified: user.emailVerified, submittedToday: await d.store.submissions.since(user.id, since), paperSubmitted: undefined, today };
  const early = checkSubmission(d.config.submission, facts);
  if (!early.ok) return early;
  let paper: Awaited<ReturnType<typeof fetchArxivPaper>>;
  try {
    paper = await fetchArxivPaper(d.arxiv, arxivClientSettings(d.config).endpoints.apiUrl, id);
  } catch (e) {
    d.log.warn(`submission of ${id}: arXiv did not answer: ${(e as Error).message}`);
    return err({ code: 'arxiv_unreachable', message: 'arXiv did not answer; try again in a few minutes.' });
  }
  if (!paper) return err({ code: 'not_on_arxiv', id });
  const rules = checkSubmission(d.config.submission, { ...facts, paperSubmitted: paper.submittedDate });
  if (!rules.ok) return rules;
  const nowIso = now.toISOString();
  const outcome = await d.store.transaction(async (tx) => {
    if (await tx.papers.byId(id)) return 'duplicate' as const; // arrived meanwhile (a harvest, another submitter)
    await tx.papers.upsertMany([{ ...paper, featuredDate: today, upvotes: 0 }], nowIso);
    await tx.submissions.add(user.id, id, nowIso);
    return 'added' as const;
  });
  return outcome === 'added' ? ok({ paperId: id }) : err({ code: 'duplicate', paperId: id });
}

export function describeSubmitError(e: SubmitError): string {
  switch (e.code) {
    case 'invalid_id':
      return 'That is not an arXiv id or URL. Use the form 2501.01234, hep-th/9901001 or https://arxiv.org/abs/2501.01234.';
    case 'duplicate':
      return 'This paper is already here.';
    case 'not_on_arxiv':
      return `arXiv has no paper ${e.id}.`;
    case 'arxiv_unreachable':
      return e.message;
    case 'banned':
      return 'Your account cannot submit papers.';
    default:
      return describeSubmissionError(e);
  }
}
