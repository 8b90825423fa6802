// Accounts: sign-up with email confirmation, password and emailed-link sign-in with a backoff, password
// reset, sessions. No answer reveals whether an address has an account: sign-up, reset and sign-in
// links always say "check your inbox", and a login fails the same way (and as slowly) for a wrong
// password and an unknown address. Mail is queued in the transaction that decides it.
import type { Deps } from '../deps.ts';
import { err, ok, type Result } from '../domain/result.ts';
import {
  checkEmail, checkHandle, checkPassword, displayName, type FieldError, handleFromEmail, loginBackoffSeconds, type User,
} from '../domain/user.ts';
import { alreadyRegisteredMessage, resetPasswordMessage, signInLinkMessage, verifyEmailMessage } from '../mail/account-messages.ts';
import type { Repos } from '../store/store.ts';
import type { EmailPurpose } from '../store/users.ts';
import { checkPassword as verifyPassword, hashPassword, newToken, tokenHash } from './secrets.ts';

export const TOKEN_TTL_MIN: Record<EmailPurpose, number> = { verify: 48 * 60, reset: 60, login: 15 };
/** A session's last-seen time is written at most this often. */
const TOUCH_MS = 3_600_000;

export type Client = { ip: string; userAgent: string };
export type SignedIn = { user: User; sessionToken: string };

const iso = (d: Deps) => d.clock.now().toISOString();
const later = (d: Deps, minutes: number) => new Date(d.clock.now().getTime() + minutes * 60_000).toISOString();

async function emailLink(d: Deps, tx: Repos, purpose: EmailPurpose, userId: number, path: string): Promise<string> {
  const token = newToken();
  await tx.users.createEmailToken({ tokenHash: tokenHash(token), purpose, userId, now: iso(d), expiresAt: later(d, TOKEN_TTL_MIN[purpose]) });
  return `${d.config.publicUrl}${path}?token=${token}`;
}

/** A free handle: the one asked for, or one derived from the address with a number if needed. */
async function freeHandle(d: Deps, base: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const h = i === 0 ? base : `${base.slice(0, 24)}-${i + 1}`;
    if (!(await d.store.users.handleTaken(h))) return h;
  }
  return `${base.slice(0, 20)}-${newToken().slice(0, 6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
}

export type SignUpInput = { email: string; password: string; handle?: string; displayName?: string };

/**
 * Creates the account and mails a confirmation link; an address that already has an account gets a
 * "you already have an account" mail instead, and the caller cannot tell the two apart.
 */
export async function signUp(d: Deps, input: SignUpInput): Promise<Result<{ email: string }, FieldError[]>> {
  const errors: FieldError[] = [];
  const email = checkEmail(input.email);
  if (!email.ok) errors.push(email.error);
  const pw = checkPassword(input.password, email.ok ? email.value : '');
  if (!pw.ok) errors.push(pw.error);
  const wanted = input.handle?.trim() ? checkHandle(input.handle) : undefined;
  if (wanted && !wanted.ok) errors.push(wanted.error);
  if (wanted?.ok && (await d.store.users.handleTaken(wanted.value))) errors.push({ field: 'handle', message: 'That handle is taken; choose another.' });
  if (errors.length > 0 || !email.ok) return err(errors);
  const passwordHash = await hashPassword(input.password); // also for a known address: the same time either way
  const existing = await d.store.users.byEmail(email.value);
  if (existing) {
    await d.store.transaction(async (tx) => {
      await tx.outbox.enqueue({ kind: 'already-registered', to: email.value, message: alreadyRegisteredMessage(d.config.siteName, `${d.config.publicUrl}/login`), now: iso(d) });
    });
  } else {
    const handle = wanted?.ok ? wanted.value : await freeHandle(d, handleFromEmail(email.value));
    const created = await d.store.transaction(async (tx) => {
      const user = await tx.users.create({ email: email.value, handle, displayName: displayName(input.displayName, handle), passwordHash, now: iso(d) });
      if (!user) return false;
      const link = await emailLink(d, tx, 'verify', user.id, '/verify');
      await tx.outbox.enqueue({ kind: 'verify', to: user.email, message: verifyEmailMessage(d.config.siteName, user.handle, link, TOKEN_TTL_MIN.verify / 60), now: iso(d) });
      return true;
    });
    // Lost a race for the handle (the address was checked just above): say so like any taken handle.
    if (!created && !(await d.store.users.byEmail(email.value))) return err([{ field: 'handle', message: 'That handle is taken; choose another.' }]);
  }
  d.mail.wake();
  return ok({ email: email.value });
}

/** A new confirmation link for a signed-in user who has not confirmed yet. */
export async function resendVerification(d: Deps, user: User): Promise<void> {
  if (user.emailVerified) return;
  await d.store.transaction(async (tx) => {
    const link = await emailLink(d, tx, 'verify', user.id, '/verify');
    await tx.outbox.enqueue({ kind: 'verify', to: user.email, message: verifyEmailMessage(d.config.siteName, user.handle, link, TOKEN_TTL_MIN.verify / 60), now: iso(d) });
  });
  d.mail.wake();
}

export async function startSession(d: Deps, user: User, client: Client): Promise<SignedIn> {
  const token = newToken();
  await d.store.users.createSession({ idHash: tokenHash(token), userId: user.id, now: iso(d), expiresAt: later(d, d.config.sessionDays * 1440), userAgent: client.userAgent, ip: client.ip });
  return { user, sessionToken: token };
}

/** The signed-in user of a session cookie (banned users are signed out); slides the expiry. */
export async function sessionUser(d: Deps, token: string): Promise<User | undefined> {
  const idHash = tokenHash(token);
  const s = await d.store.users.session(idHash, iso(d));
  if (!s) return undefined;
  if (s.user.banned) {
    await d.store.users.deleteSessions(s.user.id);
    return undefined;
  }
  if (d.clock.now().getTime() - Date.parse(s.lastSeenAt) > TOUCH_MS) {
    await d.store.users.touchSession(idHash, iso(d), later(d, d.config.sessionDays * 1440));
  }
  return s.user;
}

export const endSession = (d: Deps, userId: number, token: string) => d.store.users.deleteSession(userId, tokenHash(token));

export type LoginError = { code: 'invalid' } | { code: 'wait'; seconds: number } | { code: 'banned' };

export async function logIn(d: Deps, rawEmail: string, password: string, client: Client): Promise<Result<SignedIn, LoginError>> {
  const email = rawEmail.trim().toLowerCase().slice(0, 254);
  const keys = [`account:${email}`, `ip:${client.ip}`];
  const nowMs = d.clock.now().getTime();
  const wait = Math.max(
    0,
    ...(await d.store.users.failures(keys)).map((f) => Math.ceil(loginBackoffSeconds(f.failures) - (nowMs - Date.parse(f.lastFailureAt)) / 1000)),
  );
  if (wait > 0) return err({ code: 'wait', seconds: wait });
  const user = await d.store.users.byEmail(email);
  const stored = user ? await d.store.users.passwordHash(user.id) : undefined;
  if (!(await verifyPassword(stored, password.slice(0, 1024)))) {
    await d.store.users.recordFailure(keys, iso(d));
    return err({ code: 'invalid' });
  }
  await d.store.users.clearFailures(keys);
  if (user!.banned) return err({ code: 'banned' });
  return ok(await startSession(d, user!, client));
}

/** Mails a reset link (purpose reset) or a sign-in link (purpose login) if the address has an account; says nothing either way. */
export async function mailLink(d: Deps, rawEmail: string, purpose: 'reset' | 'login'): Promise<void> {
  const email = checkEmail(rawEmail);
  if (!email.ok) return;
  const user = await d.store.users.byEmail(email.value);
  if (!user || user.banned) return;
  await d.store.transaction(async (tx) => {
    const link = await emailLink(d, tx, purpose, user.id, purpose === 'reset' ? '/reset' : '/login/link');
    const message =
      purpose === 'reset' ? resetPasswordMessage(d.config.siteName, link, TOKEN_TTL_MIN.reset) : signInLinkMessage(d.config.siteName, link, TOKEN_TTL_MIN.login);
    await tx.outbox.enqueue({ kind: purpose, to: user.email, message, now: iso(d) });
  });
  d.mail.wake();
}

export type TokenError = { code: 'invalid_token' } | { code: 'field'; error: FieldError };

/** Redeems a confirmation or sign-in link: the address is confirmed (it received the mail) and a session starts. */
export async function redeemLink(d: Deps, token: string, purpose: 'verify' | 'login', client: Client): Promise<Result<SignedIn, TokenError>> {
  const user = await d.store.transaction(async (tx) => {
    const u = await tx.users.redeemEmailToken(tokenHash(token), purpose, iso(d));
    if (u) await tx.users.markVerified(u.id, iso(d));
    return u;
  });
  if (!user || user.banned) return err({ code: 'invalid_token' });
  return ok(await startSession(d, { ...user, emailVerified: true }, client));
}

/** The account a reset link belongs to, if the link is still good (the form is shown only then). */
export const resetTarget = (d: Deps, token: string) => d.store.users.peekEmailToken(tokenHash(token), 'reset', iso(d));

/** Sets the new password, ends every other session and signs in. */
export async function resetPassword(d: Deps, token: string, password: string, client: Client): Promise<Result<SignedIn, TokenError>> {
  const target = await resetTarget(d, token);
  if (!target) return err({ code: 'invalid_token' });
  const pw = checkPassword(password, target.email);
  if (!pw.ok) return err({ code: 'field', error: pw.error });
  const passwordHash = await hashPassword(password);
  const user = await d.store.transaction(async (tx) => {
    const u = await tx.users.redeemEmailToken(tokenHash(token), 'reset', iso(d));
    if (!u) return undefined;
    await tx.users.setPassword(u.id, passwordHash);
    await tx.users.markVerified(u.id, iso(d));
    await tx.users.deleteSessions(u.id);
    await tx.users.clearFailures([`account:${u.email}`]);
    return u;
  });
  if (!user || user.banned) return err({ code: 'invalid_token' });
  return ok(await startSession(d, user, client));
}

/** Changes the password of a signed-in user who knows the current one; other sessions end. */
export async function changePassword(d: Deps, user: User, current: string, next: string, keepToken: string): Promise<Result<void, FieldError>> {
  const stored = await d.store.users.passwordHash(user.id);
  if (stored !== undefined && !(await verifyPassword(stored, current.slice(0, 1024)))) return err({ field: 'current', message: 'That is not your current password.' });
  const pw = checkPassword(next, user.email);
  if (!pw.ok) return pw;
  await d.store.users.setPassword(user.id, await hashPassword(next));
  await d.store.users.deleteSessions(user.id, tokenHash(keepToken));
  return ok(undefined);
}

/** A personal API token: shown once, stored as a hash. "read" alone (your For you list and feed) is safe to give a feed reader. */
export const API_SCOPES = ['read', 'vote', 'submit', 'comment'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export async function createApiToken(d: Deps, user: User, name: string, scopes: ApiScope[]): Promise<string> {
  const token = `pb_${newToken()}`;
  await d.store.users.createApiToken({ userId: user.id, name: name.trim().slice(0, 80) || 'token', tokenHash: tokenHash(token), scopes, now: iso(d) });
  return token;
}

export async function apiTokenUser(d: Deps, token: string): Promise<{ user: User; scopes: string[] } | undefined> {
  const t = await d.store.users.apiToken(tokenHash(token), iso(d));
  return t && !t.user.banned ? t : undefined;
}
