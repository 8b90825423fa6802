// The rules a community submission must pass, as documented in the README (SUBMIT_* options):
// a verified email, at most N submissions a day, and a paper recent enough for the daily feed.
// Pure: the caller counts and looks up, this decides.
import { addDays, type Day } from './period.ts';
import { err, ok, type Result } from './result.ts';

export type SubmissionRules = { requireVerifiedEmail: boolean; perDay: number; maxAgeDays: number };

export type SubmissionError =
  | { code: 'unverified_email' }
  | { code: 'daily_limit'; limit: number }
  | { code: 'too_old'; submitted: Day; maxAgeDays: number };

export type SubmissionFacts = { emailVerified: boolean; submittedToday: number; paperSubmitted: Day | undefined; today: Day };

export function checkSubmission(rules: SubmissionRules, f: SubmissionFacts): Result<void, SubmissionError> {
  if (rules.requireVerifiedEmail && !f.emailVerified) return err({ code: 'unverified_email' });
  if (f.submittedToday >= rules.perDay) return err({ code: 'daily_limit', limit: rules.perDay });
  if (f.paperSubmitted && f.paperSubmitted < addDays(f.today, -rules.maxAgeDays)) {
    return err({ code: 'too_old', submitted: f.paperSubmitted, maxAgeDays: rules.maxAgeDays });
  }
  return ok(undefined);
}

export function describeSubmissionError(e: SubmissionError): string {
  switch (e.code) {
    case 'unverified_email':
      return 'Confirm your email address before submitting papers (the link is in the mail we sent you).';
    case 'daily_limit':
      return `You have submitted ${e.limit} papers today, the most allowed in one day. Try again tomorrow.`;
    case 'too_old':
      return `This paper was first submitted to arXiv on ${e.submitted}; the daily feed takes papers at most ${e.maxAgeDays} days old.`;
  }
}
