// papers.compounds: the joined hyphen compounds of each paper (domain/compounds.ts), stored so that
// both engines index them as plain text. Computed here in JavaScript, the one place the rule lives;
// writes compute it with the row (papers.ts), and these fill it for papers already there.
import { sql } from 'kysely';
import { joinedCompounds } from '../domain/compounds.ts';
import type { Db } from './dialect/dialect.ts';

const PAGE = 1000;

/** The column's DDL (each engine adds it where it is missing). */
export const COMPOUNDS_COLUMN = "compounds text NOT NULL DEFAULT ''";

/** Computes papers.compounds for every paper, a page at a time (an UPDATE … FROM VALUES per page). */
export async function fillCompounds(db: Db): Promise<void> {
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('papers').select(['seq', 'title', 'abstract']).where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
    if (rows.length === 0) return;
    const values = sql.join(rows.map((r) => sql`(CAST(${r.seq} AS integer), ${joinedCompounds(r.title, r.abstract)})`));
    await sql`UPDATE papers SET compounds = v.column2 FROM (VALUES ${values}) AS v WHERE papers.seq = v.column1`.execute(db);
    after = Number(rows[rows.length - 1]!.seq);
  }
}
