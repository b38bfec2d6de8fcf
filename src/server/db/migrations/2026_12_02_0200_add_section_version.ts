import type { Kysely } from 'kysely';

// Sections become editable after import (rename, reorder, delete when empty): like every other
// edited row they carry a version for optimistic concurrency (a stale edit gets 409).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sections')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sections').dropColumn('version').execute();
}
