import type { Kysely } from 'kysely';

// Supervision (督办, issue 5 item 4): notices on ledger rows (task × responsible org), their
// answers and escalation steps; in-app notifications and an outbox for email/SMS adapters.
// Same conventions as the core tables: app-generated text ids, ISO-8601 text dates.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('supervision_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('required_action', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    // The last confirmed escalation step, null before the first: the next step is read from it.
    .addColumn('escalation_step', 'text')
    .addColumn('issued_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_notices_status_idx').on('supervision_notices').columns(['status', 'due_date']).execute();

  await db.schema
    .createTable('supervision_notice_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('supervision_notices.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addUniqueConstraint('supervision_notice_rows_uq', ['notice_id', 'task_id', 'org_id'])
    .execute();
  await db.schema.createIndex('supervision_notice_rows_org_idx').on('supervision_notice_rows').columns(['org_id', 'notice_id']).execute();

  await db.schema
    .createTable('supervision_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('supervision_notices.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    // JSON array of evidence file ids; the evidence module (another issue) fills it.
    .addColumn('evidence_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('answered_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_responses_notice_idx').on('supervision_responses').column('notice_id').execute();

  await db.schema
    .createTable('supervision_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('supervision_notices.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Each step once per notice: two admins confirming the same proposal cannot both succeed.
    .addUniqueConstraint('supervision_escalations_step_uq', ['notice_id', 'step'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('link', 'text')
    .addColumn('read_at', 'text')
    // Set by jobs that must not notify twice (reminders: user/period/kind); NULLs never collide.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('notification_id', 'text', (c) => c.references('notifications.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_status_idx').on('outbox').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'outbox',
    'notifications',
    'supervision_escalations',
    'supervision_responses',
    'supervision_notice_rows',
    'supervision_notices',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
