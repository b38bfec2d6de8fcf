/**
 * The demo's living record: the Hebi plan's reporting year up to the demo's "today", so a
 * newcomer's first dashboard reads like a programme office's December, not a wall of red.
 *
 * Every month from the schedule's start whose closing day has come is reported and closed: most
 * organisations report each of their rows (target-reporters.rule.ts), some late, a few never; a
 * few reports are returned and resubmitted; progress follows a curve that meets most targets by
 * their deadlines, with a few lagging (at risk) or missed. Then 督办 notices on the laggards, a few
 * escalated. Deterministic: one seeded generator, rows in a fixed order.
 *
 * How it writes: the many reports of a month go in as one set-based insert per period (shaped
 * exactly as the report service writes them, with one audit event per period saying how many);
 * the few returned-and-resubmitted reports, every period close (which freezes the snapshot and
 * recomputes statuses) and every notice and escalation go through the services, each audited.
 * Dates are the demo's own (2018); only the audit log's timestamps say when the seed ran.
 */
import type { Insertable } from 'kysely';
import type { ReportingPeriod } from '../../shared/schemas/reporting.schema.ts';
import type { ProgressReportsTable } from '../db/database.types.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../core/actor.ts';
import { appendAudit } from '../core/audit-log.ts';
import { newSortableId } from '../core/ids.ts';
import { writeTx } from '../core/transaction.ts';
import { closePeriod } from '../modules/reporting/period-close.service.ts';
import { lastOnTimeDate } from '../modules/reporting/period-calendar.rule.ts';
import { addDays } from '../../shared/china-date.ts';
import { createPeriod, listPeriods } from '../modules/reporting/periods.service.ts';
import { approveReport, returnReport, submitReport } from '../modules/reporting/progress-reports.service.ts';
import { listJurisdictionLabels, loadPlanReporting, putJurisdictionLabel } from '../modules/reporting/report-rows.service.ts';
import { escalateNotice, issueNotice } from '../modules/supervision/supervision.service.ts';

/** mulberry32: a tiny deterministic generator (the demo must be the same on every install). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How Hebi's office reads the plan's place labels that name no registry body: 市城区 and its
 * variants (市区, 城市 as against 县城) are the three urban districts and the two zones; 两县 and
 * 县城 are 浚县 and 淇县. 全市 stays with each task's responsible units.
 */
const URBAN = ['淇滨区政府', '山城区政府', '鹤山区政府', '鹤壁经济技术开发区管委会', '鹤壁市城乡一体化示范区管委会'];
const COUNTIES = ['浚县政府', '淇县政府'];
const DEMO_LABELS: Record<string, string[]> = {
  市城区: URBAN,
  市各城区: URBAN,
  市主城区: URBAN,
  市区: URBAN,
  城市: URBAN,
  市城市: URBAN,
  两县: COUNTIES,
  县城: COUNTIES,
};

/** Organisations that report less reliably in the demo (a missed or late month now and then). */
const SLOW_ORGS = new Set(['鹤山区政府', '鹤壁市城乡一体化示范区管委会']);

export interface DemoHistoryResult {
  closedPeriods: number;
  reports: number;
  notices: number;
}

interface Row {
  taskId: string;
  targetId: string | null;
  orgId: string;
}

const nextMonth = (d: string) => {
  const [y, m] = d.slice(0, 7).split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};
/** A moment on a demo day, in the morning in China. */
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

/**
 * The office's reading of the plan's place labels the registry cannot resolve (DEMO_LABELS), put
 * through the label service (audited), so each county's rows are its own from the first sign-in.
 */
export async function resolveDemoLabels(db: Db, planId: string, admin: Actor, orgIdByName: Map<string, string>): Promise<void> {
  for (const label of (await listJurisdictionLabels(db, planId)).items) {
    const names = DEMO_LABELS[label.label];
    if (!names) continue;
    const orgIds = names.map((n) => orgIdByName.get(n)).filter((id): id is string => id !== undefined);
    await putJurisdictionLabel(db, planId, { label: label.label, orgIds }, admin);
  }
}

/**
 * Seeds the record on a freshly imported demo plan whose schedule is saved (the period of
 * `startDate`'s month open). `users` maps organisation ids to their demo account (reports of
 * other organisations carry no submitter, as a clerk's entry on their behalf would).
 * `hooks.beforeClose` runs for every month after its task reports and before it closes, while the
 * period is still open: what else the month's record holds (the project library's 调度 reports,
 * projects.demo.ts), filed through its own services in the month it belongs to.
 */
export async function seedDemoHistory(
  db: Db,
  planId: string,
  today: string,
  admin: Actor,
  accounts: { byOrg: Map<string, Actor>; orgIdByName: Map<string, string> },
  hooks: { beforeClose?: (period: ReportingPeriod) => Promise<void> } = {},
): Promise<DemoHistoryResult> {
  const rand = seededRandom(2018);
  const result: DemoHistoryResult = { closedPeriods: 0, reports: 0, notices: 0 };

  // 1. What each row is measured against: the target's value and the deadline it is judged at.
  const targets = new Map(
    (
      await db
        .selectFrom('targets')
        .innerJoin('tasks', 'tasks.id', 'targets.task_id')
        .select(['targets.id', 'targets.value', 'targets.unit', 'targets.comparator', 'targets.deadline'])
        .where('tasks.plan_id', '=', planId)
        .execute()
    ).map((t) => [t.id, t]),
  );
  const lastDeadline = new Map(
    (
      await db
        .selectFrom('deadlines')
        .innerJoin('tasks', 'tasks.id', 'deadlines.task_id')
        .select(['deadlines.task_id'])
        .select((eb) => eb.fn.max('deadlines.date').as('last'))
        .where('tasks.plan_id', '=', planId)
        .groupBy('deadlines.task_id')
        .execute()
    ).map((r) => [r.task_id, String(r.last)]),
  );
  const reporting = await loadPlanReporting(db, planId);
  const orgNameById = new Map([...accounts.orgIdByName].map(([name, id]) => [id, name]));
  // Ids are random per install; the generator walks the rows in an order of names and numbers
  // only, so every install gets the same record.
  const seqOf = new Map(
    (await db.selectFrom('tasks').select(['id', 'seq']).where('plan_id', '=', planId).execute()).map((t) => [t.id, t.seq]),
  );
  const targetText = new Map(
    (
      await db
        .selectFrom('targets')
        .innerJoin('tasks', 'tasks.id', 'targets.task_id')
        .select(['targets.id', 'targets.metric', 'targets.jurisdiction_label', 'targets.value', 'targets.text'])
        .where('tasks.plan_id', '=', planId)
        .execute()
    ).map((t) => [t.id, `${t.metric}|${t.jurisdiction_label ?? ''}|${Number(t.value)}|${t.text}`]),
  );
  const sortKey = (r: Row) =>
    `${String(seqOf.get(r.taskId) ?? 0).padStart(4, '0')}|${r.targetId ? targetText.get(r.targetId) : ''}|${orgNameById.get(r.orgId) ?? r.orgId}`;
  const rows: Row[] = reporting.rows
    .map((r) => ({ taskId: r.taskId, targetId: r.targetId, orgId: r.orgId, key: '' }))
    .map((r) => ({ ...r, key: sortKey(r) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  // Each row's pace: most run a little ahead of the line to their deadline, a few lag behind.
  const pace = new Map<string, number>();
  const laggingTasks = new Set<string>();
  const taskIds = [...new Set(rows.map((r) => r.taskId))].sort((a, b) => (seqOf.get(a) ?? 0) - (seqOf.get(b) ?? 0));
  for (const taskId of taskIds) if (rand() < 0.12) laggingTasks.add(taskId);
  const paceOf = (row: Row) => {
    const key = `${row.taskId}/${row.targetId ?? ''}`;
    let p = pace.get(key);
    if (p === undefined) {
      p = laggingTasks.has(row.taskId) ? 0.5 + rand() * 0.2 : 1.05 + rand() * 0.25;
      pace.set(key, p);
    }
    return p;
  };
  const planStart = '2018-04-01';
  const share = (row: Row, end: string) => {
    const deadline = (row.targetId ? targets.get(row.targetId)?.deadline : null) ?? lastDeadline.get(row.taskId) ?? '2018-12-31';
    const months = Math.max(1, monthsBetween(planStart, deadline));
    return Math.min(1, (paceOf(row) * monthsBetween(planStart, end)) / months);
  };

  // 2. Month by month until the period containing today.
  let period = (await listPeriods(db, planId)).items.find((p) => p.status === 'open');
  while (period?.closeDate && period.closeDate <= today) {
    const filed: Insertable<ProgressReportsTable>[] = [];
    const returning: string[] = [];
    for (const row of rows) {
      const orgName = orgNameById.get(row.orgId) ?? '';
      const slow = SLOW_ORGS.has(orgName);
      if (rand() < (slow ? 0.18 : 0.03)) continue; // missed this month
      const late = rand() < (slow ? 0.35 : 0.08);
      const onTime = lastOnTimeDate(period.dueDate, period.graceDays);
      const submittedDay = late ? addDays(onTime, 1 + Math.floor(rand() * 5)) : addDays(period.dueDate, -Math.floor(rand() * 5));
      const s = share(row, period.end);
      const target = row.targetId ? targets.get(row.targetId) : undefined;
      let value: number | null = null;
      if (target) {
        const goal = Number(target.value);
        // A ceiling (≤ 300 米) is met by staying under it; a quantity grows towards its value.
        const raw =
          target.comparator === '<=' || target.comparator === '<' ? goal * (0.9 + rand() * 0.08) : goal * s * (0.97 + rand() * 0.03);
        value = Math.round(Math.min(raw, target.unit === '%' ? 100 : Number.POSITIVE_INFINITY) * 10) / 10;
      }
      const percent = Math.round(s * 100);
      const reportedStatus = percent >= 100 ? 'done' : laggingTasks.has(row.taskId) ? 'at_risk' : 'on_track';
      const actor = accounts.byOrg.get(row.orgId);
      const id = newSortableId();
      const submittedAt = at(submittedDay).toISOString();
      const reviewedAt = at(addDays(submittedDay, 2), 15).toISOString();
      // qixian's two target rows each month are returned for more evidence, then resubmitted (below).
      const returnIt = actor?.role === 'unit' && row.targetId !== null && returning.length < 2 && rand() < 0.3;
      if (returnIt) returning.push(id);
      filed.push({
        id,
        period_id: period.id,
        task_id: row.taskId,
        target_id: row.targetId,
        target_key: row.targetId ?? '',
        org_id: row.orgId,
        value,
        completion_percent: percent,
        reported_status: reportedStatus,
        narrative: narrativeFor(orgName, percent, reportedStatus),
        problems: reportedStatus === 'at_risk' ? '征迁和资金到位滞后，工期偏紧' : '',
        next_steps: percent >= 100 ? '做好验收和资料归档' : '按月度计划推进，加强调度',
        status: returnIt ? 'submitted' : 'approved',
        is_late: late ? 1 : 0,
        submitted_at: submittedAt,
        submitted_by: actor?.userId ?? null,
        reviewed_at: returnIt ? null : reviewedAt,
        reviewed_by: returnIt ? null : admin.userId,
        review_comment: null,
        created_by: actor?.userId ?? null,
        version: returnIt ? 2 : 3,
        created_at: at(addDays(submittedDay, -1)).toISOString(),
        updated_at: returnIt ? submittedAt : reviewedAt,
      });
    }
    const p = period;
    await writeTx(db, async (trx) => {
      for (let i = 0; i < filed.length; i += 500)
        await trx
          .insertInto('progress_reports')
          .values(filed.slice(i, i + 500))
          .execute();
      await appendAudit(trx, {
        actorId: admin.userId,
        action: 'progress_report.demo_import',
        entityType: 'reporting_period',
        entityId: p.id,
        after: {
          reports: filed.length,
          late: filed.filter((r) => r.is_late === 1).length,
          note: '演示数据：本期各单位报送（批量导入）',
        },
      });
    });
    result.reports += filed.length;

    // Returned for more evidence, resubmitted, approved: the real transitions, each audited.
    for (const [i, id] of returning.entries()) {
      const report = filed.find((r) => r.id === id)!;
      const unit = accounts.byOrg.get(report.org_id)!;
      const day = String(report.submitted_at).slice(0, 10);
      let r = await returnReport(db, id, { version: 2, comment: '请补充现场照片和台账佐证' }, admin, {
        now: at(addDays(day, 1), 16),
        today: addDays(day, 1),
      });
      r = await submitReport(db, id, { version: r.version }, unit, { now: at(addDays(day, 3), 9), today: addDays(day, 3) });
      if (i === 0 || p.start < '2018-11-01') {
        await approveReport(db, id, { version: r.version, comment: '材料齐全' }, admin, {
          now: at(addDays(day, 4), 11),
          today: addDays(day, 4),
        });
      }
    }

    if (hooks.beforeClose) await hooks.beforeClose(p);
    const fresh = (await listPeriods(db, planId)).items.find((x) => x.id === p.id)!;
    await closePeriod(db, p.id, fresh.version, null, { now: at(p.closeDate!, 10), today: p.closeDate! });
    result.closedPeriods += 1;
    const nextStart = nextMonth(p.start);
    period =
      (await listPeriods(db, planId)).items.find((x) => x.start === nextStart && x.status === 'open') ??
      (await createPeriod(db, planId, { start: nextStart, open: true }, admin));
  }
  // The demo's periods opened on their first day, not when the seed ran.
  for (const x of (await listPeriods(db, planId)).items) {
    await db
      .updateTable('reporting_periods')
      .set({ opened_at: at(x.start, 0).toISOString() })
      .where('id', '=', x.id)
      .execute();
  }

  // 3. 督办 on the rows that lag or went unreported, a few escalated up the ladder.
  const lagging = rows.filter(
    (r) => r.targetId === null && reporting.rows.some((x) => x.taskId === r.taskId && x.orgId === r.orgId && x.basis === 'responsible'),
  );
  const pick = (pred: (r: Row) => boolean) => lagging.find((r) => pred(r) && !used.has(`${r.taskId}|${r.orgId}`));
  const used = new Set<string>();
  const slowIds = new Set([...SLOW_ORGS].map((n) => accounts.orgIdByName.get(n)));
  const noticeSpecs: { pred: (r: Row) => boolean; reason: string; due: string; steps: ('reminder' | 'urging' | 'yellow_card')[] }[] = [
    {
      pred: (r) => laggingTasks.has(r.taskId) && slowIds.has(r.orgId),
      reason: '进度明显滞后于年度计划，且连续漏报',
      due: addDays(today, -8),
      steps: ['reminder', 'urging', 'yellow_card'],
    },
    {
      pred: (r) => laggingTasks.has(r.taskId),
      reason: '项目推进缓慢，年底前难以完成',
      due: addDays(today, -3),
      steps: ['reminder', 'urging'],
    },
    { pred: (r) => slowIds.has(r.orgId), reason: '月度进展报送多次逾期', due: addDays(today, 5), steps: ['reminder'] },
    {
      pred: (r) => r.orgId === accounts.orgIdByName.get('淇县政府'),
      reason: '请说明年度任务完成情况并附佐证材料',
      due: addDays(today, 10),
      steps: [],
    },
  ];
  for (const spec of noticeSpecs) {
    // One notice per ledger row: each picks the first row its rule finds that no notice has yet.
    const row = pick(spec.pred);
    if (!row) continue;
    used.add(`${row.taskId}|${row.orgId}`);
    let notice = await issueNotice(
      db,
      {
        rows: [{ taskId: row.taskId, orgId: row.orgId }],
        reason: spec.reason,
        requiredAction: '限期整改，按周报送进展',
        dueDate: spec.due,
      },
      admin,
    );
    for (const step of spec.steps) notice = await escalateNotice(db, notice.id, { version: notice.version, step, note: '' }, admin);
    // The demo's dates: issued three weeks before its due day, each rung a few days apart.
    const issued = addDays(spec.due, -21);
    await db
      .updateTable('supervision_notices')
      .set({ created_at: at(issued).toISOString(), updated_at: at(addDays(issued, 3 * spec.steps.length)).toISOString() })
      .where('id', '=', notice.id)
      .execute();
    const rungs = await db
      .selectFrom('supervision_escalations')
      .select('id')
      .where('notice_id', '=', notice.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const [i, rung] of rungs.entries()) {
      await db
        .updateTable('supervision_escalations')
        .set({ created_at: at(addDays(issued, 3 * (i + 1))).toISOString() })
        .where('id', '=', rung.id)
        .execute();
    }
    result.notices += 1;
  }
  return result;
}

function monthsBetween(start: string, end: string): number {
  const [ys, ms] = start.split('-').map(Number) as [number, number];
  const [ye, me] = end.split('-').map(Number) as [number, number];
  return (ye - ys) * 12 + (me - ms) + 1;
}

function narrativeFor(orgName: string, percent: number, status: string): string {
  const who = orgName.replace(/政府$|管委会$/, '');
  if (percent >= 100) return `${who}已完成年度任务，正在组织验收`;
  if (status === 'at_risk') return `${who}完成年度任务的${percent}%，进度滞后`;
  return `${who}按计划推进，累计完成年度任务的${percent}%`;
}
