import { type Insertable, sql, type Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type {
  SupervisionActionsTable,
  SupervisionEscalationsTable,
  SupervisionNoticeRowsTable,
  SupervisionNoticesTable,
  SupervisionResponsesTable,
} from '../../db/database.types.ts';

export async function insertNoticeRow(db: DbOrTrx, row: Insertable<SupervisionNoticesTable>): Promise<void> {
  await db.insertInto('supervision_notices').values(row).execute();
}

export async function insertNoticeLedgerRows(db: DbOrTrx, rows: Insertable<SupervisionNoticeRowsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('supervision_notice_rows').values(rows).execute();
}

export function findNoticeRow(db: DbOrTrx, id: string) {
  return db.selectFrom('supervision_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Updates when the version still matches (and bumps it); returns the rows changed, 0 when stale. */
export async function updateNoticeIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Omit<Updateable<SupervisionNoticesTable>, 'id' | 'version'>,
): Promise<number> {
  const res = await db
    .updateTable('supervision_notices')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Notice ids, newest first; with `orgId`, only notices with a ledger row of that organisation. */
export async function listNoticeIds(db: DbOrTrx, filter: { status?: string; orgId?: string; excludeStatus?: string }): Promise<string[]> {
  let q = db.selectFrom('supervision_notices as n').select('n.id').orderBy('n.created_at', 'desc').orderBy('n.id', 'desc');
  if (filter.status) q = q.where('n.status', '=', filter.status);
  if (filter.excludeStatus) q = q.where('n.status', '!=', filter.excludeStatus);
  if (filter.orgId) {
    const orgId = filter.orgId;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('supervision_notice_rows as r').select(sql`1`.as('one')).whereRef('r.notice_id', '=', 'n.id').where('r.org_id', '=', orgId)),
    );
  }
  return (await q.execute()).map((r) => r.id);
}

export function listNoticesByIds(db: DbOrTrx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('supervision_notices').selectAll().where('id', 'in', [...ids]).execute();
}

export function listNoticeLedgerRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('supervision_notice_rows as r')
    .innerJoin('tasks as t', 't.id', 'r.task_id')
    .innerJoin('organisations as o', 'o.id', 'r.org_id')
    .select(['r.notice_id', 'r.task_id', 'r.org_id', 't.text as task_text', 't.plan_id', 'o.name as org_name'])
    .where('r.notice_id', 'in', [...noticeIds])
    .orderBy('r.id')
    .execute();
}

export function listResponseRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('supervision_responses as s')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .selectAll('s')
    .select('o.name as org_name')
    .where('s.notice_id', 'in', [...noticeIds])
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
}

export async function insertResponseRow(db: DbOrTrx, row: Insertable<SupervisionResponsesTable>): Promise<void> {
  await db.insertInto('supervision_responses').values(row).execute();
}

export function listEscalationRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('supervision_escalations').selectAll().where('notice_id', 'in', [...noticeIds]).orderBy('created_at').orderBy('id').execute();
}

export function listActionRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('supervision_actions').selectAll().where('notice_id', 'in', [...noticeIds]).orderBy('created_at').orderBy('id').execute();
}

export async function insertActionRow(db: DbOrTrx, row: Insertable<SupervisionActionsTable>): Promise<void> {
  await db.insertInto('supervision_actions').values(row).execute();
}

export async function insertEscalationRow(db: DbOrTrx, row: Insertable<SupervisionEscalationsTable>): Promise<void> {
  await db.insertInto('supervision_escalations').values(row).execute();
}

/** The plan's closed periods, latest first, up to `limit`. */
export function listRecentClosedPeriods(db: DbOrTrx, planId: string, limit: number) {
  return db
    .selectFrom('reporting_periods')
    .select(['id', 'end_date'])
    .where('plan_id', '=', planId)
    .where('status', '=', 'closed')
    .orderBy('end_date', 'desc')
    .limit(limit)
    .execute();
}

/** True when the organisation submitted (or had approved) a report on the task in the period. */
export async function hasSubmittedReport(db: DbOrTrx, periodId: string, taskId: string, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('progress_reports')
    .select('id')
    .where('period_id', '=', periodId)
    .where('task_id', '=', taskId)
    .where('org_id', '=', orgId)
    .where('status', 'in', ['submitted', 'approved'])
    .executeTakeFirst();
  return row !== undefined;
}

export async function findUserOrgId(db: DbOrTrx, userId: string): Promise<string | null> {
  const user = await db.selectFrom('users').select('org_id').where('id', '=', userId).executeTakeFirst();
  return user?.org_id ?? null;
}
