import type { Kysely } from 'kysely';

// The office closing and re-opening a 督办 notice, with its note: the notice row keeps only the
// latest state, and a note told only in a notification would be lost to the record. One row per
// action, in order, shown in the notice's timeline beside the answers and escalation steps.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('supervision_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('supervision_notices.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_actions_notice_idx').on('supervision_actions').columns(['notice_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('supervision_actions').ifExists().execute();
}
