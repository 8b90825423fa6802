// The people side: accounts and their sessions, one-time email tokens, login failures, upvotes,
// submissions, threaded comments and their reports, organization members, authorship and
// organization claims, the moderators' audit log, personal API tokens, the mail outbox, and site
// settings (the signing secret). Papers gain a moderator's hidden flag.
import type { Migration } from './migration.ts';

export const people: Migration = {
  version: 7,
  name: 'people',
  async up(db, dialect) {
    const s = db.schema;
    await s
      .createTable('users')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('email', 'text', (c) => c.notNull().unique()) // normalised: trimmed, lower case
      .addColumn('handle', 'text', (c) => c.notNull().unique()) // profile URL /users/HANDLE, lower case
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text') // argon2id PHC string; null = magic-link sign-in only
      .addColumn('email_verified_at', 'text')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('user')) // user | admin
      .addColumn('banned_at', 'text')
      .addColumn('upvotes_public', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey()) // sha256 of the cookie's token: a stolen table opens no session
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('user_agent', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();
    await s
      .createTable('email_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull()) // verify | reset | login
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('login_failures')
      .addColumn('key', 'text', (c) => c.primaryKey()) // "account:EMAIL" or "ip:ADDRESS"
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('votes')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('paper_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('votes_pk', ['user_id', 'paper_id'])
      .execute();
    await s.createIndex('votes_paper').on('votes').columns(['paper_id', 'created_at']).execute();
    await s
      .createTable('submissions')
      .addColumn('paper_id', 'text', (c) => c.primaryKey()) // the first submitter keeps the credit
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('submissions_user').on('submissions').columns(['user_id', 'created_at']).execute();
    await s
      .createTable('comments')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('paper_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('parent_id', 'integer', (c) => c.references('comments.id'))
      .addColumn('body', 'text', (c) => c.notNull()) // Markdown as written; rendered (sanitised) when shown
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('edited_at', 'text')
      .addColumn('deleted_at', 'text')
      .addColumn('hidden_at', 'text')
      .execute();
    await s.createIndex('comments_paper').on('comments').columns(['paper_id', 'id']).execute();
    await s.createIndex('comments_user').on('comments').columns(['user_id', 'created_at']).execute();
    await s
      .createTable('reports')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addUniqueConstraint('reports_once', ['comment_id', 'user_id'])
      .execute();
    await s.alterTable('organizations').addColumn('created_by', 'integer').execute();
    await s
      .createTable('org_members')
      .addColumn('org_name', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull()) // owner | member
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('org_members_pk', ['org_name', 'user_id'])
      .execute();
    await s
      .createTable('claims')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('kind', 'text', (c) => c.notNull()) // author (target = paper id) | org (target = org name)
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | rejected
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'integer')
      .addColumn('decided_at', 'text')
      .addUniqueConstraint('claims_once', ['kind', 'target', 'user_id'])
      .execute();
    await s.createIndex('claims_status').on('claims').columns(['status', 'id']).execute();
    await s
      .createTable('audit_log')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('actor_id', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('api_tokens')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull()) // space-separated: vote submit comment
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await s
      .createTable('outbox')
      .addColumn('id', 'integer', (c) => dialect.increasingPrimaryKey(c))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('message_json', 'text', (c) => c.notNull()) // subject, text, html, headers
      .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | failed
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('claimed_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await s.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    await s
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await s.alterTable('papers').addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Listings skip hidden papers: the ordering indexes carry the flag, so they stay index-only.
    for (const [name, columns] of [
      ['papers_newest', ['featured_date', 'id', 'hidden']],
      ['papers_trending', ['featured_date', 'upvotes', 'id', 'hidden']],
      ['papers_org', ['organization', 'featured_date', 'id', 'hidden']],
    ] as const) {
      await s.dropIndex(name).execute();
      await s.createIndex(name).on('papers').columns([...columns]).execute();
    }
  },
};
