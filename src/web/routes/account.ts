// Account pages: sign up, confirm, log in and out (password or emailed link), reset, settings.
// Each handler parses the form, calls one action of people/accounts.ts and answers with a page or a
// 303 redirect. Answers never reveal whether an address has an account.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { type Client, changePassword, createApiToken, API_SCOPES, type ApiScope, endSession, logIn, mailLink, redeemLink, resendVerification, resetPassword, resetTarget, type SignedIn, signUp } from '../../people/accounts.ts';
import { displayName } from '../../domain/user.ts';
import { tokenHash } from '../../people/secrets.ts';
import { subscriptionLinks } from '../../people/subscriptions.ts';
import { cookieOptions, formCsrf, SESSION_COOKIE } from '../auth.ts';
import { Problem } from '../errors.ts';
import { localPath, seeOther, sendHtml, toLogin } from '../reply.ts';
import { formList, formText } from '../params.ts';
import { viewerOf, who } from '../viewer.ts';
import {
  checkInboxPage, confirmLinkPage, loginPage, requestLinkPage, settingsPage, signupPage,
} from '../views/account-pages.ts';


export const client = (req: FastifyRequest): Client => ({ ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300) });

function signIn(deps: Deps, reply: FastifyReply, s: SignedIn, next: string | undefined) {
  reply.setCookie(SESSION_COOKIE, s.sessionToken, cookieOptions(deps, deps.config.sessionDays * 86_400));
  return seeOther(reply, localPath(next) ?? '/');
}

const site = (deps: Deps) => deps.config.siteName;
const csrf = formCsrf;

export const signupForm = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) =>
  req.user ? seeOther(reply, '/') : sendHtml(reply, signupPage(site(deps), csrf(deps, req, reply)));

export const signup = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  const f = req.body;
  const input = { email: formText(f, 'email'), password: formText(f, 'password'), handle: formText(f, 'handle'), displayName: formText(f, 'displayName') };
  const r = await signUp(deps, input);
  if (!r.ok) {
    const values = { email: input.email, handle: input.handle, displayName: input.displayName };
    return sendHtml(reply, signupPage(site(deps), csrf(deps, req, reply), { values, errors: r.error }), 400);
  }
  return sendHtml(reply, checkInboxPage(site(deps), r.value.email, 'follow the link in it to confirm your address and sign in.'));
};

export const loginForm = (deps: Deps) => async (req: FastifyRequest<{ Querystring: { next?: string } }>, reply: FastifyReply) =>
  req.user ? seeOther(reply, localPath(req.query.next) ?? '/') : sendHtml(reply, loginPage(site(deps), csrf(deps, req, reply), localPath(req.query.next)));

export const login = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  const email = formText(req.body, 'email');
  const next = localPath(formText(req.body, 'next'));
  const r = await logIn(deps, email, formText(req.body, 'password'), client(req));
  if (r.ok) return signIn(deps, reply, r.value, next);
  const message =
    r.error.code === 'wait'
      ? `Too many failed attempts: wait ${r.error.seconds} seconds before trying again.`
      : r.error.code === 'banned'
        ? 'This account has been suspended.'
        : 'That email address and password do not match an account.';
  if (r.error.code === 'wait') reply.header('retry-after', String(r.error.seconds));
  return sendHtml(reply, loginPage(site(deps), csrf(deps, req, reply), next, { values: { email }, message }), r.error.code === 'wait' ? 429 : 401);
};

export const logout = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (req.user && req.sessionToken) await endSession(deps, req.user.id, req.sessionToken);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  return seeOther(reply, '/');
};

/** GET /login/link and /reset: without a token, the form asking for an address; with one, the page that redeems it. */
export const linkPage = (deps: Deps, purpose: 'login' | 'reset') => async (req: FastifyRequest<{ Querystring: { token?: string } }>, reply: FastifyReply) => {
  const token = req.query.token;
  if (!token) return sendHtml(reply, requestLinkPage(site(deps), csrf(deps, req, reply), purpose));
  if (purpose === 'login') {
    return sendHtml(reply, confirmLinkPage(site(deps), csrf(deps, req, reply), { title: 'Sign in', text: 'Sign in to your account on this device.', action: '/login/link/redeem', token, button: 'Sign in' }));
  }
  const target = await resetTarget(deps, token);
  if (!target) throw new Problem('gone', 'This reset link has expired or was already used. Ask for a new one at /reset.');
  return sendHtml(reply, confirmLinkPage(site(deps), csrf(deps, req, reply), { title: 'Choose a new password', text: `For ${target.email}.`, action: '/reset/confirm', token, button: 'Set password', password: {} }));
};

export const sendLink = (deps: Deps, purpose: 'login' | 'reset') => async (req: FastifyRequest, reply: FastifyReply) => {
  const email = formText(req.body, 'email').trim();
  await mailLink(deps, email, purpose);
  return sendHtml(reply, checkInboxPage(site(deps), email, purpose === 'login' ? 'the link in it signs you in.' : 'the link in it lets you choose a new password.'));
};

export const verifyPage = (deps: Deps) => async (req: FastifyRequest<{ Querystring: { token?: string } }>, reply: FastifyReply) => {
  const token = req.query.token ?? '';
  return sendHtml(reply, confirmLinkPage(site(deps), csrf(deps, req, reply), { title: 'Confirm your email address', text: 'One click and your account is ready.', action: '/verify', token, button: 'Confirm my address' }));
};

export const redeem = (deps: Deps, purpose: 'verify' | 'login') => async (req: FastifyRequest, reply: FastifyReply) => {
  const r = await redeemLink(deps, formText(req.body, 'token'), purpose, client(req));
  if (!r.ok) throw new Problem('gone', 'This link has expired or was already used. Ask for a new one.', 'token');
  return signIn(deps, reply, r.value, '/');
};

export const reset = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  const token = formText(req.body, 'token');
  const r = await resetPassword(deps, token, formText(req.body, 'password'), client(req));
  if (r.ok) return signIn(deps, reply, r.value, '/');
  if (r.error.code === 'invalid_token') throw new Problem('gone', 'This reset link has expired or was already used. Ask for a new one at /reset.', 'token');
  const page = confirmLinkPage(site(deps), csrf(deps, req, reply), { title: 'Choose a new password', text: 'Try another password.', action: '/reset/confirm', token, button: 'Set password', password: { errors: [r.error.error] } });
  return sendHtml(reply, page, 400);
};

// ---- settings (signed in) ----

async function renderSettings(deps: Deps, req: FastifyRequest, reply: FastifyReply, extra: { saved?: string; newToken?: string; state?: { errors: { field: string; message: string }[] } } = {}, status = 200) {
  const u = req.user!;
  const now = deps.clock.now().toISOString();
  const current = tokenHash(req.sessionToken ?? '');
  const [sessions, tokens, orgs, claims, viewer, fresh, filters, digests, hooks] = await Promise.all([
    deps.store.users.sessionsOf(u.id, now),
    deps.store.users.apiTokensOf(u.id),
    deps.store.organizations.ofUser(u.id),
    deps.store.moderation.claimsOf(u.id),
    viewerOf(deps, who(deps, req, reply)),
    deps.store.users.byId(u.id),
    deps.store.subscriptions.filtersOf(u.id),
    deps.store.subscriptions.ofUser(u.id, u.emailVerified ? u.email : undefined),
    deps.store.webhooks.ofUser(u.id),
  ]);
  const webhooks = await Promise.all(hooks.map(async (h) => ({ ...h, log: await deps.store.webhooks.log(h.id, 10) })));
  return sendHtml(
    reply,
    settingsPage(site(deps), {
      viewer: viewer!,
      email: u.email,
      displayName: fresh?.displayName ?? u.displayName,
      upvotesPublic: fresh?.upvotesPublic ?? u.upvotesPublic,
      hasPassword: u.hasPassword,
      // Sessions are named by a prefix of their stored hash: the page never holds a usable token.
      sessions: sessions.map((s) => ({ ...s, current: s.idHash === current, id: s.idHash.slice(0, 16) })),
      tokens,
      orgs,
      claims,
      filters,
      digests: digests.map((d) => ({ ...d, manage: subscriptionLinks(deps, d.id).manage })),
      webhooks,
      ...extra,
    }),
    status,
  );
}

export const settings = (deps: Deps) => async (req: FastifyRequest<{ Querystring: { saved?: string } }>, reply: FastifyReply) =>
  req.user ? renderSettings(deps, req, reply, { saved: SAVED[req.query.saved ?? ''] }) : toLogin(reply, req);

export const saveProfile = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  await deps.store.users.setProfile(req.user.id, { displayName: displayName(formText(req.body, 'displayName'), req.user.handle), upvotesPublic: formText(req.body, 'upvotesPublic') === '1' });
  return seeOther(reply, '/settings?saved=profile');
};

export const savePassword = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const r = await changePassword(deps, req.user, formText(req.body, 'current'), formText(req.body, 'password'), req.sessionToken ?? '');
  if (!r.ok) return renderSettings(deps, req, reply, { state: { errors: [r.error] } }, 400);
  return seeOther(reply, '/settings?saved=password');
};

export const revokeSession = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const prefix = formText(req.body, 'id');
  const mine = await deps.store.users.sessionsOf(req.user.id, deps.clock.now().toISOString());
  const target = prefix.length === 16 ? mine.find((s) => s.idHash.startsWith(prefix)) : undefined;
  if (target) await deps.store.users.deleteSession(req.user.id, target.idHash);
  return seeOther(reply, '/settings?saved=sessions');
};

export const newApiToken = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const scopes = formList(req.body, 'scope').filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0) return renderSettings(deps, req, reply, { saved: 'Choose at least one scope for the token.' }, 400);
  const token = await createApiToken(deps, req.user, formText(req.body, 'name'), scopes);
  return renderSettings(deps, req, reply, { newToken: token });
};

export const revokeApiToken = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  await deps.store.users.revokeApiToken(req.user.id, Number(formText(req.body, 'id')), deps.clock.now().toISOString());
  return seeOther(reply, '/settings?saved=tokens');
};

export const resendVerify = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  await resendVerification(deps, req.user);
  return sendHtml(reply, checkInboxPage(site(deps), req.user.email, 'follow the link in it to confirm your address.'));
};

const SAVED: Record<string, string> = {
  profile: 'Profile saved.',
  password: 'Password changed; your other sessions were signed out.',
  sessions: 'Session signed out.',
  tokens: 'Token revoked.',
};
