import type { Db, Dialect } from '../dialect/dialect.ts';

/** A forward-only schema step. Portable DDL through Kysely's schema builder; engine parts via the dialect. */
export type Migration = {
  version: number;
  name: string;
  up(db: Db, dialect: Dialect): Promise<void>;
};
