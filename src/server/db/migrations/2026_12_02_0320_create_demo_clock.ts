import type { Kysely } from 'kysely';

// The demo's own "today" (issue 11, item 9): the demo is a record of the 2018 plan's year, so a
// server on a demo database keeps the demo's date unless LUOSHI_TODAY says otherwise, also after a
// restart. One row, written by the demo seed (src/server/demo); absent on every real database.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_clock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('today', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_clock').execute();
}
