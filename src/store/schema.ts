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
  /** 0 or 1: a moderator hid it from every listing. */
  hidden: Generated<number>;
  /**
   * The joined form of each hyphenated word in title and abstract ("pre-trained" -> "pretrained",
   * domain/compounds.ts), for the full-text index; derived, so not part of content_hash.
   */
  compounds: Generated<string>;
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
  /** The user who created it here (null: it came with the papers). */
  created_by: number | null;
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

export interface UsersTable {
  id: Generated<number>;
  email: string;
  handle: string;
  display_name: string;
  password_hash: string | null;
  email_verified_at: string | null;
  role: Generated<string>;
  banned_at: string | null;
  upvotes_public: Generated<number>;
  created_at: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string;
  ip: string;
}

export interface EmailTokensTable {
  token_hash: string;
  purpose: string;
  user_id: number;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface LoginFailuresTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export interface VotesTable {
  user_id: number;
  paper_id: string;
  created_at: string;
}

export interface SubmissionsTable {
  paper_id: string;
  user_id: number;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_id: string;
  user_id: number;
  parent_id: number | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
}

export interface ReportsTable {
  id: Generated<number>;
  comment_id: number;
  user_id: number;
  reason: string;
  created_at: string;
  resolved_at: string | null;
}

export interface OrgMembersTable {
  org_name: string;
  user_id: number;
  role: string;
  created_at: string;
}

export interface ClaimsTable {
  id: Generated<number>;
  kind: string;
  target: string;
  user_id: number;
  status: string;
  created_at: string;
  decided_by: number | null;
  decided_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number;
  action: string;
  target: string;
  detail: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  message_json: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface SavedFiltersTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  query: string;
  feed_token: string;
  created_at: string;
}

export interface SubscriptionsTable {
  id: Generated<number>;
  email: string;
  user_id: number | null;
  status: string;
  frequency: string;
  weekday: Generated<number>;
  hour: Generated<number>;
  time_zone: string;
  query: Generated<string>;
  confirm_hash: string | null;
  next_due_at: string;
  bounces: Generated<number>;
  created_at: string;
  confirmed_at: string | null;
}

export interface DigestsTable {
  id: Generated<number>;
  subscription_id: number;
  period: string;
  papers: number;
  outbox_id: number | null;
  created_at: string;
}

export interface DigestPapersTable {
  subscription_id: number;
  paper_id: string;
  digest_id: number;
}

export interface WebhooksTable {
  id: Generated<number>;
  user_id: number;
  filter_id: number;
  url: string;
  secret: string;
  active: Generated<number>;
  failures: Generated<number>;
  after_seq: number;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  payload: string;
  papers: number;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface JobRunsTable {
  job: string;
  scheduled_for: string;
  node: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: number;
}

export interface Schema {
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  organizations: OrganizationsTable;
  harvest_runs: HarvestRunsTable;
  paper_embeddings: PaperEmbeddingsTable;
  schema_migrations: SchemaMigrationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  login_failures: LoginFailuresTable;
  votes: VotesTable;
  submissions: SubmissionsTable;
  comments: CommentsTable;
  reports: ReportsTable;
  org_members: OrgMembersTable;
  claims: ClaimsTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  outbox: OutboxTable;
  settings: SettingsTable;
  saved_filters: SavedFiltersTable;
  subscriptions: SubscriptionsTable;
  digests: DigestsTable;
  digest_papers: DigestPapersTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  job_runs: JobRunsTable;
  rate_limits: RateLimitsTable;
}
