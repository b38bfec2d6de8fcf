import { randomUUID } from 'node:crypto';
import type {
  AnswerNoticeBody,
  CreateNoticeBody,
  EscalateNoticeBody,
  NoticeActionBody,
  NoticeStatus,
  SupervisionNotice,
} from '../../../shared/schemas/supervision.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { SupervisionNoticesTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import { isLedgerRow } from '../../core/assignment-facts.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import type { Actor } from '../../core/actor.ts';
import { chinaDate } from '../../../shared/china-date.ts';
import { notifyOrgs } from '../notifications/notifications.service.ts';
import { listOrganisationNames } from '../organisations/organisations.service.ts';
import { listTaskTexts } from '../plans/plan-rows.queries.ts';
import { listRecentClosedPeriods } from '../reporting/periods.service.ts';
import { hasSubmittedReport } from '../reporting/progress-reports.service.ts';
import { findUserOrgId } from '../users/users.service.ts';
import { MISSED_REPORTS_FOR_URGING, nextEscalationStep, proposeEscalation } from './escalation.rules.ts';
import { listAnsweredNoticeEvidenceRows } from './notice-evidence.repository.ts';
import { checkAnswerEvidence, linkAnswerEvidence, toNoticeEvidence } from './notice-evidence.service.ts';
import { assertCanReadNotice, assertNoticeTasksInScope, noticeTasksReadableBy } from './supervision.policy.ts';
import {
  countNoticeRowsOnTasks,
  findNoticeRow,
  insertActionRow,
  insertEscalationRow,
  insertNoticeLedgerRows,
  insertNoticeRow,
  insertResponseRow,
  listActionRows,
  listEscalationRows,
  listNoticeIds,
  listNoticeLedgerRows as listNoticeLedgerRowIds,
  listNoticeTaskIds,
  listNoticesByIds,
  listResponseRows as listResponseRowsOnly,
  updateNoticeIfVersion,
} from './supervision.repository.ts';
import { STEP_LABEL } from './escalation.rules.ts';

const link = (id: string) => `/supervision/${id}`;

// The notices' ledger rows, named: the task's text and plan (plans) and the organisation's name
// (organisations). A row whose task or organisation is gone is left out, as the join did.
async function listNoticeLedgerRows(db: DbOrTrx, noticeIds: readonly string[]) {
  const rows = await listNoticeLedgerRowIds(db, noticeIds);
  const [tasks, orgNames] = await Promise.all([
    listTaskTexts(
      db,
      rows.map((r) => r.task_id),
    ),
    listOrganisationNames(
      db,
      rows.map((r) => r.org_id),
    ),
  ]);
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  return rows.flatMap((r) => {
    const task = taskById.get(r.task_id);
    const orgName = orgNames.get(r.org_id);
    return task && orgName !== undefined ? [{ ...r, task_text: task.text, plan_id: task.plan_id, org_name: orgName }] : [];
  });
}

// The answers of the notices, with the answering organisation's name.
async function listResponseRows(db: DbOrTrx, noticeIds: readonly string[]) {
  const rows = await listResponseRowsOnly(db, noticeIds);
  const orgNames = await listOrganisationNames(
    db,
    rows.map((r) => r.org_id),
  );
  return rows.flatMap((r) => {
    const orgName = orgNames.get(r.org_id);
    return orgName === undefined ? [] : [{ ...r, org_name: orgName }];
  });
}

async function loadNotices(db: DbOrTrx, ids: readonly string[]): Promise<SupervisionNotice[]> {
  const [notices, rows, responses, escalations, files, actions] = await Promise.all([
    listNoticesByIds(db, ids),
    listNoticeLedgerRows(db, ids),
    listResponseRows(db, ids),
    listEscalationRows(db, ids),
    listAnsweredNoticeEvidenceRows(db, ids),
    listActionRows(db, ids),
  ]);
  const byId = new Map(notices.map((n) => [n.id, n]));
  const fileById = new Map(files.map((f) => [f.id, toNoticeEvidence(f)]));
  // Answers given before evidence was checked may name ids that are no file: they are left out.
  const evidenceOf = (noticeId: string, evidenceIds: string[]) =>
    evidenceIds.flatMap((fileId) => {
      const file = fileById.get(fileId);
      return file && file.noticeId === noticeId ? [file] : [];
    });
  return ids.flatMap((id) => {
    const n = byId.get(id);
    if (!n) return [];
    return [
      {
        id: n.id,
        reason: n.reason,
        requiredAction: n.required_action,
        dueDate: n.due_date,
        status: n.status,
        escalationStep: n.escalation_step,
        issuedBy: n.issued_by,
        closedAt: n.closed_at,
        rows: rows
          .filter((r) => r.notice_id === id)
          .map((r) => ({ taskId: r.task_id, taskText: r.task_text, orgId: r.org_id, orgName: r.org_name })),
        responses: responses
          .filter((r) => r.notice_id === id)
          .map((r) => {
            const evidenceIds = JSON.parse(r.evidence_ids) as string[];
            return {
              id: r.id,
              orgId: r.org_id,
              orgName: r.org_name,
              text: r.text,
              evidenceIds,
              evidence: evidenceOf(id, evidenceIds),
              answeredBy: r.answered_by,
              at: r.created_at,
            };
          }),
        escalations: escalations
          .filter((e) => e.notice_id === id)
          .map((e) => ({ step: e.step, note: e.note, actorId: e.actor_id, at: e.created_at })),
        actions: actions
          .filter((a) => a.notice_id === id)
          .map((a) => ({ action: a.action as 'close' | 'reopen', note: a.note, actorId: a.actor_id, at: a.created_at })),
        version: n.version,
        createdAt: n.created_at,
        updatedAt: n.updated_at,
      },
    ];
  });
}

async function loadNotice(db: DbOrTrx, id: string): Promise<SupervisionNotice> {
  const [notice] = await loadNotices(db, [id]);
  if (!notice) throw new AppError('not_found', 'supervision notice not found');
  return notice;
}

const recipientOrgIds = (notice: SupervisionNotice) => [...new Set(notice.rows.map((r) => r.orgId))];

// Admin and leadership oversee every notice; a lead or unit user sees only notices addressed to
// its organisation, so one county never reads another's 督办.
function assertCanRead(actor: Actor, notice: SupervisionNotice): void {
  assertCanReadNotice(actor, recipientOrgIds(notice));
}

/** 404 unless the notice's plan is in `actor`'s jurisdictions; 403 on `administer` when only read (supervision.policy.ts). */
export async function assertNoticeInScope(db: DbOrTrx, actor: Actor | null, noticeId: string, mode: 'read' | 'administer'): Promise<void> {
  await assertNoticeTasksInScope(db, actor, await listNoticeTaskIds(db, noticeId), mode);
}

// The plan a notice is about (its first row's task's), so its notifications stay in that plan's
// tenant (notifications.policy.ts); undefined when its tasks are gone.
async function withinNoticePlan(db: DbOrTrx, noticeId: string): Promise<{ planId: string } | undefined> {
  const [row] = await listNoticeLedgerRows(db, [noticeId]);
  return row ? { planId: row.plan_id } : undefined;
}

// The notice ids of a list, narrowed to the caller's jurisdictions in the same SQL.
async function listScopedNoticeIds(db: DbOrTrx, actor: Actor | undefined, filter: Parameters<typeof listNoticeIds>[1]) {
  const taskIds = actor ? await noticeTasksReadableBy(db, actor) : null;
  if (taskIds === 'none') return [];
  return listNoticeIds(db, taskIds === null ? filter : { ...filter, taskIds });
}

/**
 * Issues a 督办 notice on one or more ledger rows (task × responsible organisation) and notifies
 * every user of the receiving organisations. 422 when a row is not a ledger row.
 */
export async function issueNotice(db: DbOrTrx, body: CreateNoticeBody, actor: Actor): Promise<SupervisionNotice> {
  return writeTx(db, async (trx) => {
    const seen = new Set<string>();
    for (const row of body.rows) {
      const key = `${row.taskId}|${row.orgId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!(await isLedgerRow(trx, row.taskId, row.orgId))) {
        throw new AppError('unprocessable', 'each row must be a task and one of its responsible organisations', {
          errors: [{ path: 'rows', message: `task ${row.taskId} has no responsible organisation ${row.orgId}` }],
        });
      }
    }
    // Every row on a plan the office administers: another city's task is not there (404).
    await assertNoticeTasksInScope(trx, actor, [...new Set(body.rows.map((r) => r.taskId))], 'administer', 'task not found');
    const id = randomUUID();
    const at = new Date().toISOString();
    await insertNoticeRow(trx, {
      id,
      reason: body.reason,
      required_action: body.requiredAction,
      due_date: body.dueDate,
      status: 'open',
      escalation_step: null,
      issued_by: actor.userId,
      closed_at: null,
      closed_by: null,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await insertNoticeLedgerRows(
      trx,
      [...seen].map((key) => {
        const [taskId, orgId] = key.split('|') as [string, string];
        return { id: randomUUID(), notice_id: id, task_id: taskId, org_id: orgId };
      }),
    );
    const notice = await loadNotice(trx, id);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'supervision_notice.issue',
      entityType: 'supervision_notice',
      entityId: id,
      after: notice,
    });
    await notifyOrgs(
      trx,
      recipientOrgIds(notice),
      {
        kind: 'supervision.issued',
        title: '督办通知',
        body: `${body.reason}\n要求：${body.requiredAction}\n期限：${body.dueDate}`,
        link: link(id),
      },
      await withinNoticePlan(trx, id),
    );
    return notice;
  });
}

/** Every notice (admin, leader), newest first. */
export async function listNotices(db: DbOrTrx, query: { status?: NoticeStatus }, actor: Actor): Promise<{ items: SupervisionNotice[] }> {
  if (actor.role !== 'admin' && actor.role !== 'leader')
    throw new AppError('forbidden', 'the office and leadership only; units use the inbox');
  return { items: await loadNotices(db, await listScopedNoticeIds(db, actor, { status: query.status })) };
}

/** The notices addressed to the caller's organisation, newest first. */
export async function listInbox(db: DbOrTrx, query: { status?: NoticeStatus }, actor: Actor): Promise<{ items: SupervisionNotice[] }> {
  return { items: await loadNotices(db, await listScopedNoticeIds(db, actor, { status: query.status, orgId: actor.orgId })) };
}

/** One notice, with its rows, answers and escalation steps; 403 for a unit it is not addressed to. */
export async function getNotice(db: DbOrTrx, id: string, actor: Actor): Promise<SupervisionNotice> {
  const notice = await loadNotice(db, id);
  await assertNoticeInScope(db, actor, id, 'read');
  assertCanRead(actor, notice);
  return notice;
}

async function loadForWrite(
  trx: DbOrTrx,
  id: string,
  version: number,
  actor: Actor,
): Promise<{ row: SupervisionNoticesTable; notice: SupervisionNotice }> {
  const row = await findNoticeRow(trx, id);
  if (!row) throw new AppError('not_found', 'supervision notice not found');
  await assertNoticeInScope(trx, actor, id, 'administer');
  const notice = await loadNotice(trx, id);
  if (row.version !== version)
    throw new AppError('version_conflict', 'the notice was changed by someone else; reload it', { current: notice });
  return { row, notice };
}

async function saveTransition(
  trx: DbOrTrx,
  before: SupervisionNotice,
  patch: Parameters<typeof updateNoticeIfVersion>[3],
): Promise<SupervisionNotice> {
  const changed = await updateNoticeIfVersion(trx, before.id, before.version, { ...patch, updated_at: new Date().toISOString() });
  if (changed === 0)
    throw new AppError('version_conflict', 'the notice was changed by someone else; reload it', {
      current: await loadNotice(trx, before.id),
    });
  return loadNotice(trx, before.id);
}

/**
 * A receiving unit answers (any number of times while the notice is not closed); the notice turns
 * `answered` and the issuing office is notified. Only users of a receiving organisation answer:
 * the office does not answer its own notice. `evidenceIds` name files the organisation uploaded
 * to this notice first (POST /supervision/:id/evidence); any other id is a 422.
 */
export async function answerNotice(db: DbOrTrx, id: string, body: AnswerNoticeBody, actor: Actor): Promise<SupervisionNotice> {
  return writeTx(db, async (trx) => {
    const row = await findNoticeRow(trx, id);
    if (!row) throw new AppError('not_found', 'supervision notice not found');
    await assertNoticeInScope(trx, actor, id, 'administer');
    const current = await loadNotice(trx, id);
    if (!current.rows.some((r) => r.orgId === actor.orgId)) throw new AppError('forbidden', 'only a receiving unit answers this notice');
    const { notice: before } = await loadForWrite(trx, id, body.version, actor);
    if (before.status === 'closed') throw new AppError('unprocessable', 'the notice is closed; ask the office to re-open it');
    const evidenceIds = await checkAnswerEvidence(trx, id, actor.orgId, body.evidenceIds);
    const responseId = randomUUID();
    await insertResponseRow(trx, {
      id: responseId,
      notice_id: id,
      org_id: actor.orgId,
      text: body.text,
      evidence_ids: JSON.stringify(evidenceIds),
      answered_by: actor.userId,
      created_at: new Date().toISOString(),
    });
    await linkAnswerEvidence(trx, evidenceIds, responseId);
    const after = await saveTransition(trx, before, { status: 'answered' });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'supervision_notice.answer',
      entityType: 'supervision_notice',
      entityId: id,
      before,
      after,
    });
    const issuer = row.issued_by ? await findUserOrgId(trx, row.issued_by) : null;
    if (issuer)
      await notifyOrgs(
        trx,
        [issuer],
        { kind: 'supervision.answered', title: '督办已回复', body: body.text, link: link(id) },
        await withinNoticePlan(trx, id),
      );
    return after;
  });
}

/** The office closes an open or answered notice; the receiving units are told. */
export async function closeNotice(db: DbOrTrx, id: string, body: NoticeActionBody, actor: Actor): Promise<SupervisionNotice> {
  return writeTx(db, async (trx) => {
    const { notice: before } = await loadForWrite(trx, id, body.version, actor);
    if (before.status === 'closed') throw new AppError('unprocessable', 'the notice is already closed');
    const at = new Date().toISOString();
    await insertActionRow(trx, {
      id: randomUUID(),
      notice_id: id,
      action: 'close',
      note: body.note ?? '',
      actor_id: actor.userId,
      created_at: at,
    });
    const after = await saveTransition(trx, before, { status: 'closed', closed_at: at, closed_by: actor.userId });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'supervision_notice.close',
      entityType: 'supervision_notice',
      entityId: id,
      before,
      after,
    });
    await notifyOrgs(
      trx,
      recipientOrgIds(after),
      {
        kind: 'supervision.closed',
        title: '督办已办结',
        body: body.note ?? '',
        link: link(id),
      },
      await withinNoticePlan(trx, id),
    );
    return after;
  });
}

/** The office re-opens a closed notice (the answer did not hold up); it is open again. */
export async function reopenNotice(db: DbOrTrx, id: string, body: NoticeActionBody, actor: Actor): Promise<SupervisionNotice> {
  return writeTx(db, async (trx) => {
    const { notice: before } = await loadForWrite(trx, id, body.version, actor);
    if (before.status !== 'closed') throw new AppError('unprocessable', 'only a closed notice can be re-opened');
    await insertActionRow(trx, {
      id: randomUUID(),
      notice_id: id,
      action: 'reopen',
      note: body.note ?? '',
      actor_id: actor.userId,
      created_at: new Date().toISOString(),
    });
    const after = await saveTransition(trx, before, { status: 'open', closed_at: null, closed_by: null });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'supervision_notice.reopen',
      entityType: 'supervision_notice',
      entityId: id,
      before,
      after,
    });
    await notifyOrgs(
      trx,
      recipientOrgIds(after),
      {
        kind: 'supervision.reopened',
        title: '督办重新办理',
        body: body.note ?? '',
        link: link(id),
      },
      await withinNoticePlan(trx, id),
    );
    return after;
  });
}

/**
 * Confirms the next escalation step (提醒 → 催办 → 黄牌 → 红牌 → 约谈 → 问责). Only the next step:
 * 422 for any other, and for a closed notice. The step, who and when are kept on the notice.
 */
export async function escalateNotice(db: DbOrTrx, id: string, body: EscalateNoticeBody, actor: Actor): Promise<SupervisionNotice> {
  return writeTx(db, async (trx) => {
    const { notice: before } = await loadForWrite(trx, id, body.version, actor);
    if (before.status === 'closed') throw new AppError('unprocessable', 'a closed notice does not escalate');
    const next = nextEscalationStep(before.escalationStep);
    if (body.step !== next) {
      throw new AppError('unprocessable', next ? `the next step is ${next} (${STEP_LABEL[next]})` : 'the notice is at the last step', {
        errors: [{ path: 'step', message: next ? `expected ${next}` : 'no further step' }],
      });
    }
    await insertEscalationRow(trx, {
      id: randomUUID(),
      notice_id: id,
      step: body.step,
      note: body.note,
      actor_id: actor.userId,
      created_at: new Date().toISOString(),
    });
    const after = await saveTransition(trx, before, { escalation_step: body.step });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'supervision_notice.escalate',
      entityType: 'supervision_notice',
      entityId: id,
      before,
      after,
    });
    await notifyOrgs(
      trx,
      recipientOrgIds(after),
      {
        kind: 'supervision.escalated',
        title: `督办升级：${STEP_LABEL[body.step]}`,
        body: body.note,
        link: link(id),
      },
      await withinNoticePlan(trx, id),
    );
    return after;
  });
}

// The most missed reports in a row, over the notice's ledger rows: a period counts as missed for
// a row when it closed without the organisation submitting a report on the task.
async function countConsecutiveMissed(db: DbOrTrx, notice: SupervisionNotice, planOfTask: Map<string, string>): Promise<number> {
  let worst = 0;
  for (const row of notice.rows) {
    const planId = planOfTask.get(row.taskId);
    if (!planId) continue;
    let missed = 0;
    for (const period of await listRecentClosedPeriods(db, planId, MISSED_REPORTS_FOR_URGING)) {
      if (await hasSubmittedReport(db, period.id, row.taskId, row.orgId)) break;
      missed += 1;
    }
    worst = Math.max(worst, missed);
  }
  return worst;
}

/**
 * The escalation the rules propose for each notice not closed, as of `asOf` (default: today in
 * China); the admin confirms them one by one. With `actor`, only notices of their jurisdictions.
 */
export async function listEscalationProposals(db: DbOrTrx, asOfDate?: string, actor?: Actor) {
  const asOf = asOfDate ?? chinaDate(new Date());
  const ids = await listScopedNoticeIds(db, actor, { excludeStatus: 'closed' });
  const notices = await loadNotices(db, ids);
  const planOfTask = new Map((await listNoticeLedgerRows(db, ids)).map((r) => [r.task_id, r.plan_id]));
  const items = [];
  for (const notice of notices) {
    const last = notice.escalations.at(-1);
    const proposal = proposeEscalation(
      { status: notice.status, dueDate: notice.dueDate, escalationStep: notice.escalationStep, lastEscalatedAt: last?.at ?? null },
      { consecutiveMissedReports: await countConsecutiveMissed(db, notice, planOfTask) },
      asOf,
    );
    if (proposal)
      items.push({
        noticeId: notice.id,
        currentStep: notice.escalationStep,
        proposedStep: proposal.step,
        reasons: proposal.reasons,
        version: notice.version,
      });
  }
  return { asOf, items };
}

/** Distinct 督办 notices per task on `taskIds`: what a plan revision must not delete. */
export function countNoticesOnTasks(db: DbOrTrx, taskIds: string[]) {
  return countNoticeRowsOnTasks(db, taskIds);
}
