// Organizations: the badge on a card, the org page's header, and who runs an organization here.
import type { Organization } from '../domain/paper.ts';
import type { Db } from './dialect/dialect.ts';

export type OrgMember = { userId: number; handle: string; displayName: string; role: 'owner' | 'member' };

export function organizationsRepo(db: Db) {
  return {
    async byName(name: string): Promise<Organization | undefined> {
      const r = await db.selectFrom('organizations').select(['name', 'fullname']).where('name', '=', name).executeTakeFirst();
      return r;
    },
    /** false when the name is taken. */
    async create(o: { name: string; fullname: string; createdBy: number; now: string }): Promise<boolean> {
      const r = await db
        .insertInto('organizations')
        .values({ name: o.name, fullname: o.fullname, created_by: o.createdBy, created_at: o.now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async members(name: string): Promise<OrgMember[]> {
      const rows = await db
        .selectFrom('org_members')
        .innerJoin('users', 'users.id', 'org_members.user_id')
        .select(['users.id', 'users.handle', 'users.display_name', 'org_members.role'])
        .where('org_members.org_name', '=', name)
        .orderBy('org_members.role', 'desc')
        .orderBy('users.handle')
        .execute();
      return rows.map((r) => ({ userId: Number(r.id), handle: r.handle, displayName: r.display_name, role: r.role === 'owner' ? 'owner' : 'member' }));
    },
    async addMember(name: string, userId: number, role: 'owner' | 'member', now: string): Promise<void> {
      await db
        .insertInto('org_members')
        .values({ org_name: name, user_id: userId, role, created_at: now })
        .onConflict((oc) => oc.columns(['org_name', 'user_id']).doUpdateSet({ role }))
        .execute();
    },
    async removeMember(name: string, userId: number): Promise<void> {
      await db.deleteFrom('org_members').where('org_name', '=', name).where('user_id', '=', userId).execute();
    },
    async roleOf(name: string, userId: number): Promise<'owner' | 'member' | undefined> {
      const r = await db.selectFrom('org_members').select('role').where('org_name', '=', name).where('user_id', '=', userId).executeTakeFirst();
      return r ? (r.role === 'owner' ? 'owner' : 'member') : undefined;
    },
    async hasOwner(name: string): Promise<boolean> {
      return (await db.selectFrom('org_members').select('user_id').where('org_name', '=', name).where('role', '=', 'owner').executeTakeFirst()) !== undefined;
    },
    /**
     * Every organization with its number of papers here (hidden ones left out), most papers first,
     * then by name: the directory at /orgs.
     */
    async directory(): Promise<(Organization & { papers: number })[]> {
      const rows = await db
        .selectFrom('organizations')
        .leftJoin('papers', (j) => j.onRef('papers.organization', '=', 'organizations.name').on('papers.hidden', '=', 0))
        .select((e) => ['organizations.name', 'organizations.fullname', e.fn.count('papers.id').as('papers')])
        .groupBy(['organizations.name', 'organizations.fullname'])
        .orderBy('papers', 'desc')
        .orderBy('organizations.name')
        .execute();
      return rows.map((r) => ({ name: r.name, fullname: r.fullname, papers: Number(r.papers) }));
    },
    /** Organizations the user belongs to, for the "tag with organization" choice. */
    async ofUser(userId: number): Promise<Organization[]> {
      return db
        .selectFrom('org_members')
        .innerJoin('organizations', 'organizations.name', 'org_members.org_name')
        .select(['organizations.name', 'organizations.fullname'])
        .where('org_members.user_id', '=', userId)
        .orderBy('organizations.name')
        .execute();
    },
  };
}

export type OrganizationsRepo = ReturnType<typeof organizationsRepo>;
