// Builds the web server: its plugins (plugins.ts), THE route table (pages and /api), one error
// handler, one 404. Handlers live in routes/; this file only wires URLs to them and turns their
// results into replies.
import Fastify, { type FastifyInstance, LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { notFound, Problem } from './errors.ts';
import { type LimitName, rateLimit } from './limits.ts';
import {
  apiDailyQuery, apiSearchQuery, forYouQuery, listingQuery, listPageQuery, pagedQuery, periodPageQuery, searchPageQuery, suggestionsQuery,
} from './params.ts';
import {
  apiCommentSchema, apiErrorSchema, apiPaperSchema, dailyItemSchema, recommendationItemSchema, searchItemSchema, voteResultSchema,
} from './present/api.ts';
import * as account from './routes/account.ts';
import * as admin from './routes/admin.ts';
import { apiComments, apiDaily, apiForYou, apiPaperById, apiPostComment, apiSearch, apiSubmit, apiVote } from './routes/api.ts';
import * as community from './routes/community.ts';
import * as subscriptions from './routes/subscriptions.ts';
import { trackRequests } from './inflight.ts';
import { installPlugins } from './plugins.ts';
import { apiDocsPage } from './routes/docs.ts';
import { latestPeriod, parsePeriod, periodPath, renderPeriod, renderTrending, requestedPeriod } from './routes/feed.ts';
import { parseFeedFile, renderFeedFor } from './routes/feeds.ts';
import { renderForYou } from './routes/for-you.ts';
import { renderAuthor, renderOrganization, renderOrgDirectory, renderPaper, renderSearch, renderSuggestions } from './routes/papers.ts';
import { sendHtml } from './reply.ts';
import { readsFor, viewerNow, who } from './viewer.ts';
import { aboutPage, errorPage } from './views/misc-pages.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 502: 'Bad Gateway',
};
const isApi = (req: FastifyRequest) => req.url.startsWith('/api/');

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const { config, log } = deps;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    routerOptions: { maxParamLength: 500 },
    bodyLimit: 1_048_576,
  });
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API; presenters already build exactly those shapes.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  trackRequests(app);
  await installPlugins(app, deps);

  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = { hide: true } as const;

  // ---- The route table ------------------------------------------------------------------------
  const daily = async (req: FastifyRequest<{ Querystring: z.infer<typeof periodPageQuery> }>, reply: FastifyReply) => {
    const period = await requestedPeriod(deps, req.query);
    return sendHtml(reply, await renderPeriod(deps, period, req.query.sort, req.query.p, who(deps, req, reply)));
  };
  r.get('/', { schema: { ...page, querystring: periodPageQuery } }, daily);
  r.get('/papers', { schema: { ...page, querystring: periodPageQuery } }, daily);
  for (const kind of ['day', 'week', 'month'] as const) {
    const segment = kind === 'day' ? 'date' : kind;
    r.get(`/papers/${segment}`, { schema: page }, async (_req, reply) =>
      reply.redirect(periodPath(await latestPeriod(deps, kind)), 302),
    );
    r.get(
      `/papers/${segment}/:key`,
      { schema: { ...page, params: z.object({ key: z.string() }), querystring: listPageQuery } },
      async (req, reply) => {
        const period = parsePeriod(kind, req.params.key);
        if (!period) {
          const expected = { day: 'a date YYYY-MM-DD', week: 'an ISO week YYYY-Www', month: 'a month YYYY-MM' }[kind];
          throw new Problem('invalid_parameter', `“${req.params.key.slice(0, 40)}” is not ${expected}.`, segment);
        }
        return sendHtml(reply, await renderPeriod(deps, period, req.query.sort, req.query.p, who(deps, req, reply)));
      },
    );
  }
  r.get('/trending', { schema: { ...page, querystring: pagedQuery } }, async (req, reply) =>
    sendHtml(reply, await renderTrending(deps, req.query.p, who(deps, req, reply))),
  );
  r.get('/papers/:id', { schema: { ...page, params: z.object({ id: z.string() }) } }, async (req, reply) =>
    sendHtml(reply, await renderPaper(deps, req.params.id, who(deps, req, reply))),
  );
  r.get(
    '/papers/:archive/:number',
    { schema: { ...page, params: z.object({ archive: z.string(), number: z.string() }) } },
    async (req, reply) => sendHtml(reply, await renderPaper(deps, `${req.params.archive}/${req.params.number}`, who(deps, req, reply))),
  );
  r.get('/search', { schema: { ...page, querystring: searchPageQuery } }, async (req, reply) =>
    sendHtml(reply, await renderSearch(deps, req.query.q, req.query.p, who(deps, req, reply))),
  );
  r.get('/search/suggestions', { schema: { ...page, querystring: suggestionsQuery } }, async (req, reply) =>
    sendHtml(reply, await renderSuggestions(deps, req.query.q)),
  );
  r.get(
    '/authors/:name',
    { schema: { ...page, params: z.object({ name: z.string() }), querystring: listingQuery } },
    async (req, reply) => sendHtml(reply, await renderAuthor(deps, req.params.name, req.query, who(deps, req, reply))),
  );
  r.get('/orgs', { schema: page }, async (req, reply) => sendHtml(reply, await renderOrgDirectory(deps, who(deps, req, reply))));
  r.get(
    '/orgs/:name',
    { schema: { ...page, params: z.object({ name: z.string() }), querystring: listingQuery } },
    async (req, reply) => sendHtml(reply, await renderOrganization(deps, req.params.name, req.query, who(deps, req, reply))),
  );
  r.get(
    '/feeds/:file',
    {
      schema: {
        ...page,
        params: z.object({ file: z.string() }),
        querystring: z.object({ q: z.string().max(1000).optional(), name: z.string().max(300).optional(), token: z.string().max(100).optional() }),
      },
    },
    async (req, reply) => {
      const f = parseFeedFile(req.params.file);
      if (!f) throw notFound('No such feed: feeds are /feeds/VIEW.FORMAT, VIEW one of daily, weekly, monthly, trending, search, author, org, filter, foryou and FORMAT one of rss, atom, json.');
      const feed = await renderFeedFor(deps, readsFor(deps, req), f.view, f.format, req.query);
      // A feed whose address holds a token is one reader's: kept out of shared caches (and the page
      // cache), so a revoked token or a deleted filter stops it at once.
      if (f.view === 'foryou' || f.view === 'filter') reply.header('cache-control', 'private, no-store');
      return reply.type(feed.type).send(feed.body);
    },
  );
  r.get('/about', { schema: page }, async (req, reply) => sendHtml(reply, aboutPage(config.siteName, viewerNow(deps, req, reply))));
  r.get('/for-you', { schema: { ...page, querystring: forYouQuery } }, async (req, reply) =>
    sendHtml(reply, await renderForYou(deps, req.query.days, who(deps, req, reply))),
  );

  // People: accounts, votes, submissions, comments, organizations, moderation. Forms post here;
  // every POST passes the CSRF check in auth.ts first, and handlers check who may do what.
  const limit = (name: LimitName) => rateLimit(name, config.rateLimitFactor);
  const tokenQuery = { ...page, querystring: z.object({ token: z.string().max(200).optional() }) };
  const nextQuery = { ...page, querystring: z.object({ next: z.string().max(1000).optional() }) };
  const idParams = { ...page, params: z.object({ id: z.string().max(300) }) };
  const nameParams = { ...page, params: z.object({ name: z.string().max(100) }) };
  r.get('/signup', { schema: page }, account.signupForm(deps));
  r.post('/signup', { schema: page, config: limit('signup') }, account.signup(deps));
  r.get('/verify', { schema: tokenQuery }, account.verifyPage(deps));
  r.post('/verify', { schema: page, config: limit('login') }, account.redeem(deps, 'verify'));
  r.get('/login', { schema: nextQuery }, account.loginForm(deps));
  r.post('/login', { schema: page, config: limit('login') }, account.login(deps));
  r.post('/logout', { schema: page }, account.logout(deps));
  r.get('/login/link', { schema: tokenQuery }, account.linkPage(deps, 'login'));
  r.post('/login/link', { schema: page, config: limit('mail') }, account.sendLink(deps, 'login'));
  r.post('/login/link/redeem', { schema: page, config: limit('login') }, account.redeem(deps, 'login'));
  r.get('/reset', { schema: tokenQuery }, account.linkPage(deps, 'reset'));
  r.post('/reset', { schema: page, config: limit('mail') }, account.sendLink(deps, 'reset'));
  r.post('/reset/confirm', { schema: page, config: limit('login') }, account.reset(deps));
  r.get('/settings', { schema: { ...page, querystring: z.object({ saved: z.string().max(20).optional() }) } }, account.settings(deps));
  r.post('/settings/profile', { schema: page, config: limit('write') }, account.saveProfile(deps));
  r.post('/settings/password', { schema: page, config: limit('login') }, account.savePassword(deps));
  r.post('/settings/sessions/revoke', { schema: page, config: limit('write') }, account.revokeSession(deps));
  r.post('/settings/tokens', { schema: page, config: limit('write') }, account.newApiToken(deps));
  r.post('/settings/tokens/revoke', { schema: page, config: limit('write') }, account.revokeApiToken(deps));
  r.post('/settings/verify', { schema: page, config: limit('mail') }, account.resendVerify(deps));
  r.get('/submit', { schema: page }, community.submitForm(deps));
  r.post('/submit', { schema: page, config: limit('submit') }, community.submit(deps));
  r.post('/papers/:id/upvote', { schema: idParams, config: limit('vote') }, community.upvote(deps));
  r.post('/papers/:id/comments', { schema: idParams, config: limit('comment') }, community.comment(deps));
  r.post('/papers/:id/claim', { schema: idParams, config: limit('write') }, community.claimPaper(deps));
  r.post('/papers/:id/organization', { schema: idParams, config: limit('write') }, community.tagOrganization(deps));
  r.post('/comments/:id/edit', { schema: idParams, config: limit('comment') }, community.commentAction(deps, 'edit'));
  r.post('/comments/:id/delete', { schema: idParams, config: limit('write') }, community.commentAction(deps, 'delete'));
  r.post('/comments/:id/report', { schema: idParams, config: limit('write') }, community.commentAction(deps, 'report'));
  r.get('/users/:handle', { schema: { ...page, params: z.object({ handle: z.string().max(100) }) } }, community.profile(deps));
  r.get('/orgs/new', { schema: page }, community.newOrgForm(deps));
  r.post('/orgs', { schema: page, config: limit('write') }, community.createOrg(deps));
  r.post('/orgs/:name/claim', { schema: nameParams, config: limit('write') }, community.claimOrg(deps));
  r.post('/orgs/:name/members', { schema: nameParams, config: limit('write') }, community.orgMembers(deps));
  const signedQuery = { ...page, params: z.object({ id: z.string().max(20) }), querystring: z.object({ sig: z.string().max(100).optional(), saved: z.string().max(20).optional() }) };
  r.get('/subscribe', { schema: { ...page, querystring: z.object({ email: z.string().max(254).optional(), query: z.string().max(1000).optional() }) } }, subscriptions.subscribeForm(deps));
  r.post('/subscribe', { schema: page, config: limit('mail') }, subscriptions.subscribePost(deps));
  r.get('/subscriptions/confirm', { schema: tokenQuery }, subscriptions.confirmForm(deps));
  r.post('/subscriptions/confirm', { schema: page, config: limit('login') }, subscriptions.confirm(deps));
  r.get('/subscriptions/:id', { schema: signedQuery }, subscriptions.managePage(deps));
  r.post('/subscriptions/:id', { schema: signedQuery, config: limit('write') }, subscriptions.manage(deps));
  r.get('/subscriptions/:id/unsubscribe', { schema: signedQuery }, subscriptions.unsubscribeForm(deps));
  r.post('/subscriptions/:id/unsubscribe', { schema: signedQuery, config: { ...limit('write'), csrf: false } }, subscriptions.unsubscribe(deps));
  r.post('/settings/filters', { schema: page, config: limit('write') }, subscriptions.addFilter(deps));
  r.post('/settings/filters/:id/delete', { schema: idParams, config: limit('write') }, subscriptions.deleteFilter(deps));
  r.post('/settings/webhooks', { schema: page, config: limit('write') }, subscriptions.addHook(deps));
  for (const action of ['delete', 'enable', 'disable'] as const) {
    r.post(`/settings/webhooks/:id/${action}`, { schema: idParams, config: limit('write') }, subscriptions.hookAction(deps, action));
  }
  r.get('/admin', { schema: page }, admin.desk(deps));
  r.post('/admin/papers/:id/hide', { schema: idParams }, admin.hidePaper(deps, true));
  r.post('/admin/papers/:id/show', { schema: idParams }, admin.hidePaper(deps, false));
  r.post('/admin/comments/:id/hide', { schema: idParams }, admin.hideComment(deps, true));
  r.post('/admin/comments/:id/show', { schema: idParams }, admin.hideComment(deps, false));
  r.post('/admin/users/ban', { schema: page }, admin.ban(deps));
  r.post('/admin/claims/:id', { schema: idParams }, admin.claim(deps));

  const api = { tags: ['papers'] };
  r.get(
    '/api/daily_papers',
    {
      schema: {
        ...api,
        summary: 'Papers featured on a day, in an ISO week or in a month (default: the newest featured day).',
        querystring: apiDailyQuery,
        response: { 200: z.array(dailyItemSchema), 400: apiErrorSchema },
      },
    },
    async (req) => apiDaily(deps, readsFor(deps, req), req.query),
  );
  r.get(
    '/api/papers/search',
    {
      schema: {
        ...api,
        summary: 'Search titles, abstracts and authors (and meaning, when an embedder is configured), best match first, with why each matched.',
        description:
          'When a word of the query is in no paper and a word near it in spelling is, the `X-Did-You-Mean` header holds the query spelled that way (URL-encoded).',
        querystring: apiSearchQuery,
        response: { 200: z.array(searchItemSchema), 400: apiErrorSchema },
      },
    },
    async (req, reply) => apiSearch(deps, req.query, reply),
  );
  r.get(
    '/api/papers/:id',
    {
      schema: {
        ...api,
        summary: 'One paper by arXiv id (any version or URL form) or local id.',
        params: z.object({ id: z.string().describe('arXiv id, e.g. 2606.01234 or 2606.01234v2') }),
        response: { 200: apiPaperSchema, 404: apiErrorSchema },
      },
    },
    async (req) => apiPaperById(deps, readsFor(deps, req), req.params.id),
  );
  r.get('/api/papers/:archive/:number', { schema: { hide: true, params: z.object({ archive: z.string(), number: z.string() }) } },
    async (req) => apiPaperById(deps, readsFor(deps, req), `${req.params.archive}/${req.params.number}`),
  );
  r.get(
    '/api/for-you',
    {
      schema: {
        tags: ['papers'],
        security: [{ bearer: [] }],
        summary: 'Papers related to your upvotes, each with the upvoted papers that brought it (any API token).',
        querystring: forYouQuery,
        response: { 200: z.array(recommendationItemSchema), 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (req) => apiForYou(deps, req, req.query.days),
  );
  const write = { tags: ['community'], security: [{ bearer: [] }] };
  const paperParams = z.object({ id: z.string().max(300).describe('arXiv id, e.g. 2606.01234') });
  r.post(
    '/api/papers/:id/upvote',
    { schema: { ...write, summary: 'Upvote a paper (idempotent). Scope: vote.', params: paperParams, response: { 200: voteResultSchema, 401: apiErrorSchema, 404: apiErrorSchema } }, config: limit('vote') },
    async (req) => apiVote(deps, req, req.params.id, true),
  );
  r.delete(
    '/api/papers/:id/upvote',
    { schema: { ...write, summary: 'Take back your upvote (idempotent). Scope: vote.', params: paperParams, response: { 200: voteResultSchema, 401: apiErrorSchema, 404: apiErrorSchema } }, config: limit('vote') },
    async (req) => apiVote(deps, req, req.params.id, false),
  );
  r.post(
    '/api/submissions',
    {
      schema: {
        ...write,
        summary: 'Submit a paper by arXiv id or URL; it is fetched from arXiv and featured today. Scope: submit.',
        body: z.object({ id: z.string().min(1).max(300).describe('arXiv id or abs/pdf URL') }),
        response: { 201: apiPaperSchema, 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 409: apiErrorSchema, 429: apiErrorSchema },
      },
      config: limit('submit'),
    },
    async (req, reply) => apiSubmit(deps, req, reply, req.body.id),
  );
  r.get(
    '/api/papers/:id/comments',
    { schema: { tags: ['community'], summary: 'The discussion of a paper, oldest first (parentId links replies).', params: paperParams, response: { 200: z.array(apiCommentSchema), 404: apiErrorSchema } } },
    async (req) => apiComments(deps, req.params.id),
  );
  r.post(
    '/api/papers/:id/comments',
    {
      schema: {
        ...write,
        summary: 'Comment on a paper, or reply to a comment. Markdown with $math$. Scope: comment.',
        params: paperParams,
        body: z.object({ body: z.string().min(1).max(10_000), parentId: z.number().int().positive().optional() }),
        response: { 201: apiCommentSchema, 400: apiErrorSchema, 401: apiErrorSchema, 404: apiErrorSchema },
      },
      config: limit('comment'),
    },
    async (req, reply) => apiPostComment(deps, req, reply, req.params.id, req.body),
  );
  r.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  r.get('/api/docs', { schema: page }, async (_req, reply) =>
    sendHtml(reply, apiDocsPage(config.siteName, app.swagger() as unknown as Parameters<typeof apiDocsPage>[1])),
  );
  r.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  r.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send('User-agent: *\nDisallow: /search\nDisallow: /api/\n'),
  );
  // ---------------------------------------------------------------------------------------------

  app.setNotFoundHandler((req, reply) => {
    if (isApi(req)) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
    return sendHtml(reply, errorPage(config.siteName, 404, 'Page not found', 'There is nothing at this address.'), 404);
  });

  app.setErrorHandler((error, req, reply) => {
    let status = 500;
    let message = 'Something went wrong on our side. It has been logged.';
    let parameter: string | undefined;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0]!;
      status = 400;
      parameter = first.instancePath.replace(/^\//, '').split('/')[0] || undefined;
      message = parameter ? `${parameter} ${first.message}` : first.message;
    } else if (error instanceof Problem) {
      status = error.status;
      message = error.message;
      parameter = error.parameter;
      if (status === 401 && !isApi(req)) return reply.redirect(`/login?next=${encodeURIComponent(req.url.slice(0, 1000))}`, 303);
    } else if (typeof (error as { statusCode?: number }).statusCode === 'number' && (error as { statusCode: number }).statusCode < 500) {
      status = (error as { statusCode: number }).statusCode;
      message = status === 404 ? 'Not found.' : 'The request could not be understood.';
    } else {
      log.error(`${req.method} ${req.url} failed`, error);
    }
    if (isApi(req)) {
      const name = STATUS_NAMES[status] ?? (status < 500 ? 'Client Error' : 'Internal Server Error');
      return reply.code(status).send({ statusCode: status, error: name, message, ...(parameter ? { parameter } : {}) });
    }
    const heading = status === 404 ? 'Not found' : status === 410 ? 'Gone' : status === 403 ? 'Not allowed' : status < 500 ? 'That request did not work' : 'Something went wrong';
    return sendHtml(reply, errorPage(config.siteName, status, heading, message, viewerNow(deps, req, reply)), status);
  });

  return app;
}
