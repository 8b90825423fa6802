// Subscriptions and what they deliver: saved filters (a search query with a name), email digest
// subscriptions (double opt-in), the digests decided per period and the papers each sent, webhooks
// on saved filters and their delivery log (itself an outbox).
import type { Migration } from './migration.ts';

export const subscriptions: Migration = {
  version: 8,
  name: 'subscriptions',
  async up(db, dialect) {
    const s = db.schema;
    await s
      .createTable('saved_filters')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull()) // the search language
      .addColumn('feed_token', 'text', (c) => c.notNull().unique()) // unguessable feed URL
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('saved_filters_user').on('saved_filters').columns(['user_id', 'id']).execute();
    await s
      .createTable('subscriptions')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('status', 'text', (c) => c.notNull()) // pending | active | unsubscribed | bouncing
      .addColumn('frequency', 'text', (c) => c.notNull()) // daily | weekly
      .addColumn('weekday', 'integer', (c) => c.notNull().defaultTo(1)) // 1 = Monday ... 7 = Sunday (weekly)
      .addColumn('hour', 'integer', (c) => c.notNull().defaultTo(7)) // local hour of delivery
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull().defaultTo('')) // a filter in the search language; '' = everything
      .addColumn('confirm_hash', 'text')
      .addColumn('next_due_at', 'text', (c) => c.notNull())
      .addColumn('bounces', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('confirmed_at', 'text')
      .execute();
    await s.createIndex('subscriptions_due').on('subscriptions').columns(['status', 'next_due_at']).execute();
    await s.createIndex('subscriptions_email').on('subscriptions').columns(['email']).execute();
    await s.createIndex('subscriptions_user').on('subscriptions').columns(['user_id']).execute();
    await s
      .createTable('digests')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .addColumn('period', 'text', (c) => c.notNull()) // YYYY-MM-DD (daily) or YYYY-Www (weekly), local
      .addColumn('papers', 'integer', (c) => c.notNull()) // 0 = nothing new: skipped, nothing sent
      .addColumn('outbox_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('digests_once', ['subscription_id', 'period'])
      .execute();
    await s
      .createTable('digest_papers')
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .addColumn('paper_id', 'text', (c) => c.notNull())
      .addColumn('digest_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('digest_papers_pk', ['subscription_id', 'paper_id'])
      .execute();
    await s
      .createTable('webhooks')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('filter_id', 'integer', (c) => c.notNull().references('saved_filters.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull()) // shown to its owner: signs every delivery
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0)) // deliveries given up in a row
      .addColumn('after_seq', 'integer', (c) => c.notNull()) // papers up to this seq were considered
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('webhook_deliveries')
      .addColumn('id', 'integer', (c) => dialect.increasingPrimaryKey(c))
      .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('papers', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // pending | delivered | failed
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('claimed_until', 'text')
      .addColumn('last_status', 'integer') // HTTP status of the last attempt
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await s.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await s.createIndex('webhook_deliveries_hook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
  },
};
