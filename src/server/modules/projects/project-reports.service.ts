/**
 * Monthly 调度 of projects in implementation: one report per project and open reporting period
 * (the periods are the reporting module's, read through its service), reviewed like progress
 * reports (approve / return). The first submitted report with work started moves an admitted
 * project to 实施 (in_progress).
 */
import type { ProjectReport, ProjectReportBody } from '../../../shared/schemas/project.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { getPeriod } from '../reporting/periods.service.ts';
import type { ReminderDuty } from '../reporting/reminders.service.ts';
import { assertCanReport, assertOffice, readScope } from './projects.policy.ts';
import {
  countProjectsAwaitingReport,
  findReportFor,
  findReportRow,
  insertReportRow,
  listFundingRows,
  listProjectRows,
  listReportArrivals,
  listReportRows,
  refreshYearFigures,
  replaceReportArrivals,
  updateReportIfVersion,
} from './projects.repository.ts';
import { readableRow, transition, writableRow } from './projects.service.ts';

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

type ReportRow = Awaited<ReturnType<typeof listReportRows>>[number];

/** Rows → DTOs with their arrivals (one more query for any number of reports). */
async function toReports(db: DbOrTrx, rows: ReportRow[]): Promise<ProjectReport[]> {
  const arrivals = await listReportArrivals(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    toReport(
      r,
      arrivals.filter((a) => a.report_id === r.id).map((a) => ({ sourceCode: a.source_code, amount: Number(a.amount) })),
    ),
  );
}

function toReport(r: ReportRow, arrivals: ProjectReport['arrivals']): ProjectReport {
  const cumYear = Number(r.cum_year);
  const cumTotal = Number(r.cum_total);
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    periodId: r.period_id,
    periodEnd: r.period_end,
    orgId: r.org_id,
    investment: Number(r.investment),
    progressText: r.progress_text,
    progressPct: Number(r.progress_pct),
    problems: r.problems,
    started: Number(r.started) === 1,
    status: r.status as ProjectReport['status'],
    reviewNote: r.review_note,
    arrivals,
    cumulativeYear: cumYear,
    cumulativeTotal: cumTotal,
    pctOfAnnualPlan: pct(cumYear, Number(r.annual_plan)),
    pctOfTotal: pct(cumTotal, Number(r.total_investment)),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

async function loadReport(db: DbOrTrx, id: string): Promise<ProjectReport> {
  const row = await findReportRow(db, id);
  if (!row) throw new AppError('not_found', '未找到该调度报告');
  const [r] = await toReports(db, await listReportRows(db, { projectId: row.project_id, periodId: row.period_id }));
  return r!;
}

/** Saves (and with `submit`, submits) the project's report for an open period. */
export async function saveProjectReport(db: DbOrTrx, actor: Actor, projectId: string, body: ProjectReportBody): Promise<ProjectReport> {
  const id = await writeTx(db, async (trx) => {
    const project = await writableRow(trx, actor, projectId);
    assertCanReport(actor, project);
    if (project.status !== 'admitted' && project.status !== 'in_progress')
      throw new AppError('conflict', '只有已入库或实施中的项目填报月度调度');
    const period = await getPeriod(trx, body.periodId).catch(() => {
      throw new AppError('validation', '填报周期不存在', { errors: [{ path: 'periodId', message: '填报周期不存在' }] });
    });
    if (period.status !== 'open') throw new AppError('period_not_open', `${period.label}未在填报中`);
    // Arrivals name the project's own sources, once each, and never more than a source's plan.
    const funding = new Map((await listFundingRows(trx, [projectId])).map((f) => [f.source_code, Number(f.planned)]));
    const seen = new Set<string>();
    const bad = body.arrivals.flatMap((a, i) => {
      const e = !funding.has(a.sourceCode)
        ? '该项目没有这一资金来源'
        : seen.has(a.sourceCode)
          ? '资金来源重复'
          : a.amount > funding.get(a.sourceCode)!
            ? '本月到位资金超过该来源的计划资金'
            : null;
      seen.add(a.sourceCode);
      return e ? [{ path: `arrivals.${i}.sourceCode`, message: `${e}：${a.sourceCode}` }] : [];
    });
    if (bad.length > 0) throw new AppError('validation', bad.map((e) => e.message).join('；'), { errors: bad });
    const at = new Date().toISOString();
    const status = body.submit ? 'submitted' : 'draft';
    const fields = {
      investment: body.investment,
      progress_text: body.progressText,
      progress_pct: body.progressPct,
      problems: body.problems,
      started: body.started ? 1 : 0,
      status,
      updated_at: at,
    };
    const existing = await findReportFor(trx, projectId, body.periodId);
    let reportId: string;
    if (existing) {
      if (existing.status === 'submitted' || existing.status === 'approved') throw new AppError('conflict', '本期调度已提交，不能再修改');
      const changed = await updateReportIfVersion(trx, existing.id, existing.version, { ...fields, review_note: null });
      if (changed === 0) throw new AppError('version_conflict', '调度报告已被他人修改，请刷新后重试');
      reportId = existing.id;
    } else {
      reportId = newSortableId();
      await insertReportRow(trx, {
        id: reportId,
        project_id: projectId,
        period_id: body.periodId,
        org_id: project.org_id,
        period_end: period.end,
        ...fields,
        version: 1,
        created_by: actor.userId,
        created_at: at,
      });
    }
    await replaceReportArrivals(
      trx,
      reportId,
      body.arrivals
        .filter((a) => a.amount > 0)
        .map((a) => ({ report_id: reportId, project_id: projectId, source_code: a.sourceCode, period_end: period.end, amount: a.amount })),
    );
    await refreshYearFigures(trx, [projectId]);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: body.submit ? 'project_report.submit' : 'project_report.save',
      entityType: 'project_report',
      entityId: reportId,
      after: { projectId, ...body },
    });
    if (body.submit && body.started && project.status === 'admitted') {
      await transition(trx, actor, project, 'in_progress', `${period.label}调度：已开工`);
    }
    return reportId;
  });
  return loadReport(db, id);
}

/** The office approves or returns (with reasons) a submitted project report. */
export async function reviewProjectReport(
  db: DbOrTrx,
  actor: Actor,
  id: string,
  body: { version: number; decision: 'approve' | 'return'; note: string },
): Promise<ProjectReport> {
  await writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await findReportRow(trx, id);
    if (!row) throw new AppError('not_found', '未找到该调度报告');
    // The report is another tenant's when its project is: 404 unseen, 403 seen from the province.
    await writableRow(trx, actor, row.project_id).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', '未找到该调度报告') : err;
    });
    if (row.status !== 'submitted') throw new AppError('conflict', '只有已提交的调度报告可以审核');
    if (body.decision === 'return' && !body.note.trim())
      throw new AppError('validation', '退回须说明理由', { errors: [{ path: 'note', message: '退回须说明理由' }] });
    const changed = await updateReportIfVersion(trx, id, body.version, {
      status: body.decision === 'approve' ? 'approved' : 'returned',
      review_note: body.note || null,
      updated_at: new Date().toISOString(),
    });
    if (changed === 0) throw new AppError('version_conflict', '调度报告已被他人修改，请刷新后重试');
    // A return takes the report's investment and arrivals out of the year's figures again.
    await refreshYearFigures(trx, [row.project_id]);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: `project_report.${body.decision}`,
      entityType: 'project_report',
      entityId: id,
      after: body,
    });
  });
  return loadReport(db, id);
}

/** A project's monthly reports, newest first, with cumulative sums. */
export async function listProjectReports(db: DbOrTrx, actor: Actor, projectId: string): Promise<{ items: ProjectReport[] }> {
  await readableRow(db, actor, projectId);
  return { items: await toReports(db, await listReportRows(db, { projectId })) };
}

/** The review queue (office: every county) or a caller's own reports, by period and status. */
export async function listReportQueue(
  db: DbOrTrx,
  actor: Actor,
  query: { periodId?: string; status?: string },
): Promise<{ items: ProjectReport[] }> {
  const scope = await readScope(db, actor);
  const { tenantOrgIds } = scope;
  if ('all' in scope) return { items: await toReports(db, await listReportRows(db, { ...query, tenantOrgIds })) };
  if ('orgId' in scope) return { items: await toReports(db, await listReportRows(db, { ...query, orgId: scope.orgId, tenantOrgIds })) };
  const visible = await listProjectRows(db, scope, {}, 10_000, 0);
  return { items: await toReports(db, await listReportRows(db, { ...query, projectIds: visible.map((p) => p.id) })) };
}

/**
 * Per organisation (of `orgIds`, null: every one), how many projects in implementation still owe
 * their 调度 for period `periodId`: no submitted or approved report (a draft or a returned one
 * counts as owed). What the reminder job asks units about.
 */
export async function projectsAwaitingReport(
  db: DbOrTrx,
  periodId: string,
  orgIds: ReadonlySet<string> | null,
): Promise<Map<string, number>> {
  const rows = await countProjectsAwaitingReport(db, periodId, orgIds ? [...orgIds] : null);
  return new Map(rows.map((r) => [r.orgId, r.count]));
}

/**
 * The projects' monthly 调度 as a duty of the reporting reminders (reminders.service.ts): the
 * owning unit's users (only the unit files it, projects.policy.ts) are reminded before the
 * period's due day and once it is late, while a project in implementation lacks its report.
 */
export const PROJECT_REPORT_DUTY: ReminderDuty = {
  name: 'projects',
  roles: ['unit'],
  outstanding: projectsAwaitingReport,
  message: ({ periodLabel, dueDate, late, count }) => ({
    title: late ? `${periodLabel}项目调度报送已逾期` : `${periodLabel}项目调度将于${dueDate}截止`,
    body: `尚有 ${count} 个实施中项目未报送本期调度。`,
    // The library filtered to projects in implementation, where each project's report is filed.
    link: '/projects?status=in_progress',
  }),
};
