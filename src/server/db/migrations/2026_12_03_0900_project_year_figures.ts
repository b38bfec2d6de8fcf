import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Maintained year figures of the project library (issue 14, bench:projects), owned by
// modules/projects (ADR 0007, "Year figures"). The four rates and the funding balance read them
// instead of summing 600,000 monthly reports and 150,000 funding rows on every request:
// - project_year_plans.invested: Σ investment of the project's submitted/approved reports whose
//   period ends in plan_year; .arrived: the funds arrived that year (the funding rows' entered
//   amounts in the year the project was entered for, plus the year's reported arrivals).
// - project_year_sources: per project, plan year and funding row, the year's share of the source
//   (planned × 年度计划投资 ÷ 总投资, floored; the first row takes the remainder so the shares sum
//   to the annual plan), what arrived from it that year, and `needs` (the annual plan on the first row).
// Kept by the projects module's writes (refreshYearFigures in projects.repository.ts); backfilled here
// with the same statements.
const PASSED = sql.raw(`('submitted', 'approved')`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('project_year_plans')
    .addColumn('invested', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('project_year_plans')
    .addColumn('arrived', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('project_year_sources')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('plan_year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('source_code', 'text', (c) => c.notNull())
    .addColumn('planned', 'bigint', (c) => c.notNull())
    .addColumn('arrived', 'bigint', (c) => c.notNull())
    .addColumn('needs', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_year_sources_pk', ['project_id', 'plan_year', 'seq'])
    .execute();
  await db.schema.createIndex('project_year_sources_year_idx').on('project_year_sources').columns(['plan_year', 'project_id']).execute();

  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const share = postgres
    ? sql.raw(`div(f.planned::numeric * y.annual_plan, p.total_investment)`)
    : sql.raw(`(f.planned * y.annual_plan) / p.total_investment`);
  const from = sql.raw(`cast(y.plan_year as text) || '-01-01'`);
  const to = sql.raw(`cast(y.plan_year as text) || '-12-31'`);
  await sql`update project_year_plans set
      invested = (select coalesce(sum(r.investment), 0) from project_reports r
        where r.project_id = project_year_plans.project_id and r.status in ${PASSED}
          and r.period_end >= cast(project_year_plans.plan_year as text) || '-01-01'
          and r.period_end <= cast(project_year_plans.plan_year as text) || '-12-31'),
      arrived = (case when origin = 'plan' then (select coalesce(sum(f.arrived), 0) from project_funding f where f.project_id = project_year_plans.project_id) else 0 end)
        + (select coalesce(sum(a.amount), 0) from project_report_arrivals a join project_reports r on r.id = a.report_id
          where a.project_id = project_year_plans.project_id and r.status in ${PASSED}
            and a.period_end >= cast(project_year_plans.plan_year as text) || '-01-01'
            and a.period_end <= cast(project_year_plans.plan_year as text) || '-12-31')`.execute(db);
  await sql`insert into project_year_sources (project_id, plan_year, seq, source_code, planned, arrived, needs)
    select x.project_id, x.plan_year, x.seq, x.source_code,
      x.share + case when x.rn = 1 then x.annual_plan - x.shared else 0 end,
      x.arrived,
      case when x.rn = 1 then x.annual_plan else 0 end
    from (
      select y.project_id, y.plan_year, f.seq, f.source_code, y.annual_plan,
        case when y.origin = 'plan' then f.arrived else 0 end
          + coalesce((select sum(a.amount) from project_report_arrivals a join project_reports r on r.id = a.report_id
            where a.project_id = y.project_id and a.source_code = f.source_code and r.status in ${PASSED}
              and a.period_end >= ${from} and a.period_end <= ${to}), 0) as arrived,
        ${share} as share,
        sum(${share}) over (partition by y.project_id, y.plan_year) as shared,
        row_number() over (partition by y.project_id, y.plan_year order by f.seq) as rn
      from project_year_plans y
      join projects p on p.id = y.project_id
      join project_funding f on f.project_id = y.project_id
      where p.total_investment > 0
    ) x`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('project_year_sources').ifExists().execute();
  await db.schema.alterTable('project_year_plans').dropColumn('arrived').execute();
  await db.schema.alterTable('project_year_plans').dropColumn('invested').execute();
}
