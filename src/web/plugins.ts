// The server's plugins, in the order they must run: the page cache first (a hit replays stored
// headers and skips every later hook), security headers, cookies, forms, rate limits, sign-in and
// CSRF (auth.ts), static files (ours and KaTeX's fonts), and the OpenAPI document built from the
// route table's schemas. app.ts calls this before it declares the routes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimitPlugin from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.ts';
import { installAuth } from './auth.ts';
import { Problem } from './errors.ts';
import { limitStoreOptions } from './limits.ts';
import { installPageCache } from './page-cache.ts';

const STATIC_DIR = join(import.meta.dirname, 'static');
const KATEX_DIR = dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));

export async function installPlugins(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config } = deps;
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
    // Links out carry no referrer; forms posted here carry their origin (no-referrer would send "null").
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 65_536 });
  await app.register(rateLimitPlugin, {
    global: false,
    // Shared by all nodes through Redis or PostgreSQL; one SQLite process keeps them in memory.
    ...limitStoreOptions(app, deps),
    errorResponseBuilder: (_req, ctx) => new Problem('too_many_requests', `Too many requests: try again in ${ctx.after}.`),
  });
  installAuth(app, deps);
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
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token from Settings (scopes: read, vote, submit, comment). Browsers may instead send their session cookie with the X-CSRF-Token header.' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
}
