import type { Kysely } from 'kysely';

// Reporting (issue 5): a schedule per plan, periods, the units' progress reports, and the frozen
// snapshot of each closed period with amendments beside it. Same conventions as the core tables:
// app-generated text ids, ISO-8601 text dates, 0/1 booleans, double precision numbers.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reporting_schedules')
    .addColumn('plan_id', 'text', (c) => c.primaryKey().references('plans.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('due_day', 'integer', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull())
    .addColumn('close_after_days', 'integer', (c) => c.notNull())
    .addColumn('start_date', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reporting_periods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull())
    .addColumn('close_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // One period per span of a plan: the scheduled job and the admin may both create it.
    .addUniqueConstraint('reporting_periods_plan_span_uq', ['plan_id', 'start_date', 'end_date'])
    .execute();
  await db.schema.createIndex('reporting_periods_status_idx').on('reporting_periods').columns(['status', 'start_date']).execute();

  await db.schema
    .createTable('progress_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period_id', 'text', (c) => c.notNull().references('reporting_periods.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.references('targets.id').onDelete('cascade'))
    // '' for a task-level report: a unique key over a nullable column would let NULLs repeat.
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('value', 'double precision')
    .addColumn('completion_percent', 'double precision')
    .addColumn('reported_status', 'text')
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('next_steps', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('is_late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('review_comment', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('progress_reports_key_uq', ['period_id', 'task_id', 'target_key', 'org_id'])
    .execute();
  await db.schema.createIndex('progress_reports_period_org_idx').on('progress_reports').columns(['period_id', 'org_id']).execute();
  await db.schema.createIndex('progress_reports_task_idx').on('progress_reports').columns(['task_id', 'status']).execute();
  await db.schema.createIndex('progress_reports_target_idx').on('progress_reports').columns(['target_id', 'status']).execute();

  // Frozen at period close and never updated: corrections go to snapshot_amendments. No foreign
  // keys to tasks/targets: a plan revision that deletes a task must not erase its history.
  await db.schema
    .createTable('period_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period_id', 'text', (c) => c.notNull().references('reporting_periods.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text')
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
    .addUniqueConstraint('period_snapshots_key_uq', ['period_id', 'task_id', 'target_key'])
    .execute();

  await db.schema
    .createTable('snapshot_amendments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('period_snapshots.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('before_json', 'text', (c) => c.notNull())
    .addColumn('after_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('snapshot_amendments_snapshot_idx').on('snapshot_amendments').column('snapshot_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['snapshot_amendments', 'period_snapshots', 'progress_reports', 'reporting_periods', 'reporting_schedules']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
