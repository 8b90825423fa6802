// npm run bench:digest — builds and delivers 10,000 personalised digests: 10,000 confirmed daily
// subscriptions with a mix of filters (none, categories in and out, words, authors), all due at
// once, on the bundled demo corpus (5,073 papers); 1,000 of them (BENCH_ACCOUNTS) are readers with an account and
// five upvotes, whose digests add For you picks (words alone: the bench runs without an embedder). Phase 1 runs the digest job (choose each one's
// papers, render the email, record the period and the papers, write the outbox row, one transaction
// each); phase 2 drains the outbox over SMTP to a sink in another process. Prints emails/s for each
// phase and overall, and peak memory (target: at least 200 emails/s). Asserts nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { runDigests } from '../src/jobs/digests.ts';
import { createDeps } from '../src/main.ts';
import { nextDue } from '../src/domain/digest.ts';

const N = Number(process.env.BENCH_DIGESTS ?? 10_000);
/** Subscribers who also have a confirmed account with upvotes: their digests add For you picks. */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000);
const UPVOTES = 5;
const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.tmp', 'bench-digest');
const PORT = 2599;
const FILTERS = ['', 'cat:cs.LG', 'cat:cs.CV -cat:cs.RO', 'cat:cs.CL', 'diffusion', 'reinforcement learning', '-cat:cs.CV', 'cat:cs.RO', 'language model', 'cat:cs.AI -"large language"'];
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata'];

rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });
const sink = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'smtp-sink.ts')], { env: { ...process.env, PORT: String(PORT) }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((r) => sink.stdout!.once('data', () => r()));
const count = () =>
  new Promise<number>((resolve) => {
    sink.stdout!.once('data', (d: Buffer) => resolve(Number(/received (\d+)/.exec(d.toString())?.[1] ?? 0)));
    sink.kill('SIGUSR2');
  });

try {
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(DIR, 'digest.db')}`, LOG_LEVEL: 'silent', EMBEDDER: 'none', SMTP_URL: `smtp://127.0.0.1:${PORT}`, PUBLIC_URL: 'https://papers.example.org' });
  if (!config.ok) throw new Error(config.error.join('; '));
  const boot = await createDeps(config.value, { now: () => new Date('2026-07-01T12:00:00Z') }, { info() {}, warn() {}, error: console.error });
  const newest = (await boot.store.papers.latestDay('2100-01-01'))!;
  // Every subscription is due at 06:00 UTC the day after the newest featured day.
  const due = new Date(`${newest}T06:00:00Z`);
  const at = { now: () => due };
  const started = Date.now();
  await boot.store.transaction(async (tx) => {
    for (let i = 0; i < N; i++) {
      const tz = ZONES[i % ZONES.length]!;
      await tx.subscriptions.create({
        email: `reader${i}@example.org`, userId: undefined, status: 'active', frequency: 'daily', weekday: 1, hour: 7, timeZone: tz,
        query: FILTERS[i % FILTERS.length]!, confirmHash: null, nextDueAt: due.toISOString(), now: due.toISOString(),
      });
    }
  });
  void nextDue;
  // Every 10th subscriber (up to ACCOUNTS) has an account that upvoted UPVOTES papers of the last month.
  const recent = (await boot.store.papers.listForPeriod({ start: '2026-06-01', end: '2100-01-01' }, 'newest', { limit: 2000, offset: 0 }, due.getTime())).papers;
  const stride = Math.max(1, Math.floor(N / Math.max(1, ACCOUNTS)));
  let accounts = 0;
  for (let i = 0; i < N && accounts < ACCOUNTS; i += stride, accounts++) {
    const u = (await boot.store.users.create({ email: `reader${i}@example.org`, handle: `reader${i}`, displayName: `Reader ${i}`, passwordHash: null, now: due.toISOString() }))!;
    await boot.store.users.markVerified(u.id, due.toISOString());
    for (let k = 0; k < UPVOTES; k++) await boot.store.votes.set(u.id, recent[(i * 7 + k * 131) % recent.length]!.id, true, due.toISOString());
  }
  await boot.store.close();
  console.log(`set up ${N} subscriptions in ${((Date.now() - started) / 1000).toFixed(1)} s (${FILTERS.length} filters, ${ZONES.length} time zones; ${accounts} subscribers with an account and ${UPVOTES} upvotes)`);

  const deps = await createDeps(config.value, at, { info() {}, warn: console.warn, error: console.error });
  const t0 = performance.now();
  const run = await runDigests(deps);
  await deps.mail.idle(); // the job wakes the sender; measure the two phases apart
  const t1 = performance.now();
  const pending = (await deps.store.outbox.counts()).pending ?? 0;
  const sentInPhase1 = await count();
  const t2 = performance.now();
  await deps.mail.drain();
  const t3 = performance.now();
  const delivered = await count();
  const rss = process.resourceUsage().maxRSS / 1024;
  const build = (t1 - t0) / 1000;
  const send = (t3 - t2) / 1000;
  console.log(`\n${N} personalised digests, demo corpus (5,073 papers), SMTP sink in another process`);
  console.log(`  phase 1, decide + render + outbox (and sending as it goes): ${build.toFixed(1)} s, ${(N / build).toFixed(0)} digests/s; ${run.sent} digests, ${run.skipped} skipped (nothing matched)`);
  console.log(`  phase 2, deliver what was still queued (${pending}): ${send.toFixed(1)} s${pending ? `, ${(pending / send).toFixed(0)} emails/s` : ''}`);
  console.log(`  overall: ${delivered} emails delivered in ${(build + send).toFixed(1)} s = ${(delivered / (build + send)).toFixed(0)} emails/s (target >= 200); ${sentInPhase1} were already out during phase 1`);
  console.log(`  peak RSS ${rss.toFixed(0)} MB`);
  deps.mailer.close();
  await deps.store.close();
} finally {
  sink.kill('SIGTERM');
}
