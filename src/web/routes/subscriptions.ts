// Subscribing to digests and managing them: the subscribe form (the header's address field leads
// here), the confirmation link, the manage and unsubscribe pages that signed links open without a
// sign-in (one-click unsubscribe per RFC 8058 included), and saved filters in settings.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  confirmSubscription, saveFilter, setSubscriptionActive, subscribe, subscriptionLinks, updateSubscription, validSignature,
} from '../../people/subscriptions.ts';
import { addWebhook } from '../../people/webhooks.ts';
import type { Subscription } from '../../store/subscriptions.ts';
import { formCsrf } from '../auth.ts';
import { notFound, Problem } from '../errors.ts';
import { seeOther, sendHtml, toLogin } from '../reply.ts';
import { formText } from '../params.ts';
import { viewerNow } from '../viewer.ts';
import {
  confirmSubscriptionPage, manageSubscriptionPage, subscribedPage, subscribePage, unsubscribePage,
} from '../views/subscription-pages.ts';

const settingsOf = (f: unknown) => ({ frequency: formText(f, 'frequency'), weekday: formText(f, 'weekday'), hour: formText(f, 'hour'), timeZone: formText(f, 'timeZone'), query: formText(f, 'query') });
type Signed = { Params: { id: string }; Querystring: { sig?: string; saved?: string } };

export const subscribeForm = (deps: Deps) => async (req: FastifyRequest<{ Querystring: { email?: string; query?: string } }>, reply: FastifyReply) => {
  const filters = req.user ? await deps.store.subscriptions.filtersOf(req.user.id) : [];
  const values = { email: req.query.email ?? req.user?.email ?? '', query: req.query.query ?? '', timeZone: deps.config.timeZone };
  return sendHtml(reply, subscribePage(deps.config.siteName, formCsrf(deps, req, reply), { values }, filters, viewerNow(deps, req, reply)));
};

export const subscribePost = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  const input = { email: formText(req.body, 'email'), ...settingsOf(req.body) };
  const r = await subscribe(deps, input, req.user);
  if (!r.ok) {
    const filters = req.user ? await deps.store.subscriptions.filtersOf(req.user.id) : [];
    return sendHtml(reply, subscribePage(deps.config.siteName, formCsrf(deps, req, reply), { values: input, errors: r.error }, filters, viewerNow(deps, req, reply)), 400);
  }
  return sendHtml(reply, subscribedPage(deps.config.siteName, { email: r.value.email, confirmed: r.value.confirmed, manage: r.value.confirmed ? '/settings#digests-h' : undefined }, viewerNow(deps, req, reply)));
};

export const confirmForm = (deps: Deps) => async (req: FastifyRequest<{ Querystring: { token?: string } }>, reply: FastifyReply) =>
  sendHtml(reply, confirmSubscriptionPage(deps.config.siteName, formCsrf(deps, req, reply), req.query.token ?? ''));

export const confirm = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  const s = await confirmSubscription(deps, formText(req.body, 'token'));
  if (!s) throw new Problem('gone', 'This confirmation link has expired or was already used.', 'token');
  return sendHtml(reply, subscribedPage(deps.config.siteName, { email: s.email, confirmed: true, manage: subscriptionLinks(deps, s.id).manage }));
};

/** The subscription a signed link names; a wrong or missing signature is a 404 (it names nothing). */
async function signed(deps: Deps, req: FastifyRequest<Signed>): Promise<Subscription> {
  const id = Number(req.params.id);
  const s = Number.isSafeInteger(id) ? await deps.store.subscriptions.byId(id) : undefined;
  if (!s || !validSignature(deps, s.id, req.query.sig ?? '')) throw notFound('This subscription link is not valid (it may have been mistyped).');
  return s;
}
const here = (s: Subscription, sig: string, tail = '') => `/subscriptions/${s.id}${tail}?sig=${encodeURIComponent(sig)}`;

const SAVED: Record<string, string> = { settings: 'Saved.', resumed: 'Digests start again.', unsubscribed: 'Unsubscribed: no more digests.' };

export const managePage = (deps: Deps) => async (req: FastifyRequest<Signed>, reply: FastifyReply) => {
  const s = await signed(deps, req);
  return sendHtml(reply, manageSubscriptionPage(deps.config.siteName, formCsrf(deps, req, reply), s, here(s, req.query.sig!), {}, SAVED[req.query.saved ?? '']));
};

export const manage = (deps: Deps) => async (req: FastifyRequest<Signed>, reply: FastifyReply) => {
  const s = await signed(deps, req);
  const action = formText(req.body, 'action');
  if (action === 'unsubscribe' || action === 'resume') {
    await setSubscriptionActive(deps, s.id, action === 'resume');
    return seeOther(reply, `${here(s, req.query.sig!)}&saved=${action === 'resume' ? 'resumed' : 'unsubscribed'}`);
  }
  const r = await updateSubscription(deps, s.id, settingsOf(req.body));
  if (!r.ok) return sendHtml(reply, manageSubscriptionPage(deps.config.siteName, formCsrf(deps, req, reply), s, here(s, req.query.sig!), { values: settingsOf(req.body), errors: r.error }), 400);
  return seeOther(reply, `${here(s, req.query.sig!)}&saved=settings`);
};

export const unsubscribeForm = (deps: Deps) => async (req: FastifyRequest<Signed>, reply: FastifyReply) => {
  const s = await signed(deps, req);
  return sendHtml(reply, unsubscribePage(deps.config.siteName, formCsrf(deps, req, reply), here(s, req.query.sig!, '/unsubscribe'), s.email, s.status === 'unsubscribed'));
};

/** POST: the page's button, or a mail provider's one-click request (List-Unsubscribe=One-Click), which carries no cookie. */
export const unsubscribe = (deps: Deps) => async (req: FastifyRequest<Signed>, reply: FastifyReply) => {
  const s = await signed(deps, req);
  await setSubscriptionActive(deps, s.id, false);
  return sendHtml(reply, unsubscribePage(deps.config.siteName, { csrf: '' }, '', s.email, true));
};

export const addFilter = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const r = await saveFilter(deps, req.user, formText(req.body, 'name'), formText(req.body, 'query'));
  if (!r.ok) throw new Problem('invalid_parameter', r.error.map((e) => e.message).join(' '), r.error[0]!.field);
  return seeOther(reply, '/settings#filters-h');
};

export const deleteFilter = (deps: Deps) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  await deps.store.subscriptions.deleteFilter(req.user.id, Number(req.params.id));
  return seeOther(reply, '/settings#filters-h');
};

export const addHook = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const r = await addWebhook(deps, req.user, Number(formText(req.body, 'filter')), formText(req.body, 'url'));
  if (!r.ok) throw new Problem('invalid_parameter', r.error.message, r.error.field);
  return seeOther(reply, '/settings#webhooks-h');
};

export const hookAction = (deps: Deps, action: 'delete' | 'enable' | 'disable') => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const id = Number(req.params.id);
  if (action === 'delete') await deps.store.webhooks.remove(req.user.id, id);
  else await deps.store.webhooks.setActive(req.user.id, id, action === 'enable');
  return seeOther(reply, '/settings#webhooks-h');
};
