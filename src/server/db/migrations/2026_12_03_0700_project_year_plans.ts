import { type Kysely, sql } from 'kysely';

// The annual rolling plan (年度项目计划, issue 14 item 3) and per-year arrived funds (item 2),
// owned by modules/projects (ADR 0007, "Annual plans").
// - project_year_plans: one row per project and plan year it belongs to, with that year's
//   年度计划投资. `origin` is 'plan' (the year the project was entered or admitted for) or
//   'rollover' (carried from `carried_from` by the office's 年度结转); `rolled_over` = 1 marks a
//   year whose remainder was carried on (the row stays as that year's history).
// - project_report_arrivals: money arrived per source as a monthly 调度 reports it; it counts for
//   the calendar year of the report's period once the report is submitted or approved.
// - project_intake_deadlines: the office's 谋划 deadline for a plan year (default 11-30 of the year before).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('project_year_plans')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('plan_year', 'integer', (c) => c.notNull())
    .addColumn('annual_plan', 'bigint', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('carried_from', 'integer')
    .addColumn('rolled_over', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_year_plans_pk', ['project_id', 'plan_year'])
    .execute();
  await db.schema.createIndex('project_year_plans_year_idx').on('project_year_plans').columns(['plan_year', 'project_id']).execute();
  await sql`insert into project_year_plans (project_id, plan_year, annual_plan, origin, carried_from, rolled_over, created_at)
    select id, plan_year, annual_plan, 'plan', null, 0, created_at from projects`.execute(db);

  await db.schema
    .createTable('project_report_arrivals')
    .addColumn('report_id', 'text', (c) => c.notNull().references('project_reports.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('source_code', 'text', (c) => c.notNull().references('project_funding_sources.code'))
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_report_arrivals_pk', ['report_id', 'source_code'])
    .execute();
  await db.schema
    .createIndex('project_report_arrivals_project_idx')
    .on('project_report_arrivals')
    .columns(['project_id', 'period_end'])
    .execute();

  await db.schema
    .createTable('project_intake_deadlines')
    .addColumn('plan_year', 'integer', (c) => c.primaryKey())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Year sums of reports per project (rates, page sums, roll-over remainders) read by project and period end.
  await db.schema
    .createIndex('project_reports_project_end_idx')
    .on('project_reports')
    .columns(['project_id', 'period_end', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('project_reports_project_end_idx').ifExists().execute();
  for (const t of ['project_intake_deadlines', 'project_report_arrivals', 'project_year_plans']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
