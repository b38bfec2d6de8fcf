import type { Kysely } from 'kysely';

// Evidence files (issue 5): photos, PDFs and office files attached to a progress report. The bytes
// live on disk under UPLOAD_DIR (storage_path is relative to it); the row keeps what the download
// needs (original name, sniffed type) and the sha256 that proves the file was not swapped later.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evidence_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('progress_reports.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_files_report_idx').on('evidence_files').column('report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_files').ifExists().execute();
}
