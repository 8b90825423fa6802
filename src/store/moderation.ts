// What moderators decide and the record of it: authorship and organization claims, hidden papers,
// and the audit log (append-only: one row per moderator action, never updated).
import type { Db } from './dialect/dialect.ts';

export type ClaimKind = 'author' | 'org';
export type ClaimStatus = 'pending' | 'approved' | 'rejected';
export type Claim = { id: number; kind: ClaimKind; target: string; userId: number; handle: string; status: ClaimStatus; createdAt: string };
export type AuditEntry = { id: number; actor: string; action: string; target: string; detail: string; createdAt: string };

export function moderationRepo(db: Db) {
  const claims = () =>
    db
      .selectFrom('claims')
      .innerJoin('users', 'users.id', 'claims.user_id')
      .select(['claims.id', 'claims.kind', 'claims.target', 'claims.user_id', 'users.handle', 'claims.status', 'claims.created_at']);
  type Row = Awaited<ReturnType<ReturnType<typeof claims>['executeTakeFirstOrThrow']>>;
  const toClaim = (r: Row): Claim => ({
    id: Number(r.id),
    kind: r.kind as ClaimKind,
    target: r.target,
    userId: Number(r.user_id),
    handle: r.handle,
    status: r.status as ClaimStatus,
    createdAt: r.created_at,
  });
  return {
    /** false when this user already claimed it. */
    async claim(c: { kind: ClaimKind; target: string; userId: number; now: string }): Promise<boolean> {
      const r = await db
        .insertInto('claims')
        .values({ kind: c.kind, target: c.target, user_id: c.userId, status: 'pending', created_at: c.now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async claimById(id: number): Promise<Claim | undefined> {
      const r = await claims().where('claims.id', '=', id).executeTakeFirst();
      return r && toClaim(r);
    },
    async pendingClaims(limit: number): Promise<Claim[]> {
      return (await claims().where('claims.status', '=', 'pending').orderBy('claims.id').limit(limit).execute()).map(toClaim);
    },
    async claimsOf(userId: number): Promise<Claim[]> {
      return (await claims().where('claims.user_id', '=', userId).orderBy('claims.id', 'desc').execute()).map(toClaim);
    },
    /** Papers whose authorship this user has had approved, newest claim first. */
    async authoredIds(userId: number): Promise<string[]> {
      const rows = await db.selectFrom('claims').select('target').where('user_id', '=', userId).where('kind', '=', 'author').where('status', '=', 'approved').orderBy('id', 'desc').execute();
      return rows.map((r) => r.target);
    },
    async decide(id: number, status: 'approved' | 'rejected', by: number, now: string): Promise<boolean> {
      const r = await db.updateTable('claims').set({ status, decided_by: by, decided_at: now }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async setPaperHidden(paperId: string, hidden: boolean): Promise<boolean> {
      const r = await db.updateTable('papers').set({ hidden: hidden ? 1 : 0 }).where('id', '=', paperId).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async setPaperOrganization(paperId: string, org: string | null): Promise<void> {
      await db.updateTable('papers').set({ organization: org }).where('id', '=', paperId).execute();
    },

    async audit(e: { actorId: number; action: string; target: string; detail: string; now: string }): Promise<void> {
      await db.insertInto('audit_log').values({ actor_id: e.actorId, action: e.action, target: e.target, detail: e.detail, created_at: e.now }).execute();
    },
    async auditLog(limit: number, offset: number): Promise<AuditEntry[]> {
      const rows = await db
        .selectFrom('audit_log')
        .leftJoin('users', 'users.id', 'audit_log.actor_id')
        .select(['audit_log.id', 'users.handle', 'audit_log.action', 'audit_log.target', 'audit_log.detail', 'audit_log.created_at'])
        .orderBy('audit_log.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map((r) => ({ id: Number(r.id), actor: r.handle ?? '(deleted user)', action: r.action, target: r.target, detail: r.detail, createdAt: r.created_at }));
    },
  };
}

export type ModerationRepo = ReturnType<typeof moderationRepo>;
