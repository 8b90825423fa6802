// The moderation desk (admins): pending claims, reported comments, bans, the audit log; and the
// hide/show actions posted from paper pages. people/moderation.ts checks the role again on every
// action, so a route forgotten here still cannot be used by a non-admin.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { isAdmin } from '../../domain/user.ts';
import { decideClaim, setBanned, setCommentHidden, setPaperHidden } from '../../people/moderation.ts';
import { Problem, problemFrom } from '../errors.ts';
import { paperPath } from '../present/paper.ts';
import { refererPath, seeOther, sendHtml, toLogin } from '../reply.ts';
import { formText } from '../params.ts';
import { viewerOf, who } from '../viewer.ts';
import { adminPage } from '../views/account-pages.ts';


function check(r: { ok: true } | { ok: false; error: { code: string; message: string } }): void {
  if (!r.ok) throw problemFrom(r.error);
}

export const desk = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  if (!isAdmin(req.user)) throw new Problem('forbidden', 'Only moderators can see this page.');
  const [claims, reports, audit, viewer] = await Promise.all([
    deps.store.moderation.pendingClaims(100),
    deps.store.comments.openReports(100),
    deps.store.moderation.auditLog(100, 0),
    viewerOf(deps, who(deps, req, reply)),
  ]);
  return sendHtml(reply, adminPage(deps.config.siteName, { viewer: viewer!, claims, reports, audit }));
};

export const hidePaper = (deps: Deps, hidden: boolean) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  check(await setPaperHidden(deps, req.user, req.params.id, hidden, formText(req.body, 'reason')));
  return seeOther(reply, paperPath(req.params.id));
};

export const hideComment = (deps: Deps, hidden: boolean) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id)) throw new Problem('not_found', 'No such comment.');
  check(await setCommentHidden(deps, req.user, id, hidden, formText(req.body, 'reason')));
  return seeOther(reply, refererPath(req) ?? '/admin');
};

export const ban = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  check(await setBanned(deps, req.user, formText(req.body, 'handle').trim(), formText(req.body, 'action') !== 'unban', formText(req.body, 'reason')));
  return seeOther(reply, '/admin');
};

export const claim = (deps: Deps) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  check(await decideClaim(deps, req.user, Number(req.params.id), formText(req.body, 'decision') === 'approve'));
  return seeOther(reply, '/admin');
};
