// Accounts and what proves who someone is: users, sessions, one-time email tokens, login failures
// and personal API tokens. Secrets are stored only as SHA-256 hashes (the callers hash): a copy of
// the database opens no session and redeems no token.
import type { Selectable } from 'kysely';
import type { Role, User } from '../domain/user.ts';
import type { Db } from './dialect/dialect.ts';
import type { UsersTable } from './schema.ts';

export type Session = { user: User; createdAt: string; lastSeenAt: string; expiresAt: string };
export type SessionInfo = { idHash: string; createdAt: string; lastSeenAt: string; userAgent: string; ip: string };
export type EmailPurpose = 'verify' | 'reset' | 'login';
export type ApiToken = { id: number; name: string; scopes: string[]; createdAt: string; lastUsedAt: string | undefined; revoked: boolean };

export const rowToUser = (r: Selectable<UsersTable>): User => ({
  id: Number(r.id),
  email: r.email,
  handle: r.handle,
  displayName: r.display_name,
  role: r.role === 'admin' ? 'admin' : 'user',
  emailVerified: r.email_verified_at !== null,
  banned: r.banned_at !== null,
  upvotesPublic: Number(r.upvotes_public) === 1,
  hasPassword: r.password_hash !== null,
  createdAt: r.created_at,
});

export function usersRepo(db: Db) {
  const byId = async (id: number) => {
    const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && rowToUser(r);
  };
  return {
    /** undefined when the email or handle is taken (the unique constraints decide, race-free). */
    async create(u: { email: string; handle: string; displayName: string; passwordHash: string | null; now: string }): Promise<User | undefined> {
      const r = await db
        .insertInto('users')
        .values({ email: u.email, handle: u.handle, display_name: u.displayName, password_hash: u.passwordHash, created_at: u.now })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      return r && rowToUser(r);
    },
    byId,
    async byEmail(email: string): Promise<User | undefined> {
      const r = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return r && rowToUser(r);
    },
    async byHandle(handle: string): Promise<User | undefined> {
      const r = await db.selectFrom('users').selectAll().where('handle', '=', handle.toLowerCase()).executeTakeFirst();
      return r && rowToUser(r);
    },
    async handleTaken(handle: string): Promise<boolean> {
      return (await db.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst()) !== undefined;
    },
    async passwordHash(id: number): Promise<string | undefined> {
      const r = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
      return r?.password_hash ?? undefined;
    },
    async setPassword(id: number, hash: string): Promise<void> {
      await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
    },
    async markVerified(id: number, now: string): Promise<void> {
      await db.updateTable('users').set({ email_verified_at: now }).where('id', '=', id).where('email_verified_at', 'is', null).execute();
    },
    async setRole(id: number, role: Role): Promise<void> {
      await db.updateTable('users').set({ role }).where('id', '=', id).execute();
    },
    async setBanned(id: number, bannedAt: string | null): Promise<void> {
      await db.updateTable('users').set({ banned_at: bannedAt }).where('id', '=', id).execute();
    },
    async setProfile(id: number, p: { displayName: string; upvotesPublic: boolean }): Promise<void> {
      await db.updateTable('users').set({ display_name: p.displayName, upvotes_public: p.upvotesPublic ? 1 : 0 }).where('id', '=', id).execute();
    },
    async count(): Promise<number> {
      const r = await db.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    // ---- sessions ----
    async createSession(s: { idHash: string; userId: number; now: string; expiresAt: string; userAgent: string; ip: string }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({ id_hash: s.idHash, user_id: s.userId, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt, user_agent: s.userAgent.slice(0, 300), ip: s.ip })
        .execute();
    },
    async session(idHash: string, now: string): Promise<(Session & { lastSeenAt: string }) | undefined> {
      const r = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select(['sessions.created_at as s_created', 'sessions.last_seen_at as s_seen', 'sessions.expires_at as s_expires'])
        .where('sessions.id_hash', '=', idHash)
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst();
      return r && { user: rowToUser(r), createdAt: r.s_created, lastSeenAt: r.s_seen, expiresAt: r.s_expires };
    },
    async touchSession(idHash: string, now: string, expiresAt: string): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
    },
    async sessionsOf(userId: number, now: string): Promise<SessionInfo[]> {
      const rows = await db
        .selectFrom('sessions')
        .select(['id_hash', 'created_at', 'last_seen_at', 'user_agent', 'ip'])
        .where('user_id', '=', userId)
        .where('expires_at', '>', now)
        .orderBy('last_seen_at', 'desc')
        .execute();
      return rows.map((r) => ({ idHash: r.id_hash, createdAt: r.created_at, lastSeenAt: r.last_seen_at, userAgent: r.user_agent, ip: r.ip }));
    },
    /** Ends one session of this user (another user's session id does nothing). */
    async deleteSession(userId: number, idHash: string): Promise<boolean> {
      const r = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id_hash', '=', idHash).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    /** Ends every session of a user except `keep` (after a password change or reset, or a ban). */
    async deleteSessions(userId: number, keep?: string): Promise<void> {
      let q = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (keep) q = q.where('id_hash', '!=', keep);
      await q.execute();
    },

    // ---- one-time email tokens ----
    async createEmailToken(t: { tokenHash: string; purpose: EmailPurpose; userId: number; now: string; expiresAt: string }): Promise<void> {
      await db
        .insertInto('email_tokens')
        .values({ token_hash: t.tokenHash, purpose: t.purpose, user_id: t.userId, created_at: t.now, expires_at: t.expiresAt })
        .execute();
    },
    /** Marks the token used and returns its user, once: a second redemption (or an expired token) gets undefined. */
    async redeemEmailToken(tokenHash: string, purpose: EmailPurpose, now: string): Promise<User | undefined> {
      const r = await db
        .updateTable('email_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      return r ? byId(Number(r.user_id)) : undefined;
    },
    /** A usable token's user, without redeeming it (to show the reset form). */
    async peekEmailToken(tokenHash: string, purpose: EmailPurpose, now: string): Promise<User | undefined> {
      const r = await db
        .selectFrom('email_tokens')
        .select('user_id')
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r ? byId(Number(r.user_id)) : undefined;
    },

    // ---- login failures (per account and per address) ----
    async failures(keys: string[]): Promise<{ failures: number; lastFailureAt: string }[]> {
      if (keys.length === 0) return [];
      const rows = await db.selectFrom('login_failures').select(['failures', 'last_failure_at']).where('key', 'in', keys).execute();
      return rows.map((r) => ({ failures: Number(r.failures), lastFailureAt: r.last_failure_at }));
    },
    async recordFailure(keys: string[], now: string): Promise<void> {
      for (const key of keys) {
        await db
          .insertInto('login_failures')
          .values({ key, failures: 1, last_failure_at: now })
          .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('login_failures.failures', '+', 1), last_failure_at: now })))
          .execute();
      }
    },
    async clearFailures(keys: string[]): Promise<void> {
      if (keys.length > 0) await db.deleteFrom('login_failures').where('key', 'in', keys).execute();
    },

    // ---- personal API tokens ----
    async createApiToken(t: { userId: number; name: string; tokenHash: string; scopes: string[]; now: string }): Promise<number> {
      const r = await db
        .insertInto('api_tokens')
        .values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, scopes: t.scopes.join(' '), created_at: t.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async apiTokensOf(userId: number): Promise<ApiToken[]> {
      const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        scopes: r.scopes.split(' ').filter(Boolean),
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at ?? undefined,
        revoked: r.revoked_at !== null,
      }));
    },
    /** The live token with this hash and its user (the lookup is by hash: an index seek, nothing to time). */
    async apiToken(tokenHash: string, now: string): Promise<{ user: User; scopes: string[] } | undefined> {
      const r = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .selectAll('users')
        .select(['api_tokens.id as token_id', 'api_tokens.scopes as token_scopes', 'api_tokens.last_used_at as token_used'])
        .where('api_tokens.token_hash', '=', tokenHash)
        .where('api_tokens.revoked_at', 'is', null)
        .executeTakeFirst();
      if (!r) return undefined;
      // Last use to the minute: one write a minute per token, not one per request.
      if (!r.token_used || r.token_used.slice(0, 16) !== now.slice(0, 16)) {
        await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', r.token_id).execute();
      }
      return { user: rowToUser(r), scopes: r.token_scopes.split(' ').filter(Boolean) };
    },
    async revokeApiToken(userId: number, id: number, now: string): Promise<boolean> {
      const r = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

export type UsersRepo = ReturnType<typeof usersRepo>;
