import { type Kysely, SqliteAdapter, sql } from 'kysely';

// A closed period's snapshot freezes one row per target (or task) × reporting organisation, so it
// says which county reported what and who missed (issue 11, item 7). The unique key gains
// `org_key` (org_id, or '' for a row no organisation reports). SQLite cannot drop a table
// constraint, so there the table is rebuilt; the amendments beside existing rows are kept (the
// DROP would cascade to them, so they are set aside first and put back).
const COLUMNS = [
  'id',
  'period_id',
  'task_id',
  'target_id',
  'target_key',
  'org_id',
  'report_id',
  'report_status',
  'is_late',
  'reported_value',
  'reported_status',
  'completion_percent',
  'computed_status',
  'reason',
  'progress',
  'created_at',
];

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await db.schema
      .alterTable('period_snapshots')
      .addColumn('org_key', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await sql`update period_snapshots set org_key = coalesce(org_id, '')`.execute(db);
    await db.schema.alterTable('period_snapshots').dropConstraint('period_snapshots_key_uq').execute();
    await db.schema
      .alterTable('period_snapshots')
      .addUniqueConstraint('period_snapshots_key_uq', ['period_id', 'task_id', 'target_key', 'org_key'])
      .execute();
    return;
  }
  await sql`create table snapshot_amendments_keep as select * from snapshot_amendments`.execute(db);
  await db.schema
    .createTable('period_snapshots_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period_id', 'text', (c) => c.notNull().references('reporting_periods.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text')
    .addColumn('org_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('report_id', 'text')
    .addColumn('report_status', 'text')
    .addColumn('is_late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reported_value', 'double precision')
    .addColumn('reported_status', 'text')
    .addColumn('completion_percent', 'double precision')
    .addColumn('computed_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('progress', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('period_snapshots_key_uq', ['period_id', 'task_id', 'target_key', 'org_key'])
    .execute();
  const cols = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into period_snapshots_next (${cols}, org_key) select ${cols}, coalesce(org_id, '') from period_snapshots`.execute(db);
  await db.schema.dropTable('period_snapshots').execute();
  await sql`alter table period_snapshots_next rename to period_snapshots`.execute(db);
  await sql`insert into snapshot_amendments select * from snapshot_amendments_keep`.execute(db);
  await db.schema.dropTable('snapshot_amendments_keep').execute();
}

export async function down(): Promise<void> {
  // One row per organisation cannot be folded back into one row per target without losing rows.
  throw new Error('irreversible: period snapshots hold one row per reporting organisation');
}
