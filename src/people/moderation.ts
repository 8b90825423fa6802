// Moderator actions (admins only): hide or show a paper or comment, ban or unban a user, decide
// authorship and organization claims, tag a paper with an organization. Each writes its audit-log
// row in the same transaction as the change.
import type { Deps } from '../deps.ts';
import { err, ok, type Result } from '../domain/result.ts';
import { isAdmin, type Role, type User } from '../domain/user.ts';
import type { Repos, Store } from '../store/store.ts';

export type ModerationError = { code: 'forbidden' | 'not_found' | 'invalid'; message: string };

const denied = (): Result<never, ModerationError> => err({ code: 'forbidden', message: 'Only moderators can do that.' });
const missing = (what: string): Result<never, ModerationError> => err({ code: 'not_found', message: `No such ${what}.` });

async function audited(d: Deps, actor: User, action: string, target: string, detail: string, change: (tx: Repos) => Promise<boolean>): Promise<boolean> {
  const now = d.clock.now().toISOString();
  return d.store.transaction(async (tx) => {
    if (!(await change(tx))) return false;
    await tx.moderation.audit({ actorId: actor.id, action, target, detail, now });
    return true;
  });
}

export async function setPaperHidden(d: Deps, actor: User, paperId: string, hidden: boolean, reason: string): Promise<Result<void, ModerationError>> {
  if (!isAdmin(actor)) return denied();
  const done = await audited(d, actor, hidden ? 'hide-paper' : 'show-paper', `paper:${paperId}`, reason, (tx) => tx.moderation.setPaperHidden(paperId, hidden));
  return done ? ok(undefined) : missing('paper');
}

export async function setCommentHidden(d: Deps, actor: User, id: number, hidden: boolean, reason: string): Promise<Result<void, ModerationError>> {
  if (!isAdmin(actor)) return denied();
  const now = d.clock.now().toISOString();
  const done = await audited(d, actor, hidden ? 'hide-comment' : 'show-comment', `comment:${id}`, reason, async (tx) => {
    if (!(await tx.comments.byId(id))) return false;
    await tx.comments.setHidden(id, hidden ? now : null);
    await tx.comments.resolveReports(id, now);
    return true;
  });
  return done ? ok(undefined) : missing('comment');
}

export async function setBanned(d: Deps, actor: User, handle: string, banned: boolean, reason: string): Promise<Result<void, ModerationError>> {
  if (!isAdmin(actor)) return denied();
  const target = await d.store.users.byHandle(handle);
  if (!target) return missing('user');
  if (target.id === actor.id) return err({ code: 'invalid', message: 'You cannot ban yourself.' });
  const now = d.clock.now().toISOString();
  await audited(d, actor, banned ? 'ban-user' : 'unban-user', `user:${target.handle}`, reason, async (tx) => {
    await tx.users.setBanned(target.id, banned ? now : null);
    if (banned) await tx.users.deleteSessions(target.id);
    return true;
  });
  return ok(undefined);
}

export async function decideClaim(d: Deps, actor: User, claimId: number, approve: boolean): Promise<Result<void, ModerationError>> {
  if (!isAdmin(actor)) return denied();
  const claim = await d.store.moderation.claimById(claimId);
  if (!claim) return missing('claim');
  const now = d.clock.now().toISOString();
  const done = await audited(d, actor, `${approve ? 'approve' : 'reject'}-${claim.kind}-claim`, `${claim.kind === 'author' ? 'paper' : 'org'}:${claim.target}`, `by ${claim.handle}`, async (tx) => {
    if (!(await tx.moderation.decide(claimId, approve ? 'approved' : 'rejected', actor.id, now))) return false;
    if (approve && claim.kind === 'org') await tx.organizations.addMember(claim.target, claim.userId, 'owner', now);
    return true;
  });
  return done ? ok(undefined) : err({ code: 'invalid', message: 'This claim was already decided.' });
}

/**
 * Makes a user an admin or takes the role back (the CLI's `paperboy user promote|demote`: whoever
 * runs it owns the server; the audit log records the user as its own actor).
 */
export async function setRole(store: Store, email: string, role: Role, now: Date): Promise<User | undefined> {
  const user = await store.users.byEmail(email.trim().toLowerCase());
  if (!user) return undefined;
  await store.transaction(async (tx) => {
    await tx.users.setRole(user.id, role);
    await tx.moderation.audit({ actorId: user.id, action: role === 'admin' ? 'promote-admin' : 'demote-admin', target: `user:${user.handle}`, detail: 'from the command line', now: now.toISOString() });
  });
  return { ...user, role };
}
