// Builds the web server: plugins, THE route table (pages and /api), one error handler, one 404.
// Handlers live in routes/; this file only wires URLs to them and turns their results into replies.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors, jsonSchemaTransform, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { notFound, Problem } from './errors.ts';
import { installPageCache } from './page-cache.ts';
import {
  apiDailyQuery, apiSearchQuery, listPageQuery, pagedQuery, periodPageQuery, searchPageQuery,
} from './params.ts';
import { apiErrorSchema, apiPaperSchema, dailyItemSchema, searchItemSchema } from './present/api.ts';
import { apiDaily, apiPaperById, apiSearch } from './routes/api.ts';
import { apiDocsPage } from './routes/docs.ts';
import { latestPeriod, parsePeriod, periodPath, renderPeriod, renderTrending, requestedPeriod } from './routes/feed.ts';
import { parseFeedFile, renderFeedFor } from './routes/feeds.ts';
import { renderAuthor, renderOrganization, renderPaper, renderSearch } from './routes/papers.ts';
import type { Html } from './views/html.ts';
import { aboutPage, errorPage, subscribePage } from './views/misc-pages.ts';

const STATIC_DIR = join(import.meta.dirname, 'static');
const KATEX_DIR = dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));

const sendHtml = (reply: FastifyReply, page: Html, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page.value);
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

  // First: a cache hit replays stored headers and skips every later hook.
  installPageCache(app, {
    ttlMs: config.pageCacheSeconds * 1000,
    maxEntries: 5000,
    version: () => deps.store.dataVersion(),
    now: () => deps.clock.now().getTime(),
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"], // KaTeX positions glyphs with style attributes
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: config.publicUrl.startsWith('https:') ? { maxAge: 15_552_000 } : false,
  });
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: 3_600_000 });
  await app.register(fastifyStatic, {
    root: KATEX_DIR,
    prefix: '/static/katex/',
    decorateReply: false,
    maxAge: 86_400_000 * 30,
    immutable: true,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: `${config.siteName} API`,
        version: '1',
        description:
          'Daily research papers. Shaped like the Hugging Face papers API: scripts written for it work with a base-URL change. ' +
          'Every daily item has two dates: item.publishedAt is the day the paper was featured here; item.paper.publishedAt is its arXiv date.',
      },
      servers: [{ url: config.publicUrl }],
    },
    transform: jsonSchemaTransform,
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = { hide: true } as const;

  // ---- The route table ------------------------------------------------------------------------
  const daily = async (req: { query: z.infer<typeof periodPageQuery> }, reply: FastifyReply) => {
    const period = await requestedPeriod(deps, req.query);
    return sendHtml(reply, await renderPeriod(deps, period, req.query.sort, req.query.p));
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
        return sendHtml(reply, await renderPeriod(deps, period, req.query.sort, req.query.p));
      },
    );
  }
  r.get('/trending', { schema: { ...page, querystring: pagedQuery } }, async (req, reply) =>
    sendHtml(reply, await renderTrending(deps, req.query.p)),
  );
  r.get('/papers/:id', { schema: { ...page, params: z.object({ id: z.string() }) } }, async (req, reply) =>
    sendHtml(reply, await renderPaper(deps, req.params.id)),
  );
  r.get(
    '/papers/:archive/:number',
    { schema: { ...page, params: z.object({ archive: z.string(), number: z.string() }) } },
    async (req, reply) => sendHtml(reply, await renderPaper(deps, `${req.params.archive}/${req.params.number}`)),
  );
  r.get('/search', { schema: { ...page, querystring: searchPageQuery } }, async (req, reply) =>
    sendHtml(reply, await renderSearch(deps, req.query.q, req.query.p)),
  );
  r.get(
    '/authors/:name',
    { schema: { ...page, params: z.object({ name: z.string() }), querystring: pagedQuery } },
    async (req, reply) => sendHtml(reply, await renderAuthor(deps, req.params.name, req.query.p)),
  );
  r.get(
    '/orgs/:name',
    { schema: { ...page, params: z.object({ name: z.string() }), querystring: pagedQuery } },
    async (req, reply) => sendHtml(reply, await renderOrganization(deps, req.params.name, req.query.p)),
  );
  r.get(
    '/feeds/:file',
    {
      schema: {
        ...page,
        params: z.object({ file: z.string() }),
        querystring: z.object({ q: z.string().max(1000).optional(), name: z.string().max(300).optional() }),
      },
    },
    async (req, reply) => {
      const f = parseFeedFile(req.params.file);
      if (!f) throw notFound('No such feed: feeds are /feeds/VIEW.FORMAT, VIEW one of daily, weekly, monthly, trending, search, author, org and FORMAT one of rss, atom, json.');
      const feed = await renderFeedFor(deps, f.view, f.format, req.query);
      return reply.type(feed.type).send(feed.body);
    },
  );
  r.get('/subscribe', { schema: page }, async (_req, reply) => sendHtml(reply, subscribePage(config.siteName)));
  r.get('/about', { schema: page }, async (_req, reply) => sendHtml(reply, aboutPage(config.siteName)));

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
    async (req) => apiDaily(deps, req.query),
  );
  r.get(
    '/api/papers/search',
    {
      schema: {
        ...api,
        summary: 'Search titles, abstracts and authors (and meaning, when an embedder is configured), best match first, with why each matched.',
        querystring: apiSearchQuery,
        response: { 200: z.array(searchItemSchema), 400: apiErrorSchema },
      },
    },
    async (req) => apiSearch(deps, req.query),
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
    async (req) => apiPaperById(deps, req.params.id),
  );
  r.get('/api/papers/:archive/:number', { schema: { hide: true, params: z.object({ archive: z.string(), number: z.string() }) } },
    async (req) => apiPaperById(deps, `${req.params.archive}/${req.params.number}`),
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
    } else if (typeof (error as { statusCode?: number }).statusCode === 'number' && (error as { statusCode: number }).statusCode < 500) {
      status = (error as { statusCode: number }).statusCode;
      message = status === 404 ? 'Not found.' : 'The request could not be understood.';
    } else {
      log.error(`${req.method} ${req.url} failed`, error);
    }
    if (isApi(req)) {
      const name = status === 400 ? 'Bad Request' : status === 404 ? 'Not Found' : status < 500 ? 'Client Error' : 'Internal Server Error';
      return reply.code(status).send({ statusCode: status, error: name, message, ...(parameter ? { parameter } : {}) });
    }
    const heading = status === 404 ? 'Not found' : status < 500 ? 'That request did not work' : 'Something went wrong';
    return sendHtml(reply, errorPage(config.siteName, status, heading, message), status);
  });

  return app;
}
