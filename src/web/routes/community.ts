// What signed-in readers do on papers: upvote (a form, or in place from app.js), submit, comment,
// claim authorship, tag with an organization; organizations and profile pages. Handlers parse, call
// one action of people/ and answer with a page, a 303 redirect, or JSON to app.js.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Paper } from '../../domain/paper.ts';
import { deleteComment, editComment, postComment, reportComment } from '../../people/comments.ts';
import { claimAuthorship, claimOrganization, createOrganization, setMember, tagPaper } from '../../people/organizations.ts';
import { describeSubmitError, submitPaper } from '../../people/submissions.ts';
import { vote } from '../../people/votes.ts';
import { notFound, problemFrom } from '../errors.ts';
import { paperPath } from '../present/paper.ts';
import { refererPath, seeOther, sendHtml, toLogin, wantsJson } from '../reply.ts';
import { formText } from '../params.ts';
import { viewerOf, who } from '../viewer.ts';
import { newOrgPage, profilePage, submitPage } from '../views/account-pages.ts';
import { findPaper, paperIdOf } from './papers.ts';

type IdParams = { Params: { id: string } };
type NameParams = { Params: { name: string } };
const self = (deps: Deps, req: FastifyRequest, reply: FastifyReply) => viewerOf(deps, who(deps, req, reply));
function fail(e: { code: string; message?: string }): never {
  throw problemFrom(e);
}

async function paperOr404(deps: Deps, raw: string): Promise<Paper> {
  const p = await findPaper(deps, raw);
  if (!p) throw notFound(`No paper with the id “${raw.slice(0, 80)}” is on this site.`);
  return p;
}

export const upvote = (deps: Deps) => async (req: FastifyRequest<IdParams>, reply: FastifyReply) => {
  if (!req.user) return wantsJson(req) ? reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Sign in to upvote.' }) : toLogin(reply, req, paperPath(req.params.id));
  // No paper lookup first: the vote's transaction finds the paper (a vote is the hottest write).
  const id = paperIdOf(req.params.id);
  const r = id === undefined ? undefined : await vote(deps, req.user, id, formText(req.body, 'on') !== '0');
  if (!r?.ok) fail({ code: r?.error === 'banned' ? 'forbidden' : 'not_found', message: r?.error === 'banned' ? 'Your account cannot vote.' : `No paper with the id “${req.params.id.slice(0, 80)}” is on this site.` });
  if (wantsJson(req)) return r.value;
  return seeOther(reply, refererPath(req) ?? paperPath(id!));
};

export const submitForm = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  return sendHtml(reply, submitPage(deps.config.siteName, (await self(deps, req, reply))!, deps.config.submission));
};

export const submit = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const id = formText(req.body, 'id');
  const r = await submitPaper(deps, req.user, id);
  if (r.ok) return seeOther(reply, paperPath(r.value.paperId));
  const viewer = (await self(deps, req, reply))!;
  const state = r.error.code === 'duplicate' ? { values: { id }, duplicate: r.error.paperId } : { values: { id }, errors: [{ field: 'id', message: describeSubmitError(r.error) }] };
  const status = r.error.code === 'duplicate' ? 409 : r.error.code === 'arxiv_unreachable' ? 502 : r.error.code === 'daily_limit' ? 429 : 400;
  return sendHtml(reply, submitPage(deps.config.siteName, viewer, deps.config.submission, state), status);
};

export const comment = (deps: Deps) => async (req: FastifyRequest<IdParams>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req, paperPath(req.params.id));
  const paper = await paperOr404(deps, req.params.id);
  const parent = formText(req.body, 'parent');
  const r = await postComment(deps, req.user, paper.id, formText(req.body, 'body'), parent ? Number(parent) : undefined);
  if (!r.ok) fail(r.error);
  return seeOther(reply, `${paperPath(paper.id)}#comment-${r.value.id}`);
};

export const commentAction = (deps: Deps, action: 'edit' | 'delete' | 'report') => async (req: FastifyRequest<IdParams>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id)) throw notFound('No such comment.');
  if (action === 'report') {
    const r = await reportComment(deps, req.user, id, formText(req.body, 'reason'));
    if (!r.ok) fail(r.error);
    const c = await deps.store.comments.byId(id);
    return seeOther(reply, c ? `${paperPath(c.paperId)}?reported=1#comment-${id}` : '/');
  }
  const r = action === 'edit' ? await editComment(deps, req.user, id, formText(req.body, 'body')) : await deleteComment(deps, req.user, id);
  if (!r.ok) fail(r.error);
  return seeOther(reply, `${paperPath(r.value.paperId)}#comment-${id}`);
};

export const claimPaper = (deps: Deps) => async (req: FastifyRequest<IdParams>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req, paperPath(req.params.id));
  const paper = await paperOr404(deps, req.params.id);
  const r = await claimAuthorship(deps, req.user, paper.id);
  if (!r.ok && r.error.code !== 'conflict') fail(r.error);
  return seeOther(reply, paperPath(paper.id));
};

export const tagOrganization = (deps: Deps) => async (req: FastifyRequest<IdParams>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req, paperPath(req.params.id));
  const paper = await paperOr404(deps, req.params.id);
  const org = formText(req.body, 'org').trim();
  const r = await tagPaper(deps, req.user, paper.id, org || undefined);
  if (!r.ok) fail(r.error);
  return seeOther(reply, paperPath(paper.id));
};

export const newOrgForm = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  return sendHtml(reply, newOrgPage(deps.config.siteName, (await self(deps, req, reply))!));
};

export const createOrg = (deps: Deps) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req);
  const values = { name: formText(req.body, 'name'), fullname: formText(req.body, 'fullname') };
  const r = await createOrganization(deps, req.user, values.name, values.fullname);
  if (r.ok) return seeOther(reply, `/orgs/${r.value}`);
  const page = newOrgPage(deps.config.siteName, (await self(deps, req, reply))!, { values, errors: [{ field: 'name', message: r.error.message }] });
  return sendHtml(reply, page, r.error.code === 'conflict' ? 409 : 400);
};

export const claimOrg = (deps: Deps) => async (req: FastifyRequest<NameParams>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req, `/orgs/${req.params.name}`);
  const r = await claimOrganization(deps, req.user, req.params.name);
  if (!r.ok) fail(r.error);
  return seeOther(reply, '/settings');
};

export const orgMembers = (deps: Deps) => async (req: FastifyRequest<NameParams>, reply: FastifyReply) => {
  if (!req.user) return toLogin(reply, req, `/orgs/${req.params.name}`);
  const r = await setMember(deps, req.user, req.params.name, formText(req.body, 'handle'), formText(req.body, 'action') !== 'remove');
  if (!r.ok) fail(r.error);
  return seeOther(reply, `/orgs/${req.params.name}`);
};

const PROFILE_LIST = 30;

export const profile = (deps: Deps) => async (req: FastifyRequest<{ Params: { handle: string } }>, reply: FastifyReply) => {
  const u = await deps.store.users.byHandle(req.params.handle);
  if (!u) throw notFound(`No member “${req.params.handle.slice(0, 40)}”.`);
  const showVotes = u.upvotesPublic || req.user?.id === u.id;
  const [submitted, upvoted, authored] = await Promise.all([
    deps.store.submissions.idsByUser(u.id, PROFILE_LIST, 0).then((ids) => deps.store.papers.byIds(ids)),
    showVotes ? deps.store.votes.idsByUser(u.id, PROFILE_LIST, 0).then((ids) => deps.store.papers.byIds(ids)) : undefined,
    deps.store.moderation.authoredIds(u.id).then((ids) => deps.store.papers.byIds(ids.slice(0, PROFILE_LIST))),
  ]);
  const ids = [...submitted, ...(upvoted ?? []), ...authored].map((p) => p.id);
  const viewer = await viewerOf(deps, who(deps, req, reply), ids);
  return sendHtml(reply, profilePage(deps.config.siteName, { handle: u.handle, displayName: u.displayName, joined: u.createdAt, submitted, upvoted, authored, viewer }));
};
