import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { seedDemoIfEmpty } from '../src/server/demo/demo-seed.ts';
import { listProjectAssessmentFacts } from '../src/server/modules/projects/projects-assessment.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';

const quiet = { info: () => {}, warn: () => {} };
const STATES = ['draft', 'submitted', 'returned', 'reserve', 'admitted', 'in_progress', 'completed', 'accepted'];

/** The months from `from` to `to` (YYYY-MM), both included. */
function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 60; guard++) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    out.push(ym);
    if (ym >= to) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

// The demo's project library on the default demo day (2018-12-20): the record of a year, each
// started project's 调度 month by month from its start (issue 14 items 4 and 10).
describeEachDialect('demo project library (2018-12-20)', (ctx) => {
  let handle: DbHandle;
  let projects: {
    id: string;
    org: string;
    name: string;
    status: string;
    start_date: string;
    completed_on: string | null;
    annual_plan: number;
  }[];
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
    await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-12-20' }, quiet);
    // Hebi's library only (its plan's city), not the synthetic second city's.
    const plan = await handle.db.selectFrom('plans').select('owner_org_id').where('title', 'like', '%百城%').executeTakeFirstOrThrow();
    projects = (
      await handle.db
        .selectFrom('projects')
        .innerJoin('organisations', 'organisations.id', 'projects.org_id')
        .select([
          'projects.id',
          'organisations.name as org',
          'projects.name',
          'projects.status',
          'projects.start_date',
          'projects.completed_on',
          'projects.annual_plan',
        ])
        .where('organisations.tenant_id', '=', plan.owner_org_id)
        .execute()
    ).map((p) => ({ ...p, annual_plan: Number(p.annual_plan) }));
    // A whole demo year through the services: tens of seconds on a shared machine.
  }, 300_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('has about sixty 2018 projects, every life-cycle state somewhere, and a different count and mix in each district', () => {
    const library = projects.filter((p) => !p.name.endsWith('（2019）'));
    expect(library.length).toBeGreaterThanOrEqual(55);
    expect(library.length).toBeLessThanOrEqual(65);
    expect(new Set(library.map((p) => p.status))).toEqual(new Set(STATES));
    const byDistrict = new Map<string, Record<string, number>>();
    for (const p of library) {
      const counts = byDistrict.get(p.org) ?? Object.fromEntries(STATES.map((s) => [s, 0]));
      counts[p.status]! += 1;
      byDistrict.set(p.org, counts);
    }
    expect(byDistrict.size).toBe(5);
    const mixes = [...byDistrict.values()].map((c) => STATES.map((s) => c[s]).join(','));
    expect(new Set(mixes).size).toBe(5);
    const totals = [...byDistrict.values()].map((c) => Object.values(c).reduce((a, n) => a + n, 0));
    expect(new Set(totals).size).toBeGreaterThan(1);
    const underWay = [...byDistrict.values()].map((c) => c.in_progress!);
    expect(Math.min(...underWay)).toBeGreaterThan(0);
    expect(new Set(underWay).size).toBeGreaterThan(1);
  });

  it('files a 调度 for every month of a started project from its start, on the demo calendar, reviewed as the office did', async () => {
    const started = projects.filter((p) => ['in_progress', 'completed', 'accepted'].includes(p.status));
    expect(started.length).toBeGreaterThanOrEqual(20);
    const reports = await handle.db
      .selectFrom('project_reports')
      .select(['project_id', 'period_end', 'status', 'investment', 'progress_pct', 'progress_text', 'problems', 'created_at', 'updated_at'])
      .where(
        'project_id',
        'in',
        started.map((p) => p.id),
      )
      .orderBy('period_end')
      .execute();
    for (const p of started) {
      const mine = reports.filter((r) => r.project_id === p.id);
      // Through the open December while under way; through the month of completion once done.
      const last = p.status === 'in_progress' ? '2018-12' : p.completed_on!.slice(0, 7);
      const expected = months(p.start_date.slice(0, 7) < '2018-04' ? '2018-04' : p.start_date.slice(0, 7), last);
      expect(
        mine.map((r) => r.period_end.slice(0, 7)),
        p.name,
      ).toEqual(expected);
      expect(mine.length, p.name).toBeGreaterThanOrEqual(p.status === 'in_progress' ? 7 : 2);
      // 形象进度 never goes back; a finished project's last report says 100%.
      const pcts = mine.map((r) => Number(r.progress_pct));
      expect(
        pcts.every((x, i) => i === 0 || x >= pcts[i - 1]!),
        p.name,
      ).toBe(true);
      if (p.status !== 'in_progress') expect(pcts.at(-1)).toBe(100);
      expect(mine.every((r) => r.progress_text.length > 0)).toBe(true);
      // The year's investment stays within the annual plan.
      const invested = mine.reduce((a, r) => a + Number(r.investment), 0);
      expect(invested, p.name).toBeLessThanOrEqual(p.annual_plan);
      expect(invested, p.name).toBeGreaterThan(0);
    }
    const closed = reports.filter((r) => r.period_end < '2018-12-01');
    const open = reports.filter((r) => r.period_end >= '2018-12-01');
    // Closed months: all filed, nearly all approved; the open month: filed or still a draft, none reviewed yet.
    expect(closed.every((r) => r.status === 'approved' || r.status === 'submitted')).toBe(true);
    expect(closed.filter((r) => r.status === 'approved').length / closed.length).toBeGreaterThan(0.85);
    expect(new Set(open.map((r) => r.status))).toEqual(new Set(['submitted', 'draft']));
    // Problems are raised now and then, not every month.
    const withProblems = reports.filter((r) => r.problems !== '').length;
    expect(withProblems).toBeGreaterThan(0);
    expect(withProblems).toBeLessThan(reports.length / 2);
    // Dated by the demo's calendar: a month's report is filed after its month began, before today.
    for (const r of reports) {
      expect(r.created_at >= `${r.period_end.slice(0, 7)}-01`, r.period_end).toBe(true);
      expect(r.updated_at < '2018-12-21', r.period_end).toBe(true);
    }
  });

  it('keeps the year figures and the audit as the services do, so the half-year sees the spring’s work', async () => {
    const ids = projects.map((p) => p.id);
    const years = await handle.db
      .selectFrom('project_year_plans')
      .select(['project_id', 'invested'])
      .where('plan_year', '=', 2018)
      .where('project_id', 'in', ids)
      .execute();
    const passed = await handle.db
      .selectFrom('project_reports')
      .select(['project_id', 'investment'])
      .where('project_id', 'in', ids)
      .where('status', 'in', ['submitted', 'approved'])
      .execute();
    for (const y of years) {
      const sum = passed.filter((r) => r.project_id === y.project_id).reduce((a, r) => a + Number(r.investment), 0);
      expect(Number(y.invested)).toBe(sum);
    }
    const submits = await handle.db
      .selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'project_report.submit')
      .where(
        'entity_id',
        'in',
        (await handle.db.selectFrom('project_reports').select('id').where('project_id', 'in', ids).execute()).map((r) => r.id),
      )
      .execute();
    expect(submits.length).toBeGreaterThanOrEqual(passed.length);
    // On 30 June a good share of the library had started and invested (the half-year assessment's facts).
    const orgIds = [
      ...new Set((await handle.db.selectFrom('projects').select('org_id').where('id', 'in', ids).execute()).map((p) => p.org_id)),
    ];
    const facts = await listProjectAssessmentFacts(handle.db, '2018-06-30', orgIds);
    expect(facts.filter((f) => f.started).length).toBeGreaterThanOrEqual(15);
    expect(facts.reduce((a, f) => a + f.investedYear, 0)).toBeGreaterThan(0);
  });

  it('has a 调整 approved and one pending, and dates the life cycle by the demo’s calendar', async () => {
    const ids = projects.map((p) => p.id);
    const crs = await handle.db
      .selectFrom('project_change_requests')
      .select(['status', 'created_at'])
      .where('project_id', 'in', ids)
      .execute();
    expect(crs.map((c) => c.status).sort()).toEqual(['approved', 'pending']);
    expect(crs.every((c) => c.created_at.startsWith('2018-'))).toBe(true);
    const transitions = await handle.db
      .selectFrom('project_transitions')
      .select(['project_id', 'from_status', 'to_status', 'created_at'])
      .where('project_id', 'in', ids)
      .execute();
    expect(transitions.every((x) => x.created_at < '2018-12-21')).toBe(true);
    // Work started in the project's start month (its first report moved it to 实施).
    for (const p of projects.filter((x) => x.status === 'in_progress')) {
      const start = transitions.find((x) => x.project_id === p.id && x.to_status === 'in_progress' && x.from_status === 'admitted')!;
      // Its month's report is filed by the 5th of the next month.
      expect(months(p.start_date.slice(0, 7), start.created_at.slice(0, 7)), p.name).toHaveLength(2);
    }
  });
});
