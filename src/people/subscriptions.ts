// Digest subscriptions and saved filters: subscribe with an address (double opt-in: nothing is sent
// until the mailed link is confirmed; a signed-in user's own confirmed address needs no link),
// manage and unsubscribe through signed links that work without signing in, and saved filters
// (named queries of the search language, each with a private feed URL).
import type { Deps } from '../deps.ts';
import { describeSchedule, nextDue } from '../domain/digest.ts';
import { isValidTimeZone } from '../domain/period.ts';
import { err, ok, type Result } from '../domain/result.ts';
import { checkEmail, type FieldError, type User } from '../domain/user.ts';
import { subscriptionConfirmMessage } from '../mail/digest-message.ts';
import { MAX_QUERY_CHARS } from '../search/query.ts';
import type { SubscriptionSettings } from '../store/subscriptions.ts';
import { newToken, safeEqual, sign, tokenHash } from './secrets.ts';

export type SubscribeInput = { email: string; frequency: string; weekday: string; hour: string; timeZone: string; query: string };

/** Form values -> settings, or the fields at fault. */
export function checkSettings(raw: Omit<SubscribeInput, 'email'>): Result<SubscriptionSettings, FieldError[]> {
  const errors: FieldError[] = [];
  const frequency = raw.frequency === 'weekly' ? 'weekly' : raw.frequency === 'daily' || raw.frequency === '' ? 'daily' : undefined;
  if (!frequency) errors.push({ field: 'frequency', message: 'Choose daily or weekly.' });
  const weekday = Number(raw.weekday || 1);
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) errors.push({ field: 'weekday', message: 'Choose a day of the week.' });
  const hour = Number(raw.hour || 7);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) errors.push({ field: 'hour', message: 'Choose an hour from 0 to 23.' });
  const timeZone = raw.timeZone.trim() || 'UTC';
  if (!isValidTimeZone(timeZone)) errors.push({ field: 'timeZone', message: `“${timeZone.slice(0, 60)}” is not a time zone; use a name like Europe/Paris.` });
  const query = raw.query.trim();
  if (query.length > MAX_QUERY_CHARS) errors.push({ field: 'query', message: `Filters are at most ${MAX_QUERY_CHARS} characters.` });
  if (errors.length) return err(errors);
  return ok({ frequency: frequency!, weekday, hour, timeZone, query });
}

export const subscriptionSignature = (d: Deps, id: number): string => sign(d.secret, `subscription:${id}`);
export const validSignature = (d: Deps, id: number, sig: string): boolean => safeEqual(sig, subscriptionSignature(d, id));

export function subscriptionLinks(d: Deps, id: number): { manage: string; unsubscribe: string } {
  const base = `${d.config.publicUrl}/subscriptions/${id}`;
  const sig = subscriptionSignature(d, id);
  return { manage: `${base}?sig=${sig}`, unsubscribe: `${base}/unsubscribe?sig=${sig}` };
}

/**
 * Subscribes an address. Unless it is the signed-in user's own confirmed address, the subscription
 * waits for the mailed confirmation link. The answer is the same whatever the address.
 */
export async function subscribe(d: Deps, input: SubscribeInput, user: User | undefined): Promise<Result<{ confirmed: boolean; email: string }, FieldError[]>> {
  const email = checkEmail(input.email);
  const settings = checkSettings(input);
  const errors = [...(email.ok ? [] : [email.error]), ...(settings.ok ? [] : settings.error)];
  if (!email.ok || !settings.ok) return err(errors);
  const now = d.clock.now();
  const own = user?.emailVerified === true && user.email === email.value;
  const token = own ? undefined : newToken();
  await d.store.transaction(async (tx) => {
    await tx.subscriptions.create({
      ...settings.value,
      email: email.value,
      userId: user && user.email === email.value ? user.id : undefined,
      status: own ? 'active' : 'pending',
      confirmHash: token ? tokenHash(token) : null,
      nextDueAt: nextDue(settings.value, now).toISOString(),
      now: now.toISOString(),
    });
    if (token) {
      const link = `${d.config.publicUrl}/subscriptions/confirm?token=${token}`;
      await tx.outbox.enqueue({ kind: 'subscription-confirm', to: email.value, message: subscriptionConfirmMessage(d.config.siteName, link, describeSchedule(settings.value), settings.value.query || undefined), now: now.toISOString() });
    }
  });
  if (token) d.mail.wake();
  return ok({ confirmed: own, email: email.value });
}

export async function confirmSubscription(d: Deps, token: string) {
  const now = d.clock.now();
  const pending = await d.store.subscriptions.confirm(tokenHash(token), now.toISOString(), now.toISOString());
  if (!pending) return undefined;
  // Due from now on: the first digest goes out at the next delivery time.
  await d.store.subscriptions.setNextDue(pending.id, nextDue(pending, now).toISOString());
  return pending;
}

export async function updateSubscription(d: Deps, id: number, raw: Omit<SubscribeInput, 'email'>): Promise<Result<void, FieldError[]>> {
  const s = checkSettings(raw);
  if (!s.ok) return s;
  await d.store.subscriptions.update(id, s.value, nextDue(s.value, d.clock.now()).toISOString());
  return ok(undefined);
}

/** Resumes a subscription (after unsubscribing or bouncing) or ends it. */
export async function setSubscriptionActive(d: Deps, id: number, active: boolean): Promise<void> {
  const s = await d.store.subscriptions.byId(id);
  if (!s || s.status === 'pending') return;
  await d.store.subscriptions.setStatus(id, active ? 'active' : 'unsubscribed');
  if (active) await d.store.subscriptions.setNextDue(id, nextDue(s, d.clock.now()).toISOString());
}

// ---- saved filters ----

export async function saveFilter(d: Deps, user: User, name: string, query: string): Promise<Result<number, FieldError[]>> {
  const errors: FieldError[] = [];
  const n = name.replace(/\s+/g, ' ').trim().slice(0, 80);
  const q = query.trim();
  if (!n) errors.push({ field: 'name', message: 'Give the filter a name.' });
  if (!q) errors.push({ field: 'query', message: 'Write the filter in the search language, e.g. cat:cs.RO -cat:cs.CV manipulation.' });
  if (q.length > MAX_QUERY_CHARS) errors.push({ field: 'query', message: `Filters are at most ${MAX_QUERY_CHARS} characters.` });
  if (errors.length) return err(errors);
  return ok(await d.store.subscriptions.addFilter({ userId: user.id, name: n, query: q, feedToken: newToken(), now: d.clock.now().toISOString() }));
}
