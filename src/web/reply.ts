// Small reply helpers shared by the page routes: send a page, redirect after a form (303, so a
// reload does not post again), send signed-out readers to the login page, and keep `next` local.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Html } from './views/html.ts';

export const sendHtml = (reply: FastifyReply, page: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.value);

export const seeOther = (reply: FastifyReply, to: string) => reply.redirect(to, 303);

/** A path on this site, or undefined: never another host (`//evil`, `/\evil`, `https:`). */
export function localPath(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\r\n]/.test(raw)) return undefined;
  return raw.slice(0, 1000);
}

export const toLogin = (reply: FastifyReply, req: FastifyRequest, back?: string) =>
  seeOther(reply, `/login?next=${encodeURIComponent(localPath(back) ?? localPath(req.method === 'GET' ? req.url : refererPath(req)) ?? '/')}`);

/** The path of the page a form was posted from, if it was on this site. */
export function refererPath(req: FastifyRequest): string | undefined {
  const ref = req.headers.referer;
  if (!ref) return undefined;
  try {
    const u = new URL(ref);
    const host = String(req.headers.host ?? '').replace(/:(80|443)$/, ''); // URL drops default ports too
    return u.host === host ? localPath(u.pathname + u.search) : undefined;
  } catch {
    return undefined;
  }
}

/** A fetch() from app.js asks for JSON; a plain form post wants a page. */
export const wantsJson = (req: FastifyRequest) => /application\/json/.test(String(req.headers.accept ?? ''));
