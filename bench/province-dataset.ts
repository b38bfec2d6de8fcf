/**
 * A synthetic province (issue 13, item 4): 18 cities, 158 county-level jurisdictions, their
 * departments, one plan per city with sections, tasks and per-county targets, 36 months of
 * reports and snapshots, and 督办 notices with escalations — deterministic from a seed.
 *
 * Everything is synthetic except the names of Henan's 18 cities and their county counts (which
 * give the province its real shape: 郑州 12 … 济源 1 = 158). County and person names are made up.
 *
 * The organisations, tenants, users and plans go through the product's services (audited, so the
 * plans' audit chains exist and verify). The bulk rows — periods, reports, snapshots, notices —
 * are inserted set-based in chunks straight into their tables, as a migration or an import of
 * history would: there is no product path that writes 36 months of history at once, and going
 * through the API for 300,000 reports would measure the generator instead of the province.
 */
import type { Insertable } from 'kysely';
import { newSortableId } from '../src/server/core/ids.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import type { Db } from '../src/server/db/database.ts';
import type {
  PeriodSnapshotsTable,
  ProgressReportsTable,
  ReportingPeriodsTable,
  SupervisionEscalationsTable,
  SupervisionNoticeRowsTable,
  SupervisionNoticesTable,
} from '../src/server/db/database.types.ts';
import { createOrganisation, declareTenant } from '../src/server/modules/organisations/organisations.service.ts';
import type { PlanGraph } from '../src/server/modules/plan-imports/plan-graph.mapping.ts';
import { createPlanFromGraph } from '../src/server/modules/plans/plans.service.ts';
import { createUser } from '../src/server/modules/users/users.service.ts';
import type { DeliveryStatus, EscalationStep } from '../src/shared/enums.ts';
import type { ReportStatus } from '../src/shared/schemas/reporting.schema.ts';

/** Henan's 18 cities and the number of county-level jurisdictions of each (158 in all). */
export const HENAN_CITIES: ReadonlyArray<readonly [string, number]> = [
  ['郑州市', 12],
  ['开封市', 9],
  ['洛阳市', 15],
  ['平顶山市', 10],
  ['安阳市', 9],
  ['鹤壁市', 5],
  ['新乡市', 12],
  ['焦作市', 10],
  ['濮阳市', 6],
  ['许昌市', 6],
  ['漯河市', 5],
  ['三门峡市', 6],
  ['南阳市', 13],
  ['商丘市', 9],
  ['信阳市', 10],
  ['周口市', 10],
  ['驻马店市', 10],
  ['济源市', 1],
];

const DEPARTMENTS = [
  '住房和城乡建设局',
  '自然资源和规划局',
  '城市管理局',
  '交通运输局',
  '发展和改革委员会',
  '财政局',
  '教育局',
  '生态环境局',
  '水利局',
  '文化广电和旅游局',
  '公安局',
  '卫生健康委员会',
];

const SECTIONS = ['总体要求', '重点任务', '城市基础设施建设', '公共服务设施建设', '生态环境建设', '保障措施'];

/** What a task asks for: a metric, its unit, and a per-county quantity range. */
const METRICS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['新建改造城市道路', '公里', 2, 20],
  ['新建公厕', '座', 3, 25],
  ['建设地下综合管廊', '公里', 1, 6],
  ['改造老旧小区', '个', 5, 40],
  ['新建改扩建中小学', '所', 1, 5],
  ['新建游园', '个', 2, 15],
  ['改造背街小巷', '条', 10, 60],
  ['新增集中供热面积', '万平方米', 20, 200],
  ['新建停车泊位', '个', 200, 2000],
  ['改造供水管网', '公里', 3, 30],
];

export const PROVINCE_PASSWORD = 'province-bench-1';
export const PROVINCE_ADMIN = 'prov-admin';

/** Small, fast, deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ProvinceOptions {
  seed?: number;
  /** How many of the 18 cities to generate (1 for a city-sized SQLite run). */
  cities?: number;
  tasksPerCity?: number;
  /** Monthly periods from January 2018; all but the last are closed. */
  months?: number;
}

export interface ProvinceCity {
  name: string;
  officeId: string;
  planId: string;
  adminUsername: string;
  countyIds: string[];
  countyUsernames: string[];
  taskIds: string[];
  openPeriodId: string;
  lastClosedPeriodId: string;
  /** County targets of the open period that have no report yet: [targetId, taskId, countyId]. */
  freshTargets: Array<[string, string, string]>;
}

export interface Province {
  provinceOfficeId: string;
  cities: ProvinceCity[];
  rows: Record<string, number>;
}

const pad = (n: number) => String(n).padStart(2, '0');

function monthBounds(index: number): { label: string; start: string; end: string; due: string } {
  const year = 2018 + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const next = month === 12 ? `${year + 1}-01` : `${year}-${pad(month + 1)}`;
  return { label: `${year}年${month}月`, start: `${year}-${pad(month)}-01`, end: `${year}-${pad(month)}-${pad(last)}`, due: `${next}-05` };
}

/** Inserts rows in chunks small enough for SQLite's parameter limit, one statement per chunk. */
async function insertChunked<T>(db: Db, table: string, rows: T[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table as any)
      .values(rows.slice(i, i + size) as any)
      .execute();
  }
}

/**
 * Generates the province into a migrated, empty database and returns the ids a benchmark needs.
 * The same seed gives the same names, numbers and statuses (ids are time-sortable, so they differ).
 */
export async function generateProvince(db: Db, opts: ProvinceOptions = {}): Promise<Province> {
  const random = prng(opts.seed ?? 2018);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const cityCount = Math.min(HENAN_CITIES.length, Math.max(1, opts.cities ?? HENAN_CITIES.length));
  const tasksPerCity = Math.max(6, opts.tasksPerCity ?? 55);
  const months = Math.max(2, opts.months ?? 36);
  const rows: Record<string, number> = {
    organisations: 0,
    users: 0,
    tasks: 0,
    targets: 0,
    periods: 0,
    reports: 0,
    snapshots: 0,
    notices: 0,
  };
  const org = async (
    name: string,
    kind: 'jurisdiction' | 'department' | 'office' | 'group',
    parentId: string | null,
    memberIds: string[] = [],
  ) => {
    rows.organisations += 1;
    return createOrganisation(db, null, { name, kind, aliases: [], adminCode: null, parentId, memberIds });
  };
  const user = async (username: string, displayName: string, orgId: string, role: 'admin' | 'leader' | 'unit') => {
    rows.users += 1;
    await createUser(db, null, { username, displayName, orgId, role, password: PROVINCE_PASSWORD });
  };

  const province = await org('河南省百城建设提质工程工作办公室', 'office', null);
  await declareTenant(db, null, province.id, { level: 'province', parentOrgId: null });
  await user(PROVINCE_ADMIN, '省百城办管理员', province.id, 'admin');
  await user('prov-leader', '省领导', province.id, 'leader');

  const cities: ProvinceCity[] = [];
  const now = '2018-01-02T01:00:00.000Z';
  for (let c = 0; c < cityCount; c++) {
    const [cityName, countyCount] = HENAN_CITIES[c];
    const code = `c${pad(c + 1)}`;
    const office = await org(`${cityName}百城建设提质工程工作办公室`, 'office', null);
    await declareTenant(db, null, office.id, { level: 'city', parentOrgId: province.id });
    const counties = [];
    for (let k = 0; k < countyCount; k++) counties.push(await org(`${cityName}第${k + 1}县区（合成）`, 'jurisdiction', office.id));
    const departments = [];
    for (const d of DEPARTMENTS) departments.push(await org(`${cityName}${d}`, 'department', office.id));
    const group = await org(
      `${cityName}各县区政府`,
      'group',
      office.id,
      counties.map((x) => x.id),
    );
    await user(`${code}-admin`, `${cityName}百城办`, office.id, 'admin');
    await user(`${code}-leader`, `${cityName}领导`, office.id, 'leader');
    const countyUsernames: string[] = [];
    for (const [k, county] of counties.entries()) {
      const username = `${code}-k${pad(k + 1)}`;
      countyUsernames.push(username);
      await user(username, county.name, county.id, 'unit');
    }

    // The plan, through the service that confirms an import (audited in the plan's chain).
    const planId = newSortableId();
    const graph: PlanGraph = {
      plan: {
        id: planId,
        title: `${cityName}2018年百城建设提质工程实施方案（合成）`,
        issuer: `${cityName}人民政府办公室`,
        year: 2018,
        status: 'active',
        source_text: '',
        owner_org_id: office.id,
        version: 1,
        created_at: now,
        updated_at: now,
      },
      sections: [],
      tasks: [],
      assignments: [],
      deadlines: [],
      targets: [],
    };
    const sectionIds = SECTIONS.map((title, s) => {
      const id = newSortableId();
      graph.sections.push({
        id,
        plan_id: planId,
        parent_id: null,
        path: JSON.stringify([`${s + 1}`]),
        title,
        ordinal: s + 1,
        span_start: 0,
        span_end: 0,
      });
      return id;
    });
    // county-level target id → [task id, county org id, goal]
    const countyTargets: Array<{ targetId: string; taskId: string; orgId: string; goal: number; pace: number }> = [];
    const taskIds: string[] = [];
    for (let t = 0; t < tasksPerCity; t++) {
      const taskId = newSortableId();
      taskIds.push(taskId);
      const [metric, unit, lo, hi] = METRICS[t % METRICS.length];
      const lead = departments[t % departments.length];
      graph.tasks.push({
        id: taskId,
        plan_id: planId,
        section_id: sectionIds[1 + (t % (sectionIds.length - 2))],
        seq: t + 1,
        text: `${metric}：各县区${metric}，完善配套设施，${2018 + (t % 3)}年底前完成年度目标任务。`,
        span_start: null,
        span_end: null,
        assignment_text: `（牵头单位：${lead.name}；责任单位：各县区政府）`,
        status: 'not_started',
        version: 1,
        created_at: now,
        updated_at: now,
      });
      graph.assignments.push(
        { id: newSortableId(), task_id: taskId, org_id: lead.id, role: 'lead', mention: null },
        { id: newSortableId(), task_id: taskId, org_id: group.id, role: 'responsible', mention: '各县区政府' },
        { id: newSortableId(), task_id: taskId, org_id: departments[(t + 5) % departments.length].id, role: 'cooperating', mention: null },
      );
      graph.deadlines.push({
        id: newSortableId(),
        task_id: taskId,
        date: `${2018 + (t % 3)}-12-31`,
        text: '年底前',
        span_start: null,
        span_end: null,
      });
      const base = {
        task_id: taskId,
        metric,
        unit,
        comparator: '>=' as const,
        max_value: null,
        baseline: null,
        deadline: `${2018 + (t % 3)}-12-31`,
        text: '',
        span_start: null,
        span_end: null,
        status: 'not_started' as const,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      const totalId = newSortableId();
      const goals = counties.map(() => lo + Math.floor(random() * (hi - lo + 1)));
      graph.targets.push({
        ...base,
        id: totalId,
        value: goals.reduce((a, b) => a + b, 0),
        jurisdiction_org_id: null,
        jurisdiction_label: '全市',
        parent_target_id: null,
      });
      for (const [k, county] of counties.entries()) {
        const targetId = newSortableId();
        graph.targets.push({
          ...base,
          id: targetId,
          value: goals[k],
          jurisdiction_org_id: county.id,
          jurisdiction_label: county.name,
          parent_target_id: totalId,
        });
        // pace: how far along the county is per month (some are behind, a few never start)
        countyTargets.push({ targetId, taskId, orgId: county.id, goal: goals[k], pace: random() < 0.06 ? 0 : 0.5 + random() });
      }
    }
    await writeTx(db, (trx) => createPlanFromGraph(trx, graph, null));
    rows.tasks += graph.tasks.length;
    rows.targets += graph.targets.length;

    // The reporting calendar: monthly from January 2018, all closed but the last.
    await db
      .insertInto('reporting_schedules')
      .values({
        plan_id: planId,
        frequency: 'monthly',
        due_day: 5,
        grace_days: 3,
        close_after_days: 10,
        start_date: '2018-01-01',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const periods: Insertable<ReportingPeriodsTable>[] = [];
    for (let m = 0; m < months; m++) {
      const b = monthBounds(m);
      const open = m === months - 1;
      periods.push({
        id: newSortableId(),
        plan_id: planId,
        label: b.label,
        frequency: 'monthly',
        start_date: b.start,
        end_date: b.end,
        due_date: b.due,
        grace_days: 3,
        close_date: null,
        status: open ? 'open' : 'closed',
        opened_at: `${b.start}T00:00:00.000Z`,
        closed_at: open ? null : `${b.due.slice(0, 8)}15T00:00:00.000Z`,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await insertChunked(db, 'reporting_periods', periods);
    rows.periods += periods.length;

    // Reports of every county target in every period, and each closed period's snapshot.
    const admin = await db.selectFrom('users').select('id').where('username', '=', `${code}-admin`).executeTakeFirstOrThrow();
    const unitIds = new Map(
      (await db.selectFrom('users').select(['id', 'org_id']).where('username', 'in', countyUsernames).execute()).map((u) => [
        u.org_id,
        u.id,
      ]),
    );
    const finalStatus = new Map<string, DeliveryStatus>();
    for (const [m, period] of periods.entries()) {
      const open = m === months - 1;
      const reports: Insertable<ProgressReportsTable>[] = [];
      const snapshots: Insertable<PeriodSnapshotsTable>[] = [];
      const taskWorst = new Map<string, DeliveryStatus>();
      for (const ct of countyTargets) {
        const value = Math.min(ct.goal, Math.round(((ct.goal * (m + 1)) / 24) * ct.pace * 10) / 10);
        const expected = Math.min(1, (m + 1) / 24);
        const ratio = ct.goal > 0 ? value / ct.goal : 1;
        const status: DeliveryStatus =
          ratio >= 1
            ? 'done'
            : ct.pace === 0
              ? m > 6
                ? 'overdue'
                : 'not_started'
              : ratio >= expected * 0.8
                ? 'on_track'
                : ratio >= expected * 0.5
                  ? 'at_risk'
                  : 'overdue';
        const late = random() < 0.08;
        const reportStatus: ReportStatus = open
          ? pick(['draft', 'submitted', 'submitted', 'approved'] as const)
          : random() < 0.02
            ? 'returned'
            : 'approved';
        // The open period leaves the last ten tasks unreported, so a benchmark can submit fresh reports.
        const fresh = open && taskIds.indexOf(ct.taskId) >= tasksPerCity - 10;
        const skipped = fresh || (ct.pace === 0 && random() < 0.5);
        const reportId = skipped ? null : newSortableId();
        const unitId = unitIds.get(ct.orgId) ?? null;
        const submitted = reportStatus === 'draft' ? null : `${period.end_date}T08:00:00.000Z`;
        if (reportId) {
          reports.push({
            id: reportId,
            period_id: period.id as string,
            task_id: ct.taskId,
            target_id: ct.targetId,
            target_key: ct.targetId,
            org_id: ct.orgId,
            value,
            completion_percent: null,
            reported_status: null,
            narrative: `本月完成${value}，累计完成目标的${Math.round(ratio * 100)}%。`,
            problems: status === 'overdue' ? '资金未到位，征地拆迁进度滞后。' : '',
            next_steps: '',
            status: reportStatus,
            is_late: late ? 1 : 0,
            submitted_at: submitted,
            submitted_by: submitted ? unitId : null,
            reviewed_at: reportStatus === 'approved' || reportStatus === 'returned' ? `${period.due_date}T09:00:00.000Z` : null,
            reviewed_by: reportStatus === 'approved' || reportStatus === 'returned' ? admin.id : null,
            review_comment: reportStatus === 'returned' ? '数据与佐证材料不符，请核实后重报。' : null,
            created_by: unitId,
            version: 1,
            created_at: `${period.start_date}T08:00:00.000Z`,
            updated_at: `${period.end_date}T08:00:00.000Z`,
          });
        }
        if (!open) {
          snapshots.push({
            id: newSortableId(),
            period_id: period.id as string,
            task_id: ct.taskId,
            target_id: ct.targetId,
            target_key: ct.targetId,
            org_id: ct.orgId,
            org_key: ct.orgId,
            report_id: reportId,
            report_status: reportId ? reportStatus : null,
            is_late: late ? 1 : 0,
            reported_value: reportId ? value : null,
            reported_status: null,
            completion_percent: null,
            computed_status: status,
            reason: reportId ? '' : '本期未报送',
            progress: Math.round(ratio * 1000) / 10,
            created_at: `${period.due_date}T15:00:00.000Z`,
          });
        }
        finalStatus.set(ct.targetId, status);
        const order: DeliveryStatus[] = ['done', 'not_started', 'on_track', 'at_risk', 'overdue'];
        const prev = taskWorst.get(ct.taskId);
        if (!prev || order.indexOf(status) > order.indexOf(prev)) taskWorst.set(ct.taskId, status);
      }
      if (!open) {
        for (const [taskId, status] of taskWorst) {
          snapshots.push({
            id: newSortableId(),
            period_id: period.id as string,
            task_id: taskId,
            target_id: null,
            target_key: '',
            org_id: null,
            org_key: '',
            report_id: null,
            report_status: null,
            is_late: 0,
            reported_value: null,
            reported_status: null,
            completion_percent: null,
            computed_status: status,
            reason: '',
            progress: null,
            created_at: `${period.due_date}T15:00:00.000Z`,
          });
        }
      }
      if (m === months - 1) for (const [taskId, status] of taskWorst) finalStatus.set(taskId, status);
      await insertChunked(db, 'progress_reports', reports);
      await insertChunked(db, 'period_snapshots', snapshots);
      rows.reports += reports.length;
      rows.snapshots += snapshots.length;
    }
    // Current statuses as the last period left them, set-based: one UPDATE per status value.
    for (const status of ['on_track', 'at_risk', 'overdue', 'done', 'not_started'] as const) {
      const targetIds = countyTargets.filter((ct) => finalStatus.get(ct.targetId) === status).map((ct) => ct.targetId);
      for (let i = 0; i < targetIds.length; i += 500)
        await db
          .updateTable('targets')
          .set({ status })
          .where('id', 'in', targetIds.slice(i, i + 500))
          .execute();
      const tIds = taskIds.filter((id) => finalStatus.get(id) === status);
      for (let i = 0; i < tIds.length; i += 500)
        await db
          .updateTable('tasks')
          .set({ status })
          .where('id', 'in', tIds.slice(i, i + 500))
          .execute();
    }

    // 督办: a handful of notices per city on the tasks that fell behind, some escalated.
    const behind = countyTargets.filter((ct) => finalStatus.get(ct.targetId) === 'overdue');
    const notices: Insertable<SupervisionNoticesTable>[] = [];
    const noticeRows: Insertable<SupervisionNoticeRowsTable>[] = [];
    const escalations: Insertable<SupervisionEscalationsTable>[] = [];
    const steps: EscalationStep[] = ['reminder', 'urging', 'yellow_card'];
    for (let n = 0; n < Math.min(8, behind.length); n++) {
      const ct = behind[Math.floor(random() * behind.length)];
      const id = newSortableId();
      const stepCount = Math.floor(random() * 4);
      const b = monthBounds(months - 2 - (n % 6));
      notices.push({
        id,
        reason: '进度滞后于时序目标，连续两期未达到计划进度。',
        required_action: '制定整改措施，明确完成时限，按期报送整改情况。',
        due_date: b.due,
        status: n % 3 === 0 ? 'closed' : n % 3 === 1 ? 'answered' : 'open',
        escalation_step: stepCount > 0 ? steps[stepCount - 1] : null,
        issued_by: admin.id,
        closed_at: n % 3 === 0 ? `${b.due}T10:00:00.000Z` : null,
        closed_by: n % 3 === 0 ? admin.id : null,
        version: 1,
        created_at: `${b.start}T02:00:00.000Z`,
        updated_at: `${b.start}T02:00:00.000Z`,
      });
      noticeRows.push({ id: newSortableId(), notice_id: id, task_id: ct.taskId, org_id: ct.orgId });
      for (let s = 0; s < stepCount; s++) {
        escalations.push({
          id: newSortableId(),
          notice_id: id,
          step: steps[s],
          note: '逾期未整改，升级督办。',
          actor_id: admin.id,
          created_at: `${b.end}T02:00:00.000Z`,
        });
      }
    }
    await insertChunked(db, 'supervision_notices', notices);
    await insertChunked(db, 'supervision_notice_rows', noticeRows);
    await insertChunked(db, 'supervision_escalations', escalations);
    rows.notices += notices.length;

    cities.push({
      name: cityName,
      officeId: office.id,
      planId,
      adminUsername: `${code}-admin`,
      countyIds: counties.map((x) => x.id),
      countyUsernames,
      taskIds,
      openPeriodId: periods[periods.length - 1].id as string,
      lastClosedPeriodId: periods[periods.length - 2].id as string,
      freshTargets: countyTargets
        .filter((ct) => taskIds.indexOf(ct.taskId) >= tasksPerCity - 10)
        .map((ct) => [ct.targetId, ct.taskId, ct.orgId]),
    });
  }
  return { provinceOfficeId: province.id, cities, rows };
}
