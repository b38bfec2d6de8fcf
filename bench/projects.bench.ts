/**
 * The project library at city scale (`npm run bench:projects`, issue 14).
 *
 * Per database (SQLite, and PostgreSQL when reachable): 50,000 projects over seven districts and
 * eleven categories in every state, three funding rows each, and 12 monthly reports each in 2018
 * (600,000 rows), inserted directly (loading is not timed). Then, each as the median of --runs:
 *
 * 1. a filtered library page through the service (`listProjects`: count, page, funding, links,
 *    report sums) beside one hand-written SELECT of the same page with its count;
 * 2. the four rates per county through the service (`projectRates`) beside one hand-written
 *    aggregate over joins;
 * 3. the funding balance per county through the service (`fundingBalance`) beside one
 *    hand-written aggregate of needs and apportioned sources.
 *
 * The rates and the balance read the maintained year figures (project_year_plans.invested/arrived,
 * project_year_sources; rebuilt once after loading, not timed): each is also timed beside the
 * same GROUP BY written by hand over those tables, the limit of that design.
 *
 * Options: --projects N (default 50000), --runs N (default 5), --profile (PostgreSQL: each
 * statement the service runs for the page, rates and balance with its time, and EXPLAIN ANALYZE
 * of the slowest, printed to stderr).
 */
import { parseArgs } from 'node:util';
import { type Insertable, sql } from 'kysely';
import type { Actor } from '../src/server/core/actor.ts';
import { newSortableId } from '../src/server/core/ids.ts';
import { type DbHandle, migrateToLatest } from '../src/server/db/database.ts';
import type {
  Database,
  ProjectFundingTable,
  ProjectReportArrivalsTable,
  ProjectReportsTable,
  ProjectsTable,
  ProjectYearPlansTable,
} from '../src/server/db/database.types.ts';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { fundingBalance, projectRates } from '../src/server/modules/projects/project-figures.service.ts';
import { refreshYearFigures } from '../src/server/modules/projects/projects.repository.ts';
import { listProjects } from '../src/server/modules/projects/projects.service.ts';
import { createPeriod } from '../src/server/modules/reporting/periods.service.ts';
import { generateCityDataset, onEachBenchDatabase } from './city-dataset.ts';

const { values } = parseArgs({
  options: {
    projects: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
  },
});
const PROJECTS = Math.max(100, Number(values.projects) || 50_000);
const RUNS = Math.max(1, Number(values.runs) || 5);
const CATEGORIES = [
  'road',
  'utility_tunnel',
  'public_toilet',
  'back_street',
  'school',
  'park',
  'old_community',
  'water_supply',
  'heating',
  'drainage',
  'other',
];
const STATES = [
  'draft',
  'submitted',
  'returned',
  'admitted',
  'reserve',
  'in_progress',
  'in_progress',
  'in_progress',
  'completed',
  'accepted',
];
const SOURCES = ['central', 'provincial', 'county'];

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function benchDialect(label: string, url: string, handle: DbHandle): Promise<string[]> {
  const db = handle.db;
  await migrateToLatest(db);
  const data = await generateCityDataset(db, { plans: 1, tasksPerPlan: 10 });
  const admin = await db.selectFrom('users').selectAll().where('role', '=', 'admin').executeTakeFirstOrThrow();
  const actor: Actor = { userId: admin.id, orgId: admin.org_id, role: 'admin', displayName: 'bench' };
  const districts = (await db.selectFrom('organisations').select('id').where('kind', '=', 'jurisdiction').orderBy('name').execute()).map(
    (d) => d.id,
  );
  const periods = [];
  for (let m = 1; m <= 12; m++)
    periods.push(await createPeriod(db, data.planId, { start: `2018-${String(m).padStart(2, '0')}-01`, open: false }, null));

  const t0 = performance.now();
  let x = 7;
  const rnd = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const now = new Date().toISOString();
  const chunk = 400;
  for (let start = 0; start < PROJECTS; start += chunk) {
    const projects: Insertable<ProjectsTable>[] = [];
    const funding: Insertable<ProjectFundingTable>[] = [];
    const reports: Insertable<ProjectReportsTable>[] = [];
    const years: Insertable<ProjectYearPlansTable>[] = [];
    const arrivals: Insertable<ProjectReportArrivalsTable>[] = [];
    for (let i = start; i < Math.min(PROJECTS, start + chunk); i++) {
      const id = newSortableId();
      const total = (50 + Math.floor(rnd() * 5000)) * 10_000;
      const annual = rnd() < 0.3 ? Math.floor(total * 0.4) : total;
      const status = STATES[i % STATES.length]!;
      const endMonth = 6 + (i % 7);
      projects.push({
        id,
        org_id: districts[i % districts.length]!,
        name: `压测项目${i}`,
        category_code: CATEGORIES[i % CATEGORIES.length]!,
        owner_name: '',
        lng: 114.3,
        lat: 35.7,
        address: '',
        nature: 'new',
        scale: '',
        start_date: '2018-03-01',
        end_date: `2018-${String(endMonth).padStart(2, '0')}-28`,
        total_investment: total,
        plan_year: 2018,
        annual_plan: annual,
        prep: '[]',
        status,
        completed_on: status === 'completed' || status === 'accepted' ? `2018-${String(endMonth - (i % 2)).padStart(2, '0')}-20` : null,
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      });
      years.push({
        project_id: id,
        plan_year: 2018,
        annual_plan: annual,
        origin: 'plan',
        carried_from: null,
        rolled_over: 0,
        created_at: now,
      });
      const a = Math.floor(total * 0.5);
      const b = Math.floor(total * 0.3);
      for (const [k, planned] of [a, b, total - a - b].entries()) {
        funding.push({
          id: newSortableId(),
          project_id: id,
          source_code: SOURCES[k]!,
          planned,
          arrived: Math.floor(planned * rnd()),
          seq: k + 1,
        });
      }
      for (const [m, period] of periods.entries()) {
        const reportId = newSortableId();
        // Money arrives in two months of the year, from the first source.
        if (m === 3 || m === 8)
          arrivals.push({
            report_id: reportId,
            project_id: id,
            source_code: SOURCES[0]!,
            period_end: period.end,
            amount: Math.floor(a / 10),
          });
        reports.push({
          id: reportId,
          project_id: id,
          period_id: period.id,
          org_id: districts[i % districts.length]!,
          period_end: period.end,
          investment: Math.floor(annual / 24),
          progress_text: '',
          progress_pct: 50,
          problems: '',
          started: 1,
          status: rnd() < 0.9 ? 'approved' : 'draft',
          review_note: null,
          version: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(projects).execute();
      await trx.insertInto('project_funding').values(funding).execute();
      for (let r = 0; r < reports.length; r += 1000)
        await trx
          .insertInto('project_reports')
          .values(reports.slice(r, r + 1000))
          .execute();
      await trx.insertInto('project_year_plans').values(years).execute();
      await trx.insertInto('project_report_arrivals').values(arrivals).execute();
    });
  }
  // The maintained year figures, as the service's writes would have kept them (not timed).
  const tFig = performance.now();
  await refreshYearFigures(db, 'all');
  console.error(`[${label}] year figures rebuilt in ${((performance.now() - tFig) / 1000).toFixed(1)} s`);
  // Fresh statistics, as a database that has lived with these rows would have.
  await sql`analyze`.execute(db);
  console.error(
    `[${label}] loaded ${PROJECTS} projects, ${PROJECTS * 3} funding rows, ${PROJECTS * 12} reports in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const filter = {
    orgId: districts[4]!,
    categoryCode: 'public_toilet',
    status: 'in_progress' as const,
    planYear: 2018,
    limit: 50,
    offset: 0,
  };
  const page = await median(() => listProjects(db, actor, filter));
  const pageRaw = await median(() =>
    Promise.all([
      sql`select count(*) as n from projects where org_id = ${filter.orgId} and category_code = ${filter.categoryCode} and status = ${filter.status} and plan_year = 2018`.execute(
        db,
      ),
      sql`select * from projects where org_id = ${filter.orgId} and category_code = ${filter.categoryCode} and status = ${filter.status} and plan_year = 2018 order by created_at desc, id desc limit 50`.execute(
        db,
      ),
    ]),
  );
  const rates = await median(() => projectRates(db, actor, 2018, '2018-12-31', false));
  const ratesRaw = await median(() =>
    sql`select p.org_id, count(*) as projects,
          sum(case when p.status in ('in_progress','completed','accepted') then 1 else 0 end) as started,
          sum(y.annual_plan) as annual,
          sum((select coalesce(sum(r.investment), 0) from project_reports r where r.project_id = p.id and r.status in ('submitted','approved') and r.period_end between '2018-01-01' and '2018-12-31')) as invested,
          sum((select sum(f.arrived) from project_funding f where f.project_id = p.id))
            + sum((select coalesce(sum(a.amount), 0) from project_report_arrivals a join project_reports r on r.id = a.report_id where a.project_id = p.id and r.status in ('submitted','approved') and a.period_end between '2018-01-01' and '2018-12-31')) as arrived,
          sum(case when p.end_date <= '2018-12-31' then 1 else 0 end) as due,
          sum(case when p.completed_on is not null and p.completed_on <= p.end_date then 1 else 0 end) as on_time
        from project_year_plans y join projects p on p.id = y.project_id
        where y.plan_year = 2018 and p.status in ('admitted','in_progress','completed','accepted') group by p.org_id`.execute(db),
  );
  const balance = await median(() => fundingBalance(db, actor, 2018));
  const balanceRaw = await median(() =>
    sql`select p.org_id, f.source_code, sum(y.annual_plan * f.planned / p.total_investment) as planned,
          sum(f.arrived) + coalesce(sum(a.s), 0) as arrived
        from project_year_plans y join projects p on p.id = y.project_id join project_funding f on f.project_id = p.id
        left join (select ra.project_id, ra.source_code, sum(ra.amount) as s from project_report_arrivals ra join project_reports r on r.id = ra.report_id
          where r.status in ('submitted','approved') and ra.period_end between '2018-01-01' and '2018-12-31' group by ra.project_id, ra.source_code) a
          on a.project_id = f.project_id and a.source_code = f.source_code
        where y.plan_year = 2018 and p.status in ('admitted','in_progress','completed','accepted') group by p.org_id, f.source_code`.execute(
      db,
    ),
  );
  // The same two aggregates by hand over the maintained year figures the service reads (its own limit).
  const ratesKept = await median(() =>
    sql`select p.org_id, count(*) as projects,
          sum(case when p.status in ('in_progress','completed','accepted') then 1 else 0 end) as started,
          sum(y.annual_plan) as annual, sum(y.invested) as invested, sum(y.arrived) as arrived,
          sum(case when p.end_date <= '2018-12-31' then 1 else 0 end) as due,
          sum(case when p.completed_on is not null and p.completed_on <= p.end_date then 1 else 0 end) as on_time
        from project_year_plans y join projects p on p.id = y.project_id
        where y.plan_year = 2018 and p.status in ('admitted','in_progress','completed','accepted') group by p.org_id`.execute(db),
  );
  const balanceKept = await median(() =>
    sql`select p.org_id, s.source_code, sum(s.planned) as planned, sum(s.arrived) as arrived
        from project_year_sources s join projects p on p.id = s.project_id
        where s.plan_year = 2018 and p.status in ('admitted','in_progress','completed','accepted') group by p.org_id, s.source_code`.execute(
      db,
    ),
  );
  if (values.profile && label === 'PostgreSQL') await profile(url, actor, filter);
  const row = (what: string, ours: number, raw: number, kept?: number) =>
    `| ${label} | ${what} | ${ours.toFixed(1)} | ${raw.toFixed(1)} | ${(ours / raw).toFixed(2)} | ${kept === undefined ? '–' : kept.toFixed(1)} | ${kept === undefined ? '–' : (ours / kept).toFixed(2)} |`;
  return [
    row('filtered page (50 of one county × category × status)', page, pageRaw),
    row('four rates per county', rates, ratesRaw, ratesKept),
    row('funding balance per county', balance, balanceRaw, balanceKept),
  ];
}

/** Each statement the service runs on PostgreSQL, timed, and the plan of the slowest (stderr). */
async function profile(url: string, actor: Actor, filter: Parameters<typeof listProjects>[2]): Promise<void> {
  const seen: { sql: string; params: readonly unknown[]; ms: number }[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
    log: (e) => {
      if (e.level === 'query') seen.push({ sql: e.query.sql, params: e.query.parameters, ms: e.queryDurationMillis });
    },
  });
  try {
    for (const [what, fn] of [
      ['page', () => listProjects(db, actor, filter)],
      ['rates', () => projectRates(db, actor, 2018, '2018-12-31', false)],
      ['balance', () => fundingBalance(db, actor, 2018)],
    ] as const) {
      await fn();
      seen.length = 0;
      await fn();
      console.error(`--- ${what}: ${seen.length} statements`);
      for (const q of seen) console.error(`${q.ms.toFixed(1).padStart(8)} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 140)}`);
      const slow = [...seen].sort((a, b) => b.ms - a.ms)[0];
      if (slow) {
        const plan = await sql
          .raw(`explain (analyze, buffers) ${slow.sql.replace(/\$(\d+)/g, (_m, n) => pgLiteral(slow.params[Number(n) - 1]))}`)
          .execute(db);
        console.error((plan.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
  } finally {
    await db.destroy();
  }
}

const pgLiteral = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

const lines = (await onEachBenchDatabase((label, url, handle) => benchDialect(label, url, handle))).flat();
console.log(`${PROJECTS} projects × 12 monthly reports, median of ${RUNS} runs (ms)\n`);
console.log('| database | query | ours (ms) | hand-written SQL, base tables (ms) | ratio | hand-written SQL, year figures (ms) | ratio |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const l of lines) console.log(l);
