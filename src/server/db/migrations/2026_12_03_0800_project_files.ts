import type { Kysely } from 'kysely';

// Files on projects (issue 14 items 1, 4 and 9), owned by modules/projects: documents of a project
// (附件: approvals, drawings, contracts) and photos of a monthly 调度 report (现场照片, when
// project_report_id is set). The bytes live on disk under UPLOAD_DIR through core/evidence-store.ts
// (storage_path is relative to it), checked and sniffed as report evidence is; the row keeps what the
// download needs and the sha256 that proves the file was not swapped later.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('project_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('project_report_id', 'text', (c) => c.references('project_reports.id').onDelete('cascade'))
    // document | photo
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_files_project_idx').on('project_files').columns(['project_id', 'created_at']).execute();
  await db.schema.createIndex('project_files_report_idx').on('project_files').column('project_report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('project_files').ifExists().execute();
}
