// The digest job: for every subscription whose delivery time has come, decide its period's digest —
// the trending papers of the period's featured days that match its filter and were never sent to it,
// at most DIGEST_PAPERS, then (for a subscriber with a confirmed account) up to FOR_YOU_PAPERS more of
// the period's papers related to their upvotes — and write the email to the outbox in the same transaction that records the
// period and the papers. A period with nothing new is recorded as skipped (nothing is sent). A
// period another process already decided rolls back here. Missed periods (the server was down) are
// not caught up: the next delivery is the next one from now.
import type { Deps } from '../deps.ts';
import { DIGEST_PAPERS, digestPeriod, digestWindow, nextDue } from '../domain/digest.ts';
import type { Paper } from '../domain/paper.ts';
import { formatDay } from '../domain/period.ts';
import { type DigestPick, digestMessage } from '../mail/digest-message.ts';
import { subscriptionLinks } from '../people/subscriptions.ts';
import { paperMatcher } from '../search/match.ts';
import { parseQuery } from '../search/query.ts';
import { READER_DEFAULTS, recommendForReader } from '../search/recommend.ts';
import type { Subscription } from '../store/subscriptions.ts';

/** Trending papers considered per window before filtering. */
const CANDIDATES = 300;
/** Papers picked from a subscriber's upvotes, after the trending ones. */
const FOR_YOU_PAPERS = 5;
const DUE_BATCH = 500;
const GROUP = 50;

export type DigestRun = { sent: number; skipped: number; raced: number };

export function periodLabel(s: Subscription, period: string): string {
  return s.frequency === 'daily' ? formatDay(period) : `week ${Number(period.slice(6))} of ${period.slice(0, 4)}`;
}

/** Renders the digest a subscription would get for the period due at `due` (papers chosen, nothing recorded). */
const matchers = new Map<string, (p: Paper) => boolean>();
/** One matcher per distinct filter (subscribers share filters; parsing each time was measurable). */
function matcherFor(query: string): (p: Paper) => boolean {
  let m = matchers.get(query);
  if (!m) {
    if (matchers.size > 10_000) matchers.clear();
    m = paperMatcher(parseQuery(query));
    matchers.set(query, m);
  }
  return m;
}

/** The window's papers by id, made once per window's list (every subscriber of a run shares it). */
const indexes = new WeakMap<Paper[], Map<string, Paper>>();
function idIndex(papers: Paper[]): Map<string, Paper> {
  let m = indexes.get(papers);
  if (!m) {
    m = new Map(papers.map((p) => [p.id, p]));
    indexes.set(papers, m);
  }
  return m;
}

/**
 * Papers of the window related to the upvotes of the account with the subscriber's address (none
 * without a confirmed account, upvotes or such papers): the For you page's picks, at most FOR_YOU_PAPERS.
 */
async function picksFor(d: Deps, email: string, window: { start: string; end: string }, inWindow: Paper[], inDigest: Paper[]): Promise<DigestPick[]> {
  // The account must have confirmed the address: else anyone could sign up with it and steer its digest.
  const user = await d.store.users.byEmail(email);
  if (!user?.emailVerified || user.banned) return [];
  // Only the window's papers can be picked (its CANDIDATES most trending, already read): related
  // papers are read as ids and looked up among them, keeping their ranks; no row is read for the
  // many outside the window.
  const byId = idIndex(inWindow);
  const related = async (p: Paper, n: number) => (await d.search.similarIds(p, n)).map((id) => byId.get(id));
  const exclude = new Set(inDigest.map((p) => p.id));
  const r = await recommendForReader(related, d.store, user.id, { ...READER_DEFAULTS, shown: FOR_YOU_PAPERS, since: window.start, until: window.end, exclude });
  return r.recommendations.map((x) => ({ paper: x.paper, because: x.because.map((p) => p.title) }));
}

export async function composeDigest(d: Deps, s: Subscription, due: Date, candidates: (window: { start: string; end: string }) => Promise<Paper[]>) {
  const window = digestWindow(s, due);
  const match = matcherFor(s.query);
  const inWindow = await candidates(window);
  const matching = inWindow.filter(match).slice(0, DIGEST_PAPERS * 4);
  const sent = await d.store.subscriptions.sentAmong(s.id, matching.map((p) => p.id));
  const papers = matching.filter((p) => !sent.has(p.id)).slice(0, DIGEST_PAPERS);
  // Only a digest that goes out (it has trending papers) carries picks.
  const forYou = papers.length > 0 ? await picksFor(d, s.email, window, inWindow, papers) : [];
  const period = digestPeriod(s, due);
  const links = subscriptionLinks(d, s.id);
  const message = digestMessage({
    siteName: d.config.siteName,
    periodLabel: periodLabel(s, period),
    filterLabel: s.query || undefined,
    papers,
    forYou,
    links: { site: d.config.publicUrl, ...links, paper: (id) => `${d.config.publicUrl}/papers/${id}` },
  });
  return { period, papers, message };
}

export async function runDigests(d: Deps): Promise<DigestRun> {
  const run: DigestRun = { sent: 0, skipped: 0, raced: 0 };
  const now = d.clock.now();
  const nowMs = now.getTime();
  const cache = new Map<string, Promise<Paper[]>>();
  const candidates = (w: { start: string; end: string }) => {
    const key = `${w.start}|${w.end}`;
    let c = cache.get(key);
    if (!c) {
      c = d.store.papers.listForPeriod(w, 'trending', { limit: CANDIDATES, offset: 0 }, nowMs).then((l) => l.papers);
      cache.set(key, c);
    }
    return c;
  };
  for (;;) {
    const due = await d.store.subscriptions.due(now.toISOString(), DUE_BATCH);
    if (due.length === 0) break;
    // Decided in groups, one transaction each (a commit per digest was a fifth of the run).
    for (let i = 0; i < due.length; i += GROUP) {
      const group = await Promise.all(due.slice(i, i + GROUP).map(async (s) => ({ s, ...(await composeDigest(d, s, new Date(s.nextDueAt), candidates)) })));
      await d.store.transaction(async (tx) => {
        for (const { s, period, papers, message } of group) {
          const next = nextDue(s, now).toISOString();
          const outboxId = papers.length ? await tx.outbox.enqueue({ kind: 'digest', to: s.email, message, now: now.toISOString() }) : undefined;
          const fresh = await tx.subscriptions.recordDigest({ subscriptionId: s.id, period, paperIds: papers.map((p) => p.id), outboxId, nextDueAt: next, now: now.toISOString() });
          if (!fresh) {
            // Another process decided this period first: take back our email, move on.
            if (outboxId !== undefined) await tx.outbox.remove(outboxId);
            await tx.subscriptions.setNextDue(s.id, next);
            run.raced++;
          } else if (papers.length) run.sent++;
          else run.skipped++;
        }
      });
      if (run.sent > 0) d.mail.wake();
    }
  }
  return run;
}
