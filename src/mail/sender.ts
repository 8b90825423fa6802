// Drains the outbox: claims due messages, sends each, and records the outcome. Transient failures
// are retried with growing delays; a permanent one (SMTP 5xx) or too many attempts mark it failed.
// wake() is called after a commit that queued mail; a timer-driven drain() catches retries and mail
// queued by other processes.
import type { OutboxItem } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';
import { MailError, type Mailer } from './mailer.ts';

/** Delays before the 2nd, 3rd ... attempt, in seconds; after the last, the message is given up. */
export const RETRY_DELAYS_S = [30, 120, 600, 3600, 6 * 3600];
/** A claim lasts this long by default: a sender that dies mid-batch lets its messages fall due again. */
const CLAIM_MS = 120_000;
const BATCH = 50;

export type MailSender = { wake(): void; drain(): Promise<number>; idle(): Promise<void> };

export type SenderOptions = {
  /** Messages in flight at once (SMTP connections are pooled). */
  concurrency?: number;
  /** Called after a permanent failure (the address refuses mail): digests count it toward "bouncing". */
  onPermanentFailure?: (item: OutboxItem) => Promise<void>;
  /** Called after each message is recorded as sent (tests use it to stop a sender at a known point). */
  onSent?: (item: OutboxItem) => void;
  /** How long a claim lasts (MAIL_CLAIM_SECONDS): after a sender dies, others take its messages then. */
  claimMs?: number;
};

/** Where the sender reports failures (the app's log; a structural type, so mail/ does not import deps). */
export type SenderLog = { warn(msg: string): void; error(msg: string, err?: unknown): void };

export function createMailSender(store: Store, mailer: Mailer, now: () => Date, log: SenderLog, opts: SenderOptions = {}): MailSender {
  const concurrency = opts.concurrency ?? 4;
  let running: Promise<number> | undefined;
  let again = false;

  async function drainOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const t = now();
      const batch = await store.outbox.claim(t.toISOString(), new Date(t.getTime() + (opts.claimMs ?? CLAIM_MS)).toISOString(), BATCH);
      if (batch.length === 0) return sent;
      let next = 0;
      const worker = async () => {
        for (let item = batch[next++]; item; item = batch[next++]) if (await sendOne(item)) sent++;
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    }
  }

  async function sendOne(item: OutboxItem): Promise<boolean> {
    try {
      await mailer.send({ to: item.to, ...item.message, messageId: `outbox-${item.id}` });
      await store.outbox.markSent(item.id, now().toISOString());
      opts.onSent?.(item);
      return true;
    } catch (e) {
      const permanent = e instanceof MailError && e.permanent;
      const delay = RETRY_DELAYS_S[item.attempts];
      const retryAt = permanent || delay === undefined ? undefined : new Date(now().getTime() + delay * 1000).toISOString();
      await store.outbox.markFailed(item.id, (e as Error).message, retryAt);
      if (!retryAt) await opts.onPermanentFailure?.(item);
      log.warn(`mail ${item.kind} to ${item.to} failed${retryAt ? `, retrying at ${retryAt}` : ' for good'}: ${(e as Error).message}`);
      return false;
    }
  }

  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await drainOnce();
      } while (again);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    wake() {
      drain().catch((e) => log.error('sending queued mail failed; it stays queued', e));
    },
    drain,
    async idle() {
      while (running) await running.catch(() => 0);
    },
  };
}
