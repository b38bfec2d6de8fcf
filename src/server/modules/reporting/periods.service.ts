import { isCalendarDate } from '../../../shared/schemas/common.schema.ts';
import type {
  CreatePeriodBody,
  PutReportingScheduleBody,
  ReportingFrequency,
  ReportingPeriod,
  ReportingSchedule,
} from '../../../shared/schemas/reporting.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/db-errors.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { versionedUpdateAudited } from '../../core/versioned-update.ts';
import { newSortableId } from '../../core/ids.ts';
import { dueDateAfter, lastOnTimeDate, periodContaining, periodLabel } from './period-calendar.rule.ts';
import { addDays, chinaDate } from '../../../shared/china-date.ts';
import { toPeriod, toSchedule } from './reporting-dto.mapping.ts';
import { findPlanBasics } from '../plans/plan-status.queries.ts';
import { assertPlanInScope } from './reporting-tenancy.policy.ts';
import {
  findPeriodBySpan,
  findPeriodRow,
  findScheduleRow,
  insertPeriodRow,
  insertScheduleRow,
  listPeriodRows,
  listPeriodsToOpen,
  listRecentClosedPeriodRows,
  listScheduleRows,
  updateScheduleRow,
} from './reporting.repository.ts';

/** What a plan without a stored schedule reports on: monthly, due on the 5th, no grace, closed 10 days later. */
export const DEFAULT_SCHEDULE = { frequency: 'monthly', dueDay: 5, graceDays: 0, closeAfterDays: 10, startDate: null } as const;

async function assertPlan(db: DbOrTrx, planId: string): Promise<{ id: string; created_at: string }> {
  const plan = await findPlanBasics(db, planId);
  if (!plan) throw new AppError('not_found', 'plan not found');
  return plan;
}

/**
 * The plan's reporting schedule, or the defaults (isStored false, version 0) when none was set.
 * 404 when the plan is not in `actor`'s jurisdictions (omitted: an internal caller).
 */
export async function getSchedule(db: DbOrTrx, planId: string, actor?: Actor | null): Promise<ReportingSchedule> {
  await assertPlan(db, planId);
  await assertPlanInScope(db, actor, planId, 'read', 'plan not found');
  const row = await findScheduleRow(db, planId);
  return row ? toSchedule(row) : { planId, ...DEFAULT_SCHEDULE, isStored: false, version: 0 };
}

/**
 * Sets the plan's reporting schedule. Creating one sends no version; changing one sends the
 * version read (409 with the current schedule when stale). Existing periods keep their dates.
 * Saving a schedule enables it: in the same transaction the period containing `clock.today`
 * (LUOSHI_TODAY in demos, else today in China) is created when missing and opened when pending,
 * audited under the admin, so a new plan takes reports without the admin finding the period steps.
 */
export async function putSchedule(
  db: Db,
  planId: string,
  body: PutReportingScheduleBody,
  actor: Actor | null,
  clock: { today?: string } = {},
): Promise<ReportingSchedule> {
  return writeTx(db, async (trx) => {
    await assertPlan(trx, planId);
    await assertPlanInScope(trx, actor, planId, 'administer', 'plan not found');
    const before = await findScheduleRow(trx, planId);
    const now = new Date().toISOString();
    const fields = {
      frequency: body.frequency,
      due_day: body.dueDay,
      grace_days: body.graceDays,
      close_after_days: body.closeAfterDays,
      start_date: body.startDate,
    };
    if (!before) {
      if (body.version !== undefined)
        throw new AppError('version_conflict', 'the plan has no schedule yet; send no version', { current: null });
      await insertScheduleRow(trx, { plan_id: planId, ...fields, version: 1, created_at: now, updated_at: now });
    } else {
      const changed = body.version === undefined ? 0 : await updateScheduleRow(trx, planId, body.version, { ...fields, updated_at: now });
      if (changed === 0) {
        throw new AppError('version_conflict', 'the schedule was changed by someone else; reload it', { current: toSchedule(before) });
      }
    }
    const after = toSchedule((await findScheduleRow(trx, planId))!);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: before ? 'reporting_schedule.update' : 'reporting_schedule.create',
      entityType: 'reporting_schedule',
      entityId: planId,
      before: before ? toSchedule(before) : null,
      after,
    });
    await openCurrentPeriod(trx, planId, after, clock.today ?? chinaDate(new Date()), actor);
    return after;
  });
}

/** The plan's periods in date order (404 when the plan is not in `actor`'s jurisdictions; omitted: internal). */
export async function listPeriods(db: DbOrTrx, planId: string, actor?: Actor | null): Promise<{ items: ReportingPeriod[] }> {
  await assertPlan(db, planId);
  await assertPlanInScope(db, actor, planId, 'read', 'plan not found');
  return { items: (await listPeriodRows(db, planId)).map(toPeriod) };
}

/**
 * One period, or 404 — also when its plan is not in `actor`'s jurisdictions; with `mode`
 * 'administer', 403 when they read but do not administer it. Actor omitted: an internal caller.
 */
export async function getPeriod(
  db: DbOrTrx,
  periodId: string,
  actor?: Actor | null,
  mode: 'read' | 'administer' = 'read',
): Promise<ReportingPeriod> {
  const row = await findPeriodRow(db, periodId);
  if (!row) throw new AppError('not_found', 'reporting period not found');
  await assertPlanInScope(db, actor, row.plan_id, mode, 'reporting period not found');
  return toPeriod(row);
}

interface PeriodSpec {
  label: string;
  frequency: ReportingFrequency;
  start: string;
  end: string;
  dueDate: string;
  graceDays: number;
  closeDate: string | null;
}

function specFromSchedule(
  schedule: Pick<ReportingSchedule, 'frequency' | 'dueDay' | 'graceDays' | 'closeAfterDays'>,
  day: string,
): PeriodSpec {
  const { start, end } = periodContaining(schedule.frequency, day);
  const dueDate = dueDateAfter(end, schedule.dueDay);
  return {
    label: periodLabel(schedule.frequency, start),
    frequency: schedule.frequency,
    start,
    end,
    dueDate,
    graceDays: schedule.graceDays,
    closeDate: addDays(lastOnTimeDate(dueDate, schedule.graceDays), schedule.closeAfterDays),
  };
}

async function insertPeriod(trx: DbOrTrx, planId: string, spec: PeriodSpec, actor: Actor | null): Promise<ReportingPeriod> {
  const id = newSortableId();
  const now = new Date().toISOString();
  await insertPeriodRow(trx, {
    id,
    plan_id: planId,
    label: spec.label,
    frequency: spec.frequency,
    start_date: spec.start,
    end_date: spec.end,
    due_date: spec.dueDate,
    grace_days: spec.graceDays,
    close_date: spec.closeDate,
    status: 'pending',
    opened_at: null,
    closed_at: null,
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const created = toPeriod((await findPeriodRow(trx, id))!);
  await appendAudit(trx, {
    actorId: actor?.userId ?? null,
    action: 'reporting_period.create',
    entityType: 'reporting_period',
    entityId: id,
    after: created,
  });
  return created;
}

/**
 * Creates a reporting period of the plan. With `start` alone it is the schedule's period containing
 * that day; given fields override the schedule's. 409 when the plan already has a period with the
 * same dates, 422 when the dates do not make sense. `open: true` opens it at once.
 */
export async function createPeriod(db: Db, planId: string, body: CreatePeriodBody, actor: Actor | null): Promise<ReportingPeriod> {
  return writeTx(db, async (trx) => {
    await assertPlan(trx, planId);
    await assertPlanInScope(trx, actor, planId, 'administer', 'plan not found');
    const schedule = await getSchedule(trx, planId);
    const base = specFromSchedule(schedule, body.start);
    const spec: PeriodSpec = body.end
      ? {
          label: body.label ?? (body.start === base.start && body.end === base.end ? base.label : `${body.start}至${body.end}`),
          frequency: schedule.frequency,
          start: body.start,
          end: body.end,
          dueDate: body.dueDate ?? dueDateAfter(body.end, schedule.dueDay),
          graceDays: body.graceDays ?? schedule.graceDays,
          closeDate: null,
        }
      : { ...base, label: body.label ?? base.label, dueDate: body.dueDate ?? base.dueDate, graceDays: body.graceDays ?? base.graceDays };
    // The job closes it closeAfterDays after the last on-time day, unless told otherwise (null: the admin closes it).
    spec.closeDate =
      body.closeDate !== undefined ? body.closeDate : addDays(lastOnTimeDate(spec.dueDate, spec.graceDays), schedule.closeAfterDays);
    // Dates derived from a start near the end of the calendar (2999-12) fall outside it; refuse them
    // here rather than store a period no response can carry.
    for (const [field, date] of [
      ['end', spec.end],
      ['dueDate', spec.dueDate],
      ['closeDate', spec.closeDate],
    ] as const) {
      if (date !== null && !isCalendarDate(date)) {
        throw new AppError('unprocessable', `推算出的日期不是有效日期：${date}`, {
          errors: [{ path: field, message: `不是有效日期：${date}` }],
        });
      }
    }
    if (spec.end < spec.start) throw new AppError('unprocessable', 'the period ends before it starts');
    if (spec.dueDate < spec.start) throw new AppError('unprocessable', 'the due date is before the period starts');
    if (spec.closeDate !== null && spec.closeDate < spec.start)
      throw new AppError('unprocessable', 'the closing date is before the period starts');
    if (await findPeriodBySpan(trx, planId, spec.start, spec.end)) {
      throw new AppError('conflict', `the plan already has a period from ${spec.start} to ${spec.end}`);
    }
    let created: ReportingPeriod;
    try {
      created = await insertPeriod(trx, planId, spec, actor);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', `the plan already has a period from ${spec.start} to ${spec.end}`);
      throw err;
    }
    return body.open ? openPeriod(trx as Db, created.id, created.version, actor) : created;
  });
}

/** Opens a pending period for reports (version as read; 409 when stale or already open/closed). */
export async function openPeriod(db: Db, periodId: string, version: number, actor: Actor | null): Promise<ReportingPeriod> {
  return writeTx(db, async (trx) => {
    const before = await getPeriod(trx, periodId, actor, 'administer');
    if (before.status !== 'pending') throw new AppError('conflict', `the period is already ${before.status}`);
    const now = new Date().toISOString();
    return versionedUpdateAudited(trx, {
      table: 'reporting_periods',
      id: periodId,
      version,
      patch: { status: 'open', opened_at: now, updated_at: now },
      conflict: () => new AppError('version_conflict', 'the period was changed by someone else; reload it', { current: before }),
      audit: {
        actorId: actor?.userId ?? null,
        action: 'reporting_period.open',
        entityType: 'reporting_period',
        entityId: periodId,
        before,
        after: () => getPeriod(trx, periodId),
      },
    });
  });
}

/**
 * Makes the schedule's period containing `asOf` exist and be open: creates it when missing (unless
 * the schedule starts later) and opens it when pending and not past its closing day. Idempotent: an
 * open or closed period is left as it is. Used by the scheduled job and when a schedule is saved.
 * Returns the id of the period it opened, or null.
 */
export async function openCurrentPeriod(
  db: DbOrTrx,
  planId: string,
  schedule: Pick<ReportingSchedule, 'frequency' | 'dueDay' | 'graceDays' | 'closeAfterDays' | 'startDate'>,
  asOf: string,
  actor: Actor | null,
): Promise<string | null> {
  if (schedule.startDate && schedule.startDate > asOf) return null;
  const spec = specFromSchedule(schedule, asOf);
  const existing = await findPeriodBySpan(db, planId, spec.start, spec.end);
  const period = existing ? toPeriod(existing) : await writeTx(db, (trx) => insertPeriod(trx, planId, spec, actor));
  if (period.status !== 'pending' || (period.closeDate !== null && period.closeDate <= asOf)) return null;
  await openPeriod(db as Db, period.id, period.version, actor);
  return period.id;
}

/**
 * For the scheduled job: creates each scheduled plan's period containing `asOf` when missing, and
 * opens every pending period that has started and is not past its closing day. Periods that were
 * never created and are already past are skipped rather than back-filled. Returns the opened ids.
 */
export async function openDuePeriods(db: Db, asOf: string): Promise<string[]> {
  const opened: string[] = [];
  for (const s of await listScheduleRows(db)) {
    try {
      const id = await openCurrentPeriod(db, s.plan_id, toSchedule(s), asOf, null);
      if (id) opened.push(id);
    } catch (err) {
      // Another instance created or opened it first: that is the outcome we wanted.
      if (!(isUniqueViolation(err) || isRaceLoss(err))) throw err;
    }
  }
  for (const p of await listPeriodsToOpen(db, asOf)) {
    try {
      await openPeriod(db, p.id, p.version, null);
      opened.push(p.id);
    } catch (err) {
      // Opened or closed meanwhile by an admin or another instance.
      if (!isRaceLoss(err)) throw err;
    }
  }
  return opened;
}

function isRaceLoss(err: unknown): boolean {
  return err instanceof AppError && (err.code === 'conflict' || err.code === 'version_conflict');
}

/** The plan's closed periods (id, end date), latest first, up to `limit` (supervision counts missed reports over them). */
export function listRecentClosedPeriods(db: DbOrTrx, planId: string, limit: number) {
  return listRecentClosedPeriodRows(db, planId, limit);
}
