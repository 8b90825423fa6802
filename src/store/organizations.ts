// Organizations: the badge on a card and the org page's header.
import type { Organization } from '../domain/paper.ts';
import type { Db } from './dialect/dialect.ts';

export function organizationsRepo(db: Db) {
  return {
    async byName(name: string): Promise<Organization | undefined> {
      const r = await db.selectFrom('organizations').select(['name', 'fullname']).where('name', '=', name).executeTakeFirst();
      return r;
    },
  };
}

export type OrganizationsRepo = ReturnType<typeof organizationsRepo>;
