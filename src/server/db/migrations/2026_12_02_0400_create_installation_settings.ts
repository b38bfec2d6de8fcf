import type { Kysely } from 'kysely';

// The installation's own name and office name (settings module): what the header, the login page
// and messages call this ledger and the office that runs it, instead of words built into the
// product. One row (id = 1), created with neutral values so a fresh installation has a name
// before its admin edits it; the demo seed writes its own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installation_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('office_name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('installation_settings')
    .values({ id: 1, name: '任务落实台账', office_name: '牵头办公室', version: 1, updated_at: new Date().toISOString() })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('installation_settings').ifExists().execute();
}
