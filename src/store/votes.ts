// Upvotes. A vote is a row keyed (user, paper); papers.upvotes moves with it in the
// same transaction, so counts stay exact under any concurrency (the insert or delete that changed
// a row is the only one that changes the count).
import { sql } from 'kysely';
import type { Db } from './dialect/dialect.ts';

export type VoteResult = { voted: boolean; upvotes: number };

export function votesRepo(db: Db) {
  const bump = async (paperId: string, by: 1 | -1): Promise<number> => {
    const r = await db
      .updateTable('papers')
      .set({ upvotes: sql`upvotes + ${by}` })
      .where('id', '=', paperId)
      .returning('upvotes')
      .executeTakeFirstOrThrow();
    return Number(r.upvotes);
  };
  return {
    /**
     * Sets this user's vote on the paper to `on` (idempotent); returns the state and the new count,
     * or undefined when there is no such visible paper. Run in a transaction.
     */
    async set(userId: number, paperId: string, on: boolean, now: string): Promise<VoteResult | undefined> {
      const paper = await db.selectFrom('papers').select(['upvotes', 'hidden']).where('id', '=', paperId).executeTakeFirst();
      if (!paper || Number(paper.hidden) === 1) return undefined;
      if (on) {
        const r = await db.insertInto('votes').values({ user_id: userId, paper_id: paperId, created_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        return { voted: true, upvotes: Number(r.numInsertedOrUpdatedRows ?? 0) > 0 ? await bump(paperId, 1) : Number(paper.upvotes) };
      }
      const r = await db.deleteFrom('votes').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
      return { voted: false, upvotes: Number(r.numDeletedRows) > 0 ? await bump(paperId, -1) : Number(paper.upvotes) };
    },
    async has(userId: number, paperId: string): Promise<boolean> {
      return (await db.selectFrom('votes').select('paper_id').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst()) !== undefined;
    },
    /** Which of these papers the user has upvoted (to draw filled arrows on a page of cards). */
    async votedAmong(userId: number, paperIds: string[]): Promise<Set<string>> {
      if (paperIds.length === 0) return new Set();
      const rows = await db.selectFrom('votes').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
      return new Set(rows.map((r) => r.paper_id));
    },
    /** Paper ids the user upvoted, newest vote first. */
    async idsByUser(userId: number, limit: number, offset: number): Promise<string[]> {
      const rows = await db.selectFrom('votes').select('paper_id').where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('paper_id').limit(limit).offset(offset).execute();
      return rows.map((r) => r.paper_id);
    },
    /** Votes recorded for a paper (community votes only; papers.upvotes also counts votes imported with it). */
    async countFor(paperId: string): Promise<number> {
      const r = await db.selectFrom('votes').select((e) => e.fn.countAll().as('n')).where('paper_id', '=', paperId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export type VotesRepo = ReturnType<typeof votesRepo>;
