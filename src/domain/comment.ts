// Comments: a threaded discussion per paper, and who may do what with a comment. Pure.
import type { User } from './user.ts';

export type Comment = {
  id: number;
  paperId: string;
  parentId: number | undefined;
  author: { id: number; handle: string; displayName: string };
  body: string;
  createdAt: string;
  editedAt: string | undefined;
  deleted: boolean;
  hidden: boolean;
};

export type CommentNode = Comment & { replies: CommentNode[] };

export const COMMENT_MAX = 10_000;

/** Comments (any order) -> the forest of threads, oldest first at every level. */
export function thread(comments: Comment[]): CommentNode[] {
  const nodes = new Map<number, CommentNode>();
  for (const c of [...comments].sort((a, b) => a.id - b.id)) nodes.set(c.id, { ...c, replies: [] });
  const roots: CommentNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === undefined ? undefined : nodes.get(n.parentId);
    (parent ? parent.replies : roots).push(n);
  }
  return roots;
}

/** The author may edit within the window; nobody edits a deleted or hidden comment. */
export function canEdit(c: Comment, u: User | undefined, nowMs: number, windowMinutes: number): boolean {
  if (!u || u.banned || c.deleted || c.hidden || c.author.id !== u.id) return false;
  return nowMs - Date.parse(c.createdAt) <= windowMinutes * 60_000;
}

/** The author deletes their own; an admin may too. */
export function canDelete(c: Comment, u: User | undefined): boolean {
  if (!u || u.banned || c.deleted) return false;
  return c.author.id === u.id || u.role === 'admin';
}

export function checkCommentBody(raw: string): { ok: true; body: string } | { ok: false; message: string } {
  const body = raw.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0) return { ok: false, message: 'Write something first.' };
  if (body.length > COMMENT_MAX) return { ok: false, message: `Comments are at most ${COMMENT_MAX} characters (this one has ${body.length}).` };
  return { ok: true, body };
}
