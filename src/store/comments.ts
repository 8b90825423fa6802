// Comments and reports on them. Deleting keeps the row (replies stay attached, shown as "deleted");
// hiding is a moderator's and keeps the text for the audit.
import type { Comment } from '../domain/comment.ts';
import type { Db } from './dialect/dialect.ts';

export type Report = { id: number; commentId: number; paperId: string; reason: string; reporter: string; createdAt: string; body: string };

export function commentsRepo(db: Db) {
  const base = () =>
    db
      .selectFrom('comments')
      .innerJoin('users', 'users.id', 'comments.user_id')
      .selectAll('comments')
      .select(['users.handle', 'users.display_name']);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const toComment = (r: Row): Comment => ({
    id: Number(r.id),
    paperId: r.paper_id,
    parentId: r.parent_id === null ? undefined : Number(r.parent_id),
    author: { id: Number(r.user_id), handle: r.handle, displayName: r.display_name },
    body: r.body,
    createdAt: r.created_at,
    editedAt: r.edited_at ?? undefined,
    deleted: r.deleted_at !== null,
    hidden: r.hidden_at !== null,
  });
  return {
    async add(c: { paperId: string; userId: number; parentId: number | undefined; body: string; now: string }): Promise<number> {
      const r = await db
        .insertInto('comments')
        .values({ paper_id: c.paperId, user_id: c.userId, parent_id: c.parentId ?? null, body: c.body, created_at: c.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async byId(id: number): Promise<Comment | undefined> {
      const r = await base().where('comments.id', '=', id).executeTakeFirst();
      return r && toComment(r);
    },
    async forPaper(paperId: string): Promise<Comment[]> {
      return (await base().where('comments.paper_id', '=', paperId).orderBy('comments.id').limit(2000).execute()).map(toComment);
    },
    async countFor(paperId: string): Promise<number> {
      const r = await db.selectFrom('comments').select((e) => e.fn.countAll().as('n')).where('paper_id', '=', paperId).where('deleted_at', 'is', null).where('hidden_at', 'is', null).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async edit(id: number, body: string, now: string): Promise<void> {
      await db.updateTable('comments').set({ body, edited_at: now }).where('id', '=', id).execute();
    },
    async markDeleted(id: number, now: string): Promise<void> {
      await db.updateTable('comments').set({ deleted_at: now }).where('id', '=', id).execute();
    },
    async setHidden(id: number, hiddenAt: string | null): Promise<void> {
      await db.updateTable('comments').set({ hidden_at: hiddenAt }).where('id', '=', id).execute();
    },

    // ---- reports ----
    /** false when this user already reported this comment. */
    async report(r: { commentId: number; userId: number; reason: string; now: string }): Promise<boolean> {
      const res = await db.insertInto('reports').values({ comment_id: r.commentId, user_id: r.userId, reason: r.reason, created_at: r.now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async openReports(limit: number): Promise<Report[]> {
      const rows = await db
        .selectFrom('reports')
        .innerJoin('comments', 'comments.id', 'reports.comment_id')
        .innerJoin('users', 'users.id', 'reports.user_id')
        .select(['reports.id', 'reports.comment_id', 'comments.paper_id', 'reports.reason', 'users.handle', 'reports.created_at', 'comments.body'])
        .where('reports.resolved_at', 'is', null)
        .orderBy('reports.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: Number(r.id), commentId: Number(r.comment_id), paperId: r.paper_id, reason: r.reason, reporter: r.handle, createdAt: r.created_at, body: r.body }));
    },
    async resolveReports(commentId: number, now: string): Promise<void> {
      await db.updateTable('reports').set({ resolved_at: now }).where('comment_id', '=', commentId).where('resolved_at', 'is', null).execute();
    },
  };
}

export type CommentsRepo = ReturnType<typeof commentsRepo>;
