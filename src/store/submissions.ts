// Papers submitted by users: one row per paper (the first submitter), with when.
import type { Db } from './dialect/dialect.ts';

export function submissionsRepo(db: Db) {
  return {
    /** Records the submission; false when the paper was already submitted (by anyone). */
    async add(userId: number, paperId: string, now: string): Promise<boolean> {
      const r = await db.insertInto('submissions').values({ paper_id: paperId, user_id: userId, created_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    /** How many papers the user submitted since this time (the daily limit). */
    async since(userId: number, since: string): Promise<number> {
      const r = await db.selectFrom('submissions').select((e) => e.fn.countAll().as('n')).where('user_id', '=', userId).where('created_at', '>=', since).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Paper ids the user submitted, newest first. */
    async idsByUser(userId: number, limit: number, offset: number): Promise<string[]> {
      const rows = await db.selectFrom('submissions').select('paper_id').where('user_id', '=', userId).orderBy('created_at', 'desc').limit(limit).offset(offset).execute();
      return rows.map((r) => r.paper_id);
    },
  };
}

export type SubmissionsRepo = ReturnType<typeof submissionsRepo>;
