import { type Insertable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import type { NoticeStatus } from '../../../shared/enums.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import type {
  Database,
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
  return updateIfVersion(db, 'supervision_notices', id, version, patch);
}

/**
 * Notice ids, newest first; with `orgId`, only notices with a ledger row of that organisation;
 * with `taskIds` (a subquery of plans' tasks: the caller's jurisdictions), only notices whose
 * every row is on one of those tasks.
 */
export async function listNoticeIds(
  db: DbOrTrx,
  filter: {
    status?: NoticeStatus;
    orgId?: string;
    excludeStatus?: NoticeStatus;
    taskIds?: SelectQueryBuilder<Database, 'tasks', { id: string }>;
  },
): Promise<string[]> {
  let q = db.selectFrom('supervision_notices as n').select('n.id').orderBy('n.created_at', 'desc').orderBy('n.id', 'desc');
  if (filter.status) q = q.where('n.status', '=', filter.status);
  if (filter.excludeStatus) q = q.where('n.status', '!=', filter.excludeStatus);
  if (filter.taskIds) {
    const taskIds = filter.taskIds;
    q = q
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('supervision_notice_rows as r').select(sql`1`.as('one')).whereRef('r.notice_id', '=', 'n.id')),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('supervision_notice_rows as r')
              .select(sql`1`.as('one'))
              .whereRef('r.notice_id', '=', 'n.id')
              .where('r.task_id', 'not in', taskIds),
          ),
        ),
      );
  }
  if (filter.orgId) {
    const orgId = filter.orgId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('supervision_notice_rows as r')
          .select(sql`1`.as('one'))
          .whereRef('r.notice_id', '=', 'n.id')
          .where('r.org_id', '=', orgId),
      ),
    );
  }
  return (await q.execute()).map((r) => r.id);
}

export function listNoticesByIds(db: DbOrTrx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('supervision_notices')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** The ledger rows (task × organisation) of the notices, in the order they were named. */
export function listNoticeLedgerRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('supervision_notice_rows as r')
    .select(['r.notice_id', 'r.task_id', 'r.org_id'])
    .where('r.notice_id', 'in', [...noticeIds])
    .orderBy('r.id')
    .execute();
}

export function listResponseRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('supervision_responses as s')
    .selectAll('s')
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
  return db
    .selectFrom('supervision_escalations')
    .selectAll()
    .where('notice_id', 'in', [...noticeIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listActionRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('supervision_actions')
    .selectAll()
    .where('notice_id', 'in', [...noticeIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertActionRow(db: DbOrTrx, row: Insertable<SupervisionActionsTable>): Promise<void> {
  await db.insertInto('supervision_actions').values(row).execute();
}

export async function insertEscalationRow(db: DbOrTrx, row: Insertable<SupervisionEscalationsTable>): Promise<void> {
  await db.insertInto('supervision_escalations').values(row).execute();
}

/** Distinct notices per task on `taskIds` (what a plan revision must not delete). */
export function countNoticeRowsOnTasks(db: DbOrTrx, taskIds: string[]) {
  return db
    .selectFrom('supervision_notice_rows as n')
    .select(['n.task_id', (eb) => eb.fn.count<number>('n.notice_id').distinct().as('n')])
    .where('n.task_id', 'in', taskIds.length ? taskIds : ['-'])
    .groupBy('n.task_id')
    .execute();
}

/** The tasks a notice's ledger rows are on (its plan's tenant decides who sees it). */
export async function listNoticeTaskIds(db: DbOrTrx, noticeId: string): Promise<string[]> {
  const rows = await db.selectFrom('supervision_notice_rows').select('task_id').distinct().where('notice_id', '=', noticeId).execute();
  return rows.map((r) => r.task_id);
}
