// Organizations run by their members: create one (you become its owner), claim one that came with
// the papers (an admin approves), add or remove members (owners), and tag a paper with one (the
// paper's submitter who is a member, or an admin).
import type { Deps } from '../deps.ts';
import { err, ok, type Result } from '../domain/result.ts';
import { isAdmin, type User } from '../domain/user.ts';

export type OrgError = { code: 'forbidden' | 'not_found' | 'invalid' | 'conflict'; message: string };

/** Organization names are URL slugs (the seed page's "qwen", "nvidia"): 2-40 of a-z, 0-9, - and _. */
export const checkOrgName = (raw: string): string | undefined => {
  const n = raw.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9_-]{1,39}$/.test(n) ? n : undefined;
};

export async function createOrganization(d: Deps, user: User, rawName: string, fullname: string): Promise<Result<string, OrgError>> {
  if (user.banned) return err({ code: 'forbidden', message: 'Your account cannot create organizations.' });
  const name = checkOrgName(rawName);
  if (!name) return err({ code: 'invalid', message: 'Use 2 to 40 lower-case letters, digits, - or _ for the short name.' });
  const full = fullname.replace(/\s+/g, ' ').trim().slice(0, 120) || name;
  const now = d.clock.now().toISOString();
  const created = await d.store.transaction(async (tx) => {
    if (!(await tx.organizations.create({ name, fullname: full, createdBy: user.id, now }))) return false;
    await tx.organizations.addMember(name, user.id, 'owner', now);
    return true;
  });
  return created ? ok(name) : err({ code: 'conflict', message: `The organization “${name}” exists; claim it from its page instead.` });
}

export async function claimOrganization(d: Deps, user: User, name: string): Promise<Result<void, OrgError>> {
  if (user.banned) return err({ code: 'forbidden', message: 'Your account cannot claim organizations.' });
  if (!(await d.store.organizations.byName(name))) return err({ code: 'not_found', message: 'No such organization.' });
  if (await d.store.organizations.hasOwner(name)) return err({ code: 'conflict', message: 'This organization already has an owner; ask them to add you.' });
  await d.store.moderation.claim({ kind: 'org', target: name, userId: user.id, now: d.clock.now().toISOString() });
  return ok(undefined);
}

export async function setMember(d: Deps, actor: User, org: string, handle: string, member: boolean): Promise<Result<void, OrgError>> {
  const role = await d.store.organizations.roleOf(org, actor.id);
  if (role !== 'owner' && !isAdmin(actor)) return err({ code: 'forbidden', message: 'Only the organization’s owners can change its members.' });
  const target = await d.store.users.byHandle(handle.trim());
  if (!target) return err({ code: 'not_found', message: `No user “${handle.trim().slice(0, 40)}”.` });
  if (!member && target.id === actor.id && role === 'owner') return err({ code: 'invalid', message: 'Owners cannot remove themselves.' });
  const now = d.clock.now().toISOString();
  await d.store.transaction(async (tx) => {
    if (member) await tx.organizations.addMember(org, target.id, 'member', now);
    else await tx.organizations.removeMember(org, target.id);
    // A moderator acting on an organization they do not own is a moderator action: on the record.
    if (role !== 'owner') await tx.moderation.audit({ actorId: actor.id, action: member ? 'add-org-member' : 'remove-org-member', target: `org:${org}`, detail: target.handle, now });
  });
  return ok(undefined);
}

/** Tags a paper with an organization (or removes the tag with org = undefined). */
export async function tagPaper(d: Deps, actor: User, paperId: string, org: string | undefined): Promise<Result<void, OrgError>> {
  const paper = await d.store.papers.byId(paperId);
  if (!paper) return err({ code: 'not_found', message: 'No such paper.' });
  const admin = isAdmin(actor);
  if (!admin && paper.submittedBy !== actor.handle) return err({ code: 'forbidden', message: 'Only the paper’s submitter or a moderator can tag it.' });
  if (org !== undefined) {
    if (!(await d.store.organizations.byName(org))) return err({ code: 'not_found', message: 'No such organization.' });
    if (!admin && !(await d.store.organizations.roleOf(org, actor.id))) return err({ code: 'forbidden', message: 'You can tag papers only with organizations you belong to.' });
  }
  const now = d.clock.now().toISOString();
  await d.store.transaction(async (tx) => {
    await tx.moderation.setPaperOrganization(paperId, org ?? null);
    await tx.moderation.audit({ actorId: actor.id, action: 'tag-paper', target: `paper:${paperId}`, detail: org ?? '(none)', now });
  });
  return ok(undefined);
}

export async function claimAuthorship(d: Deps, user: User, paperId: string): Promise<Result<void, OrgError>> {
  if (user.banned) return err({ code: 'forbidden', message: 'Your account cannot claim papers.' });
  const paper = await d.store.papers.byId(paperId);
  if (!paper || paper.hidden) return err({ code: 'not_found', message: 'No such paper.' });
  const fresh = await d.store.moderation.claim({ kind: 'author', target: paperId, userId: user.id, now: d.clock.now().toISOString() });
  return fresh ? ok(undefined) : err({ code: 'conflict', message: 'You have already claimed this paper.' });
}
