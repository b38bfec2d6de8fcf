/**
 * The ledger at 10,000 rows (`npm run bench:ledger`).
 *
 * Generates the city dataset of bench/city-dataset.ts sized so the ledger holds 10,010 rows
 * (10 plans × 143 tasks, each task's responsible group 各县区政府 expanded into its 7 districts)
 * into a fresh SQLite file and, when reachable, a fresh PostgreSQL database. Then times, one
 * request at a time:
 * - **HTTP**: `GET /api/ledger` (every active plan) from the real server in a child process, body
 *   read to the end (session lookup, policy, zod response validation, JSON, the socket);
 * - **in-process service**: `getLedger`, the same call without HTTP (queries + row assembly);
 * - **in-process queries**: the ledger's eight Kysely queries alone (ledger.repository.ts);
 * and also `GET /api/dashboard` and `GET /api/ledger/export.xlsx` over HTTP, and in Node the
 * shared `filterLedgerRows` over the 10,010 rows for typical filters (the web ledger's work).
 *
 * The ledger page (issue 13 §3): `getLedgerPage` (filter, sort, count, facets and page in SQL, then
 * the page's 100 rows built) in process and over HTTP, for typical filters, beside the same page
 * and total written as hand-written SQL over the tables (the limit); over the 10,010-row ledger
 * and, with --large-plans N, over a second dataset of N plans (100 → 100,100 rows).
 *
 * Options: --runs N (timed requests per measurement, default 10); --page-only (skip the full
 * ledger, dashboard and export measurements); --large-plans N (default 0: no large dataset).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { type Db, type DbHandle, migrateToLatest } from '../src/server/db/database.ts';
import type { Actor } from '../src/server/core/actor.ts';
import { listGroupMembers, listOrganisationKinds } from '../src/server/modules/organisations/organisations.service.ts';
import {
  listLedgerAssignments,
  listLedgerDeadlines,
  listLedgerPlans,
  listLedgerSections,
  listLedgerTargets,
  listLedgerTasks,
} from '../src/server/modules/plans/plan-rows.queries.ts';
import { getLedger } from '../src/server/modules/ledger/ledger.service.ts';
import { getLedgerPage } from '../src/server/modules/ledger/ledger-page.service.ts';
import { getDashboard } from '../src/server/modules/ledger/dashboard.service.ts';
import { ledgerBasedDashboard } from '../test/helpers/dashboard-oracle.ts';
import { sql } from 'kysely';
import { createPeriod } from '../src/server/modules/reporting/periods.service.ts';
import { summariseReporting } from '../src/server/modules/reporting/reporting-rate.service.ts';
import { filterLedgerRows } from '../src/shared/ledger-filter.ts';
import type { LedgerFilter, LedgerRow } from '../src/shared/schemas/ledger.schema.ts';
import { BENCH_USER, DISTRICTS, generateCityDataset, PASSWORD, onEachBenchDatabase, startServer } from './city-dataset.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'page-only': { type: 'boolean', default: false },
    'large-plans': { type: 'string', default: '0' },
  },
});
const RUNS = Math.max(3, Number(values.runs) || 10);
const PAGE_ONLY = values['page-only'] === true;
const LARGE_PLANS = Math.max(0, Number(values['large-plans']) || 0);
const PLANS = 10;
const TASKS_PER_PLAN = 143;
const AS_OF = '2018-07-01';

interface Timing {
  mean: number;
  median: number;
  min: number;
}

async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<Timing> {
  await fn(); // warm-up: JIT, statement caches, pools
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return {
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    median: samples[Math.floor(samples.length / 2)],
    min: samples[0],
  };
}

/** The ledger's queries alone, as buildLedger issues them (concurrently). */
async function ledgerQueries(db: Db): Promise<number> {
  const plans = await listLedgerPlans(db, undefined);
  const ids = plans.map((p) => p.id);
  const results = await Promise.all([
    listLedgerSections(db, ids),
    listLedgerTasks(db, ids),
    listLedgerAssignments(db, ids),
    listLedgerDeadlines(db, ids),
    listLedgerTargets(db, ids),
    listGroupMembers(db),
    listOrganisationKinds(db),
  ]);
  return results.reduce((n, r) => n + r.length, 0);
}

/**
 * The ledger page beside hand-written SQL: for each filter, getLedgerPage in process (the plan's
 * cached rows filtered, counted and paged with the shared matchLedgerRow, ADR 0009), the same
 * over HTTP, and the hand-written page + count over the tables for this dataset's shape (every
 * task's responsible group expanded into the districts: a join on organisation_members).
 */
async function benchPage(label: string, db: Db, actor: Actor, districtId: string, get: ((p: string) => () => Promise<void>) | null) {
  const planIds = (await listLedgerPlans(db, undefined)).map((p) => p.id);
  const overdue = sql`(t.status <> 'done' and exists (select 1 from deadlines d where d.task_id = t.id and d.date < ${AS_OF}))`;
  const handWritten = (where: ReturnType<typeof sql>) => async () => {
    const from = sql`from tasks t join plans p on p.id = t.plan_id
      join assignments a on a.task_id = t.id and a.role = 'responsible'
      join organisation_members m on m.group_id = a.org_id
      join organisations o on o.id = m.member_id
      where t.plan_id in (${sql.join(planIds)}) and ${where}`;
    await sql`select t.id, m.member_id ${from} order by p.created_at, p.id, t.seq, o.name limit 100`.execute(db);
    await sql`select count(*) as n ${from}`.execute(db);
  };
  const cases: Array<[string, Record<string, string>, ReturnType<typeof sql>]> = [
    ['page 1, no filter', {}, sql`1 = 1`],
    [
      'orgId (one district) + status=overdue, page 3',
      { orgId: districtId, status: 'overdue', page: '3' },
      sql`m.member_id = ${districtId} and ${overdue}`,
    ],
    ['q (text search, 2 chars)', { q: '公厕' }, sql`t.text like ${'%公厕%'}`],
  ];
  const lines: string[] = [];
  for (const [name, params, where] of cases) {
    const query = { ...params, page: params.page ? Number(params.page) : 1, pageSize: 100, asOf: AS_OF } as never;
    const first = await getLedgerPage(db, actor, query, AS_OF);
    const service = await time(() => getLedgerPage(db, actor, query, AS_OF));
    const raw = await time(handWritten(where));
    const search = new URLSearchParams({ ...params, pageSize: '100', asOf: AS_OF }).toString();
    const http = get ? await time(get(`/api/ledger/page?${search}`)) : null;
    lines.push(
      `| ${label} | ${name} (${first.total.toLocaleString('en')} of the rows) | ${http ? fmt(http.median) : ''} | ${fmt(service.median)} | ${fmt(raw.median)} | ${(service.median / raw.median).toFixed(1)}× |`,
    );
  }
  return lines;
}

/** The dashboard's main aggregate written by hand: ledger rows by unit × section × status, groups expanded. */
async function handWrittenDashboardCounts(db: Db, asOf: string) {
  const { rows } = await sql`with units as (
  select distinct a.task_id, coalesce(m.member_id, a.org_id) as org_id
  from assignments a left join organisation_members m on m.group_id = a.org_id
  where a.role = 'responsible'
)
select u.org_id, t.section_id, case when t.status = 'done' then 'done'
  when exists (select 1 from deadlines d where d.task_id = t.id and d.date < ${asOf}) then 'overdue' else t.status end as status, count(*) as n
from tasks t join plans p on p.id = t.plan_id left join units u on u.task_id = t.id
where p.status = 'active'
group by u.org_id, t.section_id, 3`.execute(db);
  return rows.length;
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

async function benchDialect(
  label: string,
  url: string,
  handle: DbHandle,
  plans = PLANS,
): Promise<{ lines: string[]; pageLines: string[]; rows: LedgerRow[] }> {
  await migrateToLatest(handle.db);
  const t0 = performance.now();
  const data = await generateCityDataset(handle.db, { plans, tasksPerPlan: TASKS_PER_PLAN });
  console.error(`[${label}] generated ${JSON.stringify(data.rows)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const user = await handle.db.selectFrom('users').select(['id', 'org_id']).where('username', '=', BENCH_USER).executeTakeFirstOrThrow();
  const actor: Actor = { userId: user.id, orgId: user.org_id, role: 'admin', displayName: 'bench' };
  if (plans !== PLANS) {
    // The larger ledger: the page in process only (its full GET /api/ledger is what paging replaces).
    const count = await getLedgerPage(handle.db, actor, { pageSize: 1 }, AS_OF);
    return {
      lines: [],
      pageLines: await benchPage(`${label}, ${count.total.toLocaleString('en')} rows`, handle.db, actor, data.districtId, null),
      rows: [],
    };
  }
  const ledger = await getLedger(handle.db, actor, { asOf: AS_OF });
  // The dashboard in-process: the SQL aggregates (now), the former whole-ledger build (the test's
  // oracle), and the limit: the row counts by unit × section × status as one hand-written query.
  const dashSql = await time(() => getDashboard(handle.db, actor, { asOf: AS_OF }));
  const dashOld = await time(() => ledgerBasedDashboard(handle.db, actor, { asOf: AS_OF }), Math.min(RUNS, 5));
  const dashRaw = await time(() => handWrittenDashboardCounts(handle.db, AS_OF));

  const { proc, base } = await startServer(url);
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: BENCH_USER, password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    let bytes = 0;
    const get = (p: string) => async () => {
      const res = await fetch(`${base}${p}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${p}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      bytes = (await res.arrayBuffer()).byteLength;
    };
    const pageLines = await benchPage(`${label}, ${ledger.rows.length.toLocaleString('en')} rows`, handle.db, actor, data.districtId, get);
    if (PAGE_ONLY) return { lines: [], pageLines, rows: ledger.rows };
    const queryRows = await ledgerQueries(handle.db);
    const queries = await time(() => ledgerQueries(handle.db));
    const service = await time(() => getLedger(handle.db, actor, { asOf: AS_OF }));
    const http = await time(get(`/api/ledger?asOf=${AS_OF}`));
    const ledgerBytes = bytes;
    const dashboard = await time(get(`/api/dashboard?asOf=${AS_OF}`));
    const exportAll = await time(get(`/api/ledger/export.xlsx?asOf=${AS_OF}`), Math.min(RUNS, 3));
    const xlsxBytes = bytes;
    const exportDistrict = await time(get(`/api/ledger/export.xlsx?orgId=${data.districtId}&asOf=${AS_OF}`), Math.min(RUNS, 5));
    // The dashboard again with a reporting period open on every plan: the 填报率 per district then
    // reads each district's rows for each plan (7 districts × 10 plans of "my reports").
    for (const plan of await listLedgerPlans(handle.db, undefined)) {
      await createPeriod(handle.db, plan.id, { start: '2018-06-01', open: true }, actor);
    }
    const dashboardReporting = await time(get(`/api/dashboard?asOf=${AS_OF}`));
    const districts = (await getDashboard(handle.db, actor, { asOf: AS_OF })).byDistrict.map((d) => d.org);
    const planIds = (await listLedgerPlans(handle.db, undefined)).map((p) => p.id);
    const rate = await time(() => summariseReporting(handle.db, planIds, districts));
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    const lines = [
      `| ${label} | GET /api/ledger (${ledger.rows.length.toLocaleString('en')} rows, ${mb(ledgerBytes)}) | ${fmt(http.median)} | ${fmt(service.median)} | ${fmt(queries.median)} (${queryRows.toLocaleString('en')} rows read) | ${(http.median / service.median).toFixed(1)}× | ${(http.median / queries.median).toFixed(1)}× |`,
      `| ${label} | GET /api/dashboard | ${fmt(dashboard.median)} | ${fmt(dashSql.median)} (SQL aggregates; whole-ledger build it replaced: ${fmt(dashOld.median)}) | ${fmt(dashRaw.median)} (hand-written GROUP BY of the row counts) | ${(dashboard.median / dashSql.median).toFixed(1)}× | ${(dashboard.median / dashRaw.median).toFixed(1)}× |`,
      `| ${label} | GET /api/dashboard, a period open on each plan | ${fmt(dashboardReporting.median)} | ${fmt(rate.median)} (填报率 alone) | | | |`,
      `| ${label} | GET /api/ledger/export.xlsx, all rows (${mb(xlsxBytes)}) | ${fmt(exportAll.median)} | | | | |`,
      `| ${label} | GET /api/ledger/export.xlsx?orgId=<淇县> | ${fmt(exportDistrict.median)} | | | | |`,
    ];
    return { lines, pageLines, rows: ledger.rows };
  } finally {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
}

function benchFilter(rows: LedgerRow[], districtId: string): string[] {
  const filters: Array<[string, LedgerFilter]> = [
    ['status=overdue', { status: 'overdue' }],
    ['orgId (one district)', { orgId: districtId }],
    ['q (text search, 2 chars)', { q: '公厕' }],
    ['q with no match', { q: '不存在的词' }],
    [
      'sectionId + orgId + dueFrom/dueTo',
      { sectionId: rows[0].sectionIds[0], orgId: districtId, dueFrom: '2018-06-01', dueTo: '2018-06-30' },
    ],
  ];
  const lines: string[] = [];
  for (const [name, filter] of filters) {
    const kept = filterLedgerRows(rows, filter).length;
    for (let i = 0; i < 20; i++) filterLedgerRows(rows, filter);
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      filterLedgerRows(rows, filter);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    lines.push(`| ${name} | ${kept.toLocaleString('en')} | ${samples[100].toFixed(2)} | ${samples[198].toFixed(2)} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  const results = await onEachBenchDatabase((label, url, handle) => benchDialect(label, url, handle));
  const lines = results.flatMap((r) => r.lines);
  const pageLines = results.flatMap((r) => r.pageLines);
  if (LARGE_PLANS > 0) {
    const large = await onEachBenchDatabase((label, url, handle) => benchDialect(label, url, handle, LARGE_PLANS));
    pageLines.push(...large.flatMap((r) => r.pageLines));
  }
  // The in-Node filter timing below runs over the SQLite run's rows.
  const rows: LedgerRow[] = results[0]?.rows ?? [];

  const district = rows.find((r) => r.responsible?.name === `${DISTRICTS[4]}政府`)?.responsible?.id ?? '';
  console.log(
    `${PLANS} plans × ${TASKS_PER_PLAN} tasks × ${DISTRICTS.length} districts; asOf ${AS_OF}; median of ${RUNS} sequential requests after a warm-up; ` +
      `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`,
  );
  console.log('');
  console.log('| database | request | HTTP ms | in-process service ms | in-process queries ms | HTTP ÷ service | HTTP ÷ queries |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const l of lines) console.log(l);
  console.log('');
  console.log('The ledger page (GET /api/ledger/page, 100 rows a page, total and facets) beside hand-written SQL (page + count):');
  console.log('');
  console.log('| database, ledger | filter | HTTP ms | in-process getLedgerPage ms | hand-written SQL ms | getLedgerPage ÷ SQL |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const l of pageLines) console.log(l);
  console.log('');
  console.log(
    `load average: ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  if (PAGE_ONLY) return;
  console.log('');
  console.log(`filterLedgerRows over ${rows.length.toLocaleString('en')} rows in Node (200 runs):`);
  console.log('');
  console.log('| filter | rows kept | median ms | p99 ms |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const l of benchFilter(rows, district)) console.log(l);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
