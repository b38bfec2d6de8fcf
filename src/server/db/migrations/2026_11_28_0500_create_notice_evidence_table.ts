import type { Kysely } from 'kysely';

// Evidence on answers to 督办 notices: a receiving unit uploads photos, PDFs or office files on a
// notice, then names them in an answer's evidence_ids. Stored like report evidence (bytes on disk
// under UPLOAD_DIR, storage_key relative to it; the sha256 proves the file was not swapped later).
// response_id is the first answer that named the file: until then the file is the uploading
// organisation's own, afterwards every reader of the notice sees it with the answer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notice_evidence_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('supervision_notices.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('response_id', 'text', (c) => c.references('supervision_responses.id').onDelete('set null'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_evidence_files_notice_idx').on('notice_evidence_files').columns(['notice_id', 'org_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notice_evidence_files').ifExists().execute();
}
