// Who is asking, and whether a write may proceed: the session cookie or a personal API token sets
// req.user; every state-changing request must carry a CSRF token (a form field or the X-CSRF-Token
// header) unless it authenticates with an API token (no cookie, so nothing to forge). Tokens are
// HMACs of the session (signed in) or of a random per-browser cookie (signed out: login, sign-up),
// compared in constant time. A request whose Origin is another site is refused outright.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { User } from '../domain/user.ts';
import { apiTokenUser, sessionUser } from '../people/accounts.ts';
import { newToken, safeEqual, sign, tokenHash } from '../people/secrets.ts';
import { Problem } from './errors.ts';

export const SESSION_COOKIE = 'pb_session';
export const CSRF_COOKIE = 'pb_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route is authenticated by a signature in its URL and takes posts without a CSRF token. */
    csrf?: boolean;
  }
  interface FastifyRequest {
    user: User | undefined;
    sessionToken: string | undefined;
    /** Set when the request authenticated with a personal API token: what it may do. */
    apiScopes: string[] | undefined;
    /** A browser cookie minted during this request (sent back by csrfToken()). */
    newCsrfCookie: string | undefined;
  }
}

export function cookieOptions(deps: Deps, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.publicUrl.startsWith('https:'),
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** The CSRF token for forms on this response (sets the per-browser cookie when a signed-out browser has none). */
export function csrfToken(deps: Deps, req: FastifyRequest, reply: FastifyReply): string {
  // A page carrying a token is for this browser only: no shared cache may keep it.
  reply.header('cache-control', 'private, no-store');
  if (req.sessionToken) return sign(deps.secret, `s:${tokenHash(req.sessionToken)}`);
  let browser = req.cookies[CSRF_COOKIE] ?? req.newCsrfCookie;
  if (!browser) {
    browser = newToken();
    req.newCsrfCookie = browser;
    reply.setCookie(CSRF_COOKIE, browser, cookieOptions(deps));
  }
  return sign(deps.secret, `a:${browser}`);
}

/** The token of a page's forms, as the form views take it. */
export const formCsrf = (deps: Deps, req: FastifyRequest, reply: FastifyReply): { csrf: string } => ({ csrf: csrfToken(deps, req, reply) });

function expectedCsrf(deps: Deps, req: FastifyRequest): string | undefined {
  if (req.sessionToken) return sign(deps.secret, `s:${tokenHash(req.sessionToken)}`);
  const browser = req.cookies[CSRF_COOKIE];
  return browser ? sign(deps.secret, `a:${browser}`) : undefined;
}

function sameOrigin(deps: Deps, req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  // No Origin (old clients, scripts) or "null" (privacy settings, sandboxes): the token decides.
  if (!origin || origin === 'null') return true;
  const host = req.headers.host;
  try {
    const o = new URL(origin);
    return o.host === host || o.origin === new URL(deps.config.publicUrl).origin;
  } catch {
    return false;
  }
}

export function installAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('apiScopes', undefined);
  app.decorateRequest('newCsrfCookie', undefined);

  app.addHook('onRequest', async (req, reply) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (bearer) {
      const t = await apiTokenUser(deps, bearer[1]!);
      if (!t) throw new Problem('unauthorized', 'The API token is unknown or revoked.', 'authorization');
      req.user = t.user;
      req.apiScopes = t.scopes;
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const user = await sessionUser(deps, token);
    if (user) {
      req.user = user;
      req.sessionToken = token;
    } else {
      reply.clearCookie(SESSION_COOKIE, { path: '/' }); // expired or revoked: stop sending it
    }
  });

  // After the body is parsed (a form's _csrf field), before any handler runs.
  app.addHook('preValidation', async (req) => {
    if (!UNSAFE.has(req.method) || req.apiScopes) return;
    // Routes authenticated by a signature in their URL and posted by mail providers (RFC 8058 one-click unsubscribe).
    if (req.routeOptions.config.csrf === false) return;
    if (!sameOrigin(deps, req)) throw new Problem('forbidden', 'This request came from another site and was refused.');
    const body = req.body as Record<string, unknown> | undefined;
    const given = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.headers['x-csrf-token'];
    const expected = expectedCsrf(deps, req);
    if (typeof given !== 'string' || !expected || !safeEqual(given, expected)) {
      throw new Problem('forbidden', 'This form has expired or did not come from this site. Reload the page and try again.', '_csrf');
    }
  });
}

/** The signed-in user, or a 401 (API) / redirect to the login page (pages) for the caller to handle. */
export function requireUser(req: FastifyRequest, scope?: 'vote' | 'submit' | 'comment'): User {
  if (!req.user) throw new Problem('unauthorized', 'Sign in first.');
  if (req.apiScopes && scope && !req.apiScopes.includes(scope)) {
    throw new Problem('forbidden', `This API token does not have the “${scope}” scope.`, 'authorization');
  }
  return req.user;
}
