// Discussion on a paper: post (or reply), edit within the window, delete, report. Every write checks
// who may do it here, whatever route or API called it.
import type { Deps } from '../deps.ts';
import { canDelete, canEdit, checkCommentBody, type Comment } from '../domain/comment.ts';
import { err, ok, type Result } from '../domain/result.ts';
import type { User } from '../domain/user.ts';

export type CommentError =
  | { code: 'not_found' }
  | { code: 'forbidden'; message: string }
  | { code: 'invalid'; message: string };

const forbidden = (message: string) => err({ code: 'forbidden' as const, message });

export async function postComment(d: Deps, user: User, paperId: string, body: string, parentId?: number): Promise<Result<Comment, CommentError>> {
  if (user.banned) return forbidden('Your account cannot comment.');
  const checked = checkCommentBody(body);
  if (!checked.ok) return err({ code: 'invalid', message: checked.message });
  const paper = await d.store.papers.byId(paperId);
  if (!paper || paper.hidden) return err({ code: 'not_found' });
  if (parentId !== undefined) {
    const parent = await d.store.comments.byId(parentId);
    if (!parent || parent.paperId !== paperId) return err({ code: 'invalid', message: 'The comment you reply to is not on this paper.' });
  }
  const id = await d.store.comments.add({ paperId, userId: user.id, parentId, body: checked.body, now: d.clock.now().toISOString() });
  return ok((await d.store.comments.byId(id))!);
}

export async function editComment(d: Deps, user: User, id: number, body: string): Promise<Result<Comment, CommentError>> {
  const c = await d.store.comments.byId(id);
  if (!c) return err({ code: 'not_found' });
  if (!canEdit(c, user, d.clock.now().getTime(), d.config.commentEditMinutes)) {
    return forbidden(c.author.id === user.id ? `Comments can be edited for ${d.config.commentEditMinutes} minutes after posting.` : 'You can only edit your own comments.');
  }
  const checked = checkCommentBody(body);
  if (!checked.ok) return err({ code: 'invalid', message: checked.message });
  await d.store.comments.edit(id, checked.body, d.clock.now().toISOString());
  return ok((await d.store.comments.byId(id))!);
}

export async function deleteComment(d: Deps, user: User, id: number): Promise<Result<Comment, CommentError>> {
  const c = await d.store.comments.byId(id);
  if (!c) return err({ code: 'not_found' });
  if (!canDelete(c, user)) return forbidden('You can only delete your own comments.');
  const now = d.clock.now().toISOString();
  await d.store.transaction(async (tx) => {
    await tx.comments.markDeleted(id, now);
    if (c.author.id !== user.id) await tx.moderation.audit({ actorId: user.id, action: 'delete-comment', target: `comment:${id}`, detail: `on ${c.paperId}`, now });
  });
  return ok(c);
}

export async function reportComment(d: Deps, user: User, id: number, reason: string): Promise<Result<void, CommentError>> {
  if (user.banned) return forbidden('Your account cannot report comments.');
  const c = await d.store.comments.byId(id);
  if (!c || c.deleted) return err({ code: 'not_found' });
  if (c.author.id === user.id) return err({ code: 'invalid', message: 'You cannot report your own comment.' });
  await d.store.comments.report({ commentId: id, userId: user.id, reason: reason.trim().slice(0, 500) || 'no reason given', now: d.clock.now().toISOString() });
  return ok(undefined);
}
