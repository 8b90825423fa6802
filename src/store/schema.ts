// Kysely table types: the row shapes (snake_case, engine types). Rows never leave store/; the
// modules here map them to domain types.
import type { Generated } from 'kysely';

export interface PapersTable {
  /** Engine row id: the full-text index refers to papers by it. */
  seq: Generated<number>;
  id: string;
  title: string;
  abstract: string;
  /** JSON array of author names, in order; full-text indexed too (JSON punctuation tokenizes away). */
  authors_json: string;
  author_count: number;
  categories_json: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  submitted_date: string | null;
  updated_date: string | null;
  version: number | null;
  announced_date: string | null;
  featured_date: string;
  upvotes: number;
  github_repo: string | null;
  project_page: string | null;
  organization: string | null;
  /** JSON [{version, date}], oldest first; [] when the source did not list versions. */
  versions_json: Generated<string>;
  /** JSON array parallel to authors_json; '' where unknown. */
  affiliations_json: Generated<string>;
  /** 0 or 1 */
  withdrawn: Generated<number>;
  /** 0 or 1: the OAI-PMH feed reported the record deleted. */
  deleted: Generated<number>;
  /** Hash of the source fields: re-ingesting identical content is recognised as unchanged. */
  content_hash: string;
  created_at: string;
  modified_at: string;
}

/** Who wrote what, for author pages: one row per (folded author name, paper). Names as written stay in papers.authors_json. */
export interface PaperAuthorsTable {
  name_key: string;
  paper_id: string;
}

/** One row per (category, paper), kept in step with papers.categories_json by the engine. */
export interface PaperCategoriesTable {
  category: string;
  seq: number;
}

export interface OrganizationsTable {
  name: string;
  fullname: string;
  created_at: string;
}

export interface HarvestRunsTable {
  key: string;
  source: string;
  params_json: string;
  cursor: string | null;
  status: string;
  pages: number;
  records: number;
  error: string | null;
  started_at: string;
  updated_at: string;
}

export interface PaperEmbeddingsTable {
  id: Generated<number>;
  seq: number;
  model: string;
  content_hash: string;
  /** float32 little-endian */
  vector: Uint8Array;
  created_at: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface Schema {
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  organizations: OrganizationsTable;
  harvest_runs: HarvestRunsTable;
  paper_embeddings: PaperEmbeddingsTable;
  schema_migrations: SchemaMigrationsTable;
}
