// `paperboy digest preview --to EMAIL`: renders the digest EMAIL's subscription would get now (a
// daily digest of everything when it has none), prints its text part and mails it, marked as a
// preview, without recording anything. `paperboy digest run`: runs the digest job now.
import type { Deps } from '../deps.ts';
import { addDays, dayInZone } from '../domain/period.ts';
import { composeDigest, runDigests } from '../jobs/digests.ts';
import type { Subscription } from '../store/subscriptions.ts';
import { configOrExit, exitOnSchemaError, type Runtime } from './context.ts';

async function withDeps(runtime: Runtime, fn: (d: Deps) => Promise<void>): Promise<void> {
  const deps = await runtime.deps({ ...configOrExit(), embedder: { kind: 'none' } }).catch(exitOnSchemaError);
  try {
    await fn(deps);
    await deps.mail.drain();
  } finally {
    deps.mailer.close();
    await deps.store.close();
  }
}

export async function digestPreviewCommand(runtime: Runtime, opts: { to: string; send?: boolean }): Promise<void> {
  await withDeps(runtime, async (d) => {
    const email = opts.to.trim().toLowerCase();
    const now = d.clock.now();
    const subs = (await d.store.subscriptions.ofUser(-1, email)).filter((s) => s.status !== 'unsubscribed');
    const fallback: Subscription = {
      id: 0, email, userId: undefined, status: 'active', frequency: 'daily', weekday: 1, hour: now.getUTCHours(), timeZone: d.config.timeZone,
      query: '', nextDueAt: now.toISOString(), bounces: 0, createdAt: now.toISOString(),
    };
    const sub = subs[0] ?? fallback;
    const cache = (w: { start: string; end: string }) => d.store.papers.listForPeriod(w, 'trending', { limit: 300, offset: 0 }, now.getTime()).then((l) => l.papers);
    let digest = await composeDigest(d, sub, now, cache);
    let note = '';
    if (digest.papers.length === 0) {
      // Nothing featured lately (a quiet or demo site): show the digest of the newest featured day instead.
      const newest = await d.store.papers.latestDay(dayInZone(now, sub.timeZone));
      if (newest) {
        digest = await composeDigest(d, sub, new Date(`${addDays(newest, 1)}T${String(sub.hour).padStart(2, '0')}:00:00Z`), cache);
        note = ` (nothing new now: the digest of ${newest}, the newest featured day)`;
      }
    }
    const { period, papers, message } = digest;
    console.log(`${subs.length ? `subscription ${sub.id}` : 'no subscription for this address: a daily digest of everything'}, period ${period}, ${papers.length} papers${note}\n`);
    console.log(`Subject: ${message.subject}\n\n${message.text}`);
    if (opts.send === false) return;
    await d.store.outbox.enqueue({ kind: 'digest-preview', to: email, message: { ...message, subject: `[preview] ${message.subject}` }, now: now.toISOString() });
    console.log(`\nmailed to ${email} (${d.config.mail.smtpUrl ? 'SMTP' : `a file in ${d.config.mail.dir}`})`);
  });
}

export async function digestRunCommand(runtime: Runtime): Promise<void> {
  await withDeps(runtime, async (d) => {
    const r = await runDigests(d);
    console.log(`digests: ${r.sent} sent, ${r.skipped} skipped (nothing new), ${r.raced} decided by another process`);
  });
}
