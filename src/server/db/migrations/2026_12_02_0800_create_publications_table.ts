import type { Kysely } from 'kysely';

// What the office has published to the public portal (issue 16). Each row freezes the public
// payload at the moment of publishing (only the allow-listed fields of its kind), so the portal
// never reads live rows or drafts. Withdrawing keeps the row (who, when, why) and the public page
// says it was withdrawn instead of disappearing. At most one live publication per source.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('publications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text')
    .addColumn('as_of', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text')
    .addColumn('withdrawn_reason', 'text')
    .execute();
  await db.schema.createIndex('publications_source_idx').on('publications').columns(['kind', 'source_id']).execute();
  await db.schema.createIndex('publications_published_idx').on('publications').column('published_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publications').ifExists().execute();
}
