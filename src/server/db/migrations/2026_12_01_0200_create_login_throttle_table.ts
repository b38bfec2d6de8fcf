import type { Kysely } from 'kysely';

// Failed sign-ins, counted per (client address, account name) and per client address (username
// ''), in the database so the throttle holds across restarts and several server instances. It
// replaces the per-account lock (users.failed_logins / locked_until, now unused): a lock keyed by
// the account alone let anyone lock anyone out, and answered differently for accounts that exist.
// The account name is the one typed (trimmed, lower-cased), whether or not such an account exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .addPrimaryKeyConstraint('login_throttle_pk', ['address', 'username'])
    .execute();
  // The purge of stale rows reads by age.
  await db.schema.createIndex('login_throttle_last_failure_idx').on('login_throttle').column('last_failure_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').ifExists().execute();
}
