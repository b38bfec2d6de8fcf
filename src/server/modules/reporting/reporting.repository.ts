import { type Insertable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import { isPostgres } from '../../core/audit-log.ts';
import type { ReportStatus } from '../../../shared/schemas/reporting.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import type {
  Database,
  PeriodSnapshotsTable,
  ProgressReportsTable,
  ReportingPeriodsTable,
  ReportingSchedulesTable,
  SnapshotAmendmentsTable,
} from '../../db/database.types.ts';

// `in (…)` lists stay far below the parameter caps too.
async function selectChunked<T>(ids: string[], select: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 5000) out.push(...(await select(ids.slice(i, i + 5000))));
  return out;
}

// ---- schedules ----

export function findScheduleRow(db: DbOrTrx, planId: string) {
  return db.selectFrom('reporting_schedules').selectAll().where('plan_id', '=', planId).executeTakeFirst();
}

export function listScheduleRows(db: DbOrTrx) {
  return db.selectFrom('reporting_schedules').selectAll().execute();
}

export async function insertScheduleRow(db: DbOrTrx, row: Insertable<ReportingSchedulesTable>): Promise<void> {
  await db.insertInto('reporting_schedules').values(row).execute();
}

export async function updateScheduleRow(
  db: DbOrTrx,
  planId: string,
  version: number,
  patch: Updateable<ReportingSchedulesTable>,
): Promise<number> {
  return updateIfVersion(db, 'reporting_schedules', planId, version, patch, 'plan_id');
}

// ---- periods ----

export function findPeriodRow(db: DbOrTrx, periodId: string) {
  return db.selectFrom('reporting_periods').selectAll().where('id', '=', periodId).executeTakeFirst();
}

export function findPeriodBySpan(db: DbOrTrx, planId: string, start: string, end: string) {
  return db
    .selectFrom('reporting_periods')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('start_date', '=', start)
    .where('end_date', '=', end)
    .executeTakeFirst();
}

export function listPeriodRows(db: DbOrTrx, planId: string) {
  return db.selectFrom('reporting_periods').selectAll().where('plan_id', '=', planId).orderBy('start_date').orderBy('end_date').execute();
}

export async function insertPeriodRow(db: DbOrTrx, row: Insertable<ReportingPeriodsTable>): Promise<void> {
  await db.insertInto('reporting_periods').values(row).execute();
}

export async function updatePeriodRow(
  db: DbOrTrx,
  periodId: string,
  version: number,
  patch: Updateable<ReportingPeriodsTable>,
): Promise<number> {
  return updateIfVersion(db, 'reporting_periods', periodId, version, patch);
}

/** Pending periods that have started and are not yet past their closing day. */
export function listPeriodsToOpen(db: DbOrTrx, asOf: string) {
  return db
    .selectFrom('reporting_periods')
    .selectAll()
    .where('status', '=', 'pending')
    .where('start_date', '<=', asOf)
    .where((eb) => eb.or([eb('close_date', 'is', null), eb('close_date', '>', asOf)]))
    .orderBy('start_date')
    .execute();
}

export function listPeriodsToClose(db: DbOrTrx, asOf: string) {
  return db
    .selectFrom('reporting_periods')
    .selectAll()
    .where('status', '=', 'open')
    .where('close_date', 'is not', null)
    .where('close_date', '<=', asOf)
    .orderBy('start_date')
    .execute();
}

// ---- reports ----

// The organisation's name is not joined here (organisations owns the table): progress-reports.service.ts
// names the rows from organisations' service, one call per request.
function reportQuery(db: DbOrTrx) {
  return db.selectFrom('progress_reports as r').selectAll('r');
}

export function findReportRow(db: DbOrTrx, reportId: string) {
  return reportQuery(db).where('r.id', '=', reportId).executeTakeFirst();
}

/** A progress report as stored. */
export type StoredReportRow = NonNullable<Awaited<ReturnType<typeof findReportRow>>>;

/** A progress report with its organisation's name (filled by progress-reports.service.ts). */
export type ReportRow = StoredReportRow & { org_name: string };

export function findReportByKey(db: DbOrTrx, key: { periodId: string; taskId: string; targetKey: string; orgId: string }) {
  return reportQuery(db)
    .where('r.period_id', '=', key.periodId)
    .where('r.task_id', '=', key.taskId)
    .where('r.target_key', '=', key.targetKey)
    .where('r.org_id', '=', key.orgId)
    .executeTakeFirst();
}

export interface ReportFilter {
  periodId: string;
  status?: ReportStatus;
  taskId?: string;
  orgId?: string;
  /** Only these reports (the caller's readable ones, from readableReportIds); undefined: all. */
  readableIds?: SelectQueryBuilder<any, any, { id: string }>;
}

export function listReportRows(db: DbOrTrx, f: ReportFilter) {
  let q = reportQuery(db).where('r.period_id', '=', f.periodId);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.taskId) q = q.where('r.task_id', '=', f.taskId);
  if (f.orgId) q = q.where('r.org_id', '=', f.orgId);
  if (f.readableIds) q = q.where('r.id', 'in', f.readableIds);
  return q.orderBy('r.task_id').orderBy('r.target_key').orderBy('r.org_id').execute();
}

export function listOrgReportRows(db: DbOrTrx, periodId: string, orgId: string) {
  return reportQuery(db).where('r.period_id', '=', periodId).where('r.org_id', '=', orgId).execute();
}

export async function insertReportRow(db: DbOrTrx, row: Insertable<ProgressReportsTable>): Promise<void> {
  await db.insertInto('progress_reports').values(row).execute();
}

export async function updateReportRow(
  db: DbOrTrx,
  reportId: string,
  version: number,
  patch: Updateable<ProgressReportsTable>,
): Promise<number> {
  return updateIfVersion(db, 'progress_reports', reportId, version, patch);
}

/** Rows per multi-row INSERT of reports: 23 columns × 500 stays far below both databases' parameter limits. */
const REPORT_INSERT_CHUNK = 500;
/** Rows per UPDATE … FROM (VALUES …) of drafts: 8 values each. */
const REPORT_UPDATE_CHUNK = 1000;

/** Inserts many reports, one multi-row INSERT per 500 rows (a sheet's new drafts). */
export async function insertReportRows(db: DbOrTrx, rows: readonly Insertable<ProgressReportsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += REPORT_INSERT_CHUNK)
    await db
      .insertInto('progress_reports')
      .values(rows.slice(i, i + REPORT_INSERT_CHUNK))
      .execute();
}

/** What a draft's save changes: its content fields, at the version read. */
export interface DraftUpdate {
  id: string;
  version: number;
  value: number | null;
  completion_percent: number | null;
  reported_status: string | null;
  narrative: string;
  problems: string;
  next_steps: string;
}

/**
 * Writes the content of many drafts set-based: one `UPDATE … FROM (VALUES …)` per 1,000 rows,
 * each row only at the version read (version + 1, updated_at = `at`). Returns how many rows
 * changed: fewer than given means one was changed by someone else since it was read.
 */
export async function updateDraftRows(db: DbOrTrx, rows: readonly DraftUpdate[], at: string): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += REPORT_UPDATE_CHUNK) {
    const values = sql.join(
      rows
        .slice(i, i + REPORT_UPDATE_CHUNK)
        .map(
          (r) =>
            sql`(${r.id}, cast(${r.version} as integer), cast(${r.value} as double precision), cast(${r.completion_percent} as double precision), cast(${r.reported_status} as text), cast(${r.narrative} as text), cast(${r.problems} as text), cast(${r.next_steps} as text))`,
        ),
    );
    // VALUES columns are column1… on both databases; `+v.column2` keeps SQLite on the primary key
    // (as plans' updateStatusRows: without it SQLite indexes the VALUES on the version and scans).
    const res = await sql`update progress_reports set value = v.column3, completion_percent = v.column4, reported_status = v.column5,
      narrative = v.column6, problems = v.column7, next_steps = v.column8, updated_at = ${at}, version = progress_reports.version + 1
      from (values ${values}) as v
      where progress_reports.id = v.column1 and progress_reports.version = +v.column2`.execute(db);
    changed += Number(res.numAffectedRows ?? 0n);
  }
  return changed;
}

/** Reports by id, as stored (what a failed set-based update re-reads to name the stale one). */
export function listReportRowsById(db: DbOrTrx, reportIds: readonly string[]) {
  return selectChunked([...reportIds], (chunk) => reportQuery(db).where('r.id', 'in', chunk).execute());
}

// ---- what the status engine needs ----

export function findFirstPeriodStart(db: DbOrTrx, planId: string) {
  return db
    .selectFrom('reporting_periods')
    .select((eb) => eb.fn.min('start_date').as('first_start'))
    .where('plan_id', '=', planId)
    .executeTakeFirst();
}

/** Approved reports of the plan with their period's end date: the series the status engine reads. */
export function listApprovedReports(db: DbOrTrx, planId: string, taskIds?: string[]) {
  return db
    .selectFrom('progress_reports as r')
    .innerJoin('reporting_periods as p', 'p.id', 'r.period_id')
    .select([
      'r.id',
      'r.task_id',
      'r.target_id',
      'r.org_id',
      'r.value',
      'r.completion_percent',
      'r.reported_status',
      'r.reviewed_at',
      'p.end_date',
    ])
    .where('p.plan_id', '=', planId)
    .where('r.status', '=', 'approved')
    .$if(taskIds !== undefined, (q) => q.where('r.task_id', 'in', taskIds?.length ? taskIds : ['']))
    .execute();
}

/** Every report of a period except drafts: what a closing period freezes. */
export function listPeriodReportsForSnapshot(db: DbOrTrx, periodId: string) {
  return db
    .selectFrom('progress_reports')
    .select([
      'id',
      'task_id',
      'target_id',
      'org_id',
      'value',
      'completion_percent',
      'reported_status',
      'status',
      'is_late',
      'reviewed_at',
      'updated_at',
    ])
    .where('period_id', '=', periodId)
    .where('status', '!=', 'draft')
    .execute();
}

// ---- snapshots ----

// The snapshot's columns and their PostgreSQL types (json_to_recordset needs them spelled out).
const SNAPSHOT_COLUMNS: ReadonlyArray<readonly [keyof PeriodSnapshotsTable, string]> = [
  ['id', 'text'],
  ['period_id', 'text'],
  ['task_id', 'text'],
  ['target_id', 'text'],
  ['target_key', 'text'],
  ['org_id', 'text'],
  ['org_key', 'text'],
  ['report_id', 'text'],
  ['report_status', 'text'],
  ['is_late', 'integer'],
  ['reported_value', 'double precision'],
  ['reported_status', 'text'],
  ['completion_percent', 'double precision'],
  ['computed_status', 'text'],
  ['reason', 'text'],
  ['progress', 'double precision'],
  ['created_at', 'text'],
];

/** Rows per snapshot INSERT: one JSON parameter each, so the statement stays small whatever the row count. */
const SNAPSHOT_CHUNK = 5000;

/**
 * Inserts a period's snapshot rows set-based. PostgreSQL: the rows travel as one JSON array per
 * 5,000 rows, unpacked by `json_to_recordset` (a third faster than multi-row VALUES with 30,000
 * bound parameters, which PostgreSQL spends its time parsing and planning). SQLite, in process,
 * parses bound VALUES faster than it extracts JSON fields: multi-row INSERTs of ≤ 30,000 parameters.
 */
export async function insertSnapshotRows(db: DbOrTrx, rows: Insertable<PeriodSnapshotsTable>[]): Promise<void> {
  if (!isPostgres(db)) {
    const size = Math.floor(30_000 / SNAPSHOT_COLUMNS.length);
    for (let i = 0; i < rows.length; i += size)
      await db
        .insertInto('period_snapshots')
        .values(rows.slice(i, i + size))
        .execute();
    return;
  }
  const names = sql.join(SNAPSHOT_COLUMNS.map(([c]) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += SNAPSHOT_CHUNK) {
    const json = JSON.stringify(
      rows.slice(i, i + SNAPSHOT_CHUNK).map((r) => Object.fromEntries(SNAPSHOT_COLUMNS.map(([c]) => [c, r[c] ?? null]))),
    );
    const types = sql.join(SNAPSHOT_COLUMNS.map(([c, type]) => sql`${sql.ref(c)} ${sql.raw(type)}`));
    await sql`insert into period_snapshots (${names}) select ${names} from json_to_recordset(cast(${json} as json)) as x(${types})`.execute(
      db,
    );
  }
}

export function listSnapshotRows(db: DbOrTrx, periodId: string) {
  return db
    .selectFrom('period_snapshots')
    .selectAll()
    .where('period_id', '=', periodId)
    .orderBy('task_id')
    .orderBy('target_key')
    .orderBy('org_key')
    .execute();
}

export function findSnapshotRow(db: DbOrTrx, snapshotId: string) {
  return db.selectFrom('period_snapshots').selectAll().where('id', '=', snapshotId).executeTakeFirst();
}

/**
 * What an assessment reads of the frozen snapshots of `periodIds`: the few columns it scores, in
 * id order per period (one query per period, on the period's index); and the amendments of those
 * rows in their order, joined on the periods (not an `in (…)` of every row id). Issue 15: 114,000
 * rows over six months. Each row comes as ONE text, its columns joined by `|` (ids are UUIDs and
 * the statuses enums, none holds a `|`; a null is ''): building a nine-key object per row in the
 * driver was half of the read (docs/benchmarks.md, "Assessment scoring"). `unpackSnapshotFact`
 * in period-close.service.ts is the one reader of this encoding.
 */
export async function listSnapshotFactRows(db: DbOrTrx, periodIds: readonly string[]) {
  if (periodIds.length === 0) return { rows: new Map<string, string[]>(), amendments: [] };
  const packed = sql<string>`id || '|' || task_id || '|' || coalesce(target_id, '') || '|' || coalesce(org_id, '') || '|' || coalesce(report_id, '') || '|' || coalesce(report_status, '') || '|' || is_late || '|' || computed_status`;
  const [perPeriod, amendments] = await Promise.all([
    Promise.all(
      periodIds.map(async (periodId) => {
        const rows = await db
          .selectFrom('period_snapshots')
          .select(packed.as('r'))
          .where('period_id', '=', periodId)
          .orderBy('id')
          .execute();
        return [periodId, rows.map((r) => r.r)] as const;
      }),
    ),
    db
      .selectFrom('snapshot_amendments as a')
      .innerJoin('period_snapshots as s', 's.id', 'a.snapshot_id')
      .select(['a.snapshot_id', 'a.after_json'])
      .where('s.period_id', 'in', [...periodIds])
      .orderBy('a.created_at')
      .orderBy('a.id')
      .execute(),
  ]);
  return { rows: new Map(perPeriod), amendments };
}

export function listAmendmentRows(db: DbOrTrx, snapshotIds: string[]) {
  return selectChunked(snapshotIds, (chunk) =>
    db
      .selectFrom('snapshot_amendments')
      // The actor's name comes from users' service (period-close.service.ts), not a join.
      .selectAll('snapshot_amendments')
      .where('snapshot_id', 'in', chunk)
      .orderBy('snapshot_amendments.created_at')
      .orderBy('snapshot_amendments.id')
      .execute(),
  );
}

export async function insertAmendmentRow(db: DbOrTrx, row: Insertable<SnapshotAmendmentsTable>): Promise<void> {
  await db.insertInto('snapshot_amendments').values(row).execute();
}

// ---- reporting rate (dashboard): the same rows as "my reports", for many organisations at once ----

/** Each report of the period, by organisation and row, with what the rate counts. */
export function listPeriodReportStates(db: DbOrTrx, periodId: string) {
  return db
    .selectFrom('progress_reports')
    .select(['org_id', 'task_id', 'target_id', 'status', 'is_late'])
    .where('period_id', '=', periodId)
    .execute();
}

/** Open reporting periods of every plan, soonest due first (what the reminder job walks). */
export function listOpenPeriodRows(db: DbOrTrx) {
  return db
    .selectFrom('reporting_periods')
    .select(['id', 'plan_id', 'label', 'due_date', 'grace_days'])
    .where('status', '=', 'open')
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

// ---- the office's label resolutions (inputs of target-reporters.rule.ts) ----

/** The office's label resolutions of the plan. */
export function listLabelResolutionRows(db: DbOrTrx, planId: string) {
  return db.selectFrom('jurisdiction_label_orgs').selectAll().where('plan_id', '=', planId).orderBy('label').orderBy('org_id').execute();
}

/** Replaces the organisations a label of the plan resolves to (none: the resolution is removed). */
export async function replaceLabelResolution(
  db: DbOrTrx,
  planId: string,
  label: string,
  orgIds: readonly string[],
  at: string,
): Promise<void> {
  await db.deleteFrom('jurisdiction_label_orgs').where('plan_id', '=', planId).where('label', '=', label).execute();
  if (orgIds.length === 0) return;
  await db
    .insertInto('jurisdiction_label_orgs')
    .values(orgIds.map((org_id) => ({ plan_id: planId, label, org_id, created_at: at })))
    .execute();
}

/** How many of a plan's newest periods the latest-progress lookup reads before it looks further back. */
const RECENT_PERIODS = 3;
/** Above this many tasks the lookup filters by plan, not by a list of task ids. */
const TASK_LIST_MAX = 2000;

type ProgressRow = { task_id: string; org_id: string; narrative: string };

/**
 * The latest 进展情况 of each wanted row: per task × unit, and per task (`orgId: null`, any unit),
 * among the submitted or approved reports that say something, newest period first (then newest
 * submission). Drafts and returned reports are the unit's own business until submitted.
 * Returns a map keyed `taskId:orgId` and `taskId:-`.
 *
 * A city's 36 months are ~16,000 reports of which a ledger page shows ~50: reading them all to keep
 * the newest cost 40–70 ms on PostgreSQL. So the plan's newest RECENT_PERIODS periods are read
 * first: a row with a report there has its latest there. Only the rows with none are looked up in
 * the whole history, by their own tasks and units.
 */
export async function listLatestProgress(
  db: DbOrTrx,
  planIds: readonly string[],
  wanted: readonly { taskId: string; orgId: string | null }[],
): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  if (planIds.length === 0 || wanted.length === 0) return latest;
  const keep = (rows: ProgressRow[]) => {
    for (const r of rows) {
      if (!latest.has(`${r.task_id}:${r.org_id}`)) latest.set(`${r.task_id}:${r.org_id}`, r.narrative);
      if (!latest.has(`${r.task_id}:-`)) latest.set(`${r.task_id}:-`, r.narrative);
    }
  };
  const query = (opts: { periodIds?: string[]; taskIds?: string[]; orgIds?: string[] }) => {
    let q = db
      .selectFrom('progress_reports as r')
      .innerJoin('reporting_periods as p', 'p.id', 'r.period_id')
      .select(['r.task_id', 'r.org_id', 'r.narrative'])
      .where('p.plan_id', 'in', [...planIds])
      .where('r.status', 'in', ['submitted', 'approved'])
      .where('r.narrative', '<>', '');
    if (opts.periodIds) q = q.where('r.period_id', 'in', opts.periodIds.length === 0 ? [''] : opts.periodIds);
    if (opts.taskIds && opts.taskIds.length <= TASK_LIST_MAX) q = q.where('r.task_id', 'in', opts.taskIds);
    if (opts.orgIds) q = q.where('r.org_id', 'in', opts.orgIds);
    return q.orderBy('p.end_date', 'desc').orderBy('r.submitted_at', 'desc').orderBy('r.id').execute();
  };

  const periods = await db
    .selectFrom('reporting_periods')
    .select(['id', 'plan_id', 'end_date'])
    .where('plan_id', 'in', [...planIds])
    .orderBy('end_date', 'desc')
    .execute();
  const recent: string[] = [];
  const byPlan = new Map<string, string[]>();
  for (const p of periods) {
    const ends = byPlan.get(p.plan_id);
    if (ends) ends.push(p.end_date);
    else byPlan.set(p.plan_id, [p.end_date]);
  }
  for (const p of periods) {
    const ends = byPlan.get(p.plan_id)!;
    // Every period ending on or after the plan's RECENT_PERIODS-th newest end: ties stay together.
    if (p.end_date >= ends[Math.min(RECENT_PERIODS, ends.length) - 1]) recent.push(p.id);
  }
  const allTasks = [...new Set(wanted.map((w) => w.taskId))];
  // Rows of named units only: their units' reports are enough (a county's page reads its own).
  const unitIds = wanted.every((w) => w.orgId !== null) ? [...new Set(wanted.map((w) => w.orgId as string))] : undefined;
  keep(await query({ periodIds: recent, taskIds: allTasks, orgIds: unitIds && unitIds.length <= TASK_LIST_MAX ? unitIds : undefined }));

  const missing = wanted.filter((w) => !latest.has(`${w.taskId}:${w.orgId ?? '-'}`));
  if (missing.length === 0 || recent.length === periods.length) return latest;
  const wholeTasks = [...new Set(missing.filter((w) => w.orgId === null).map((w) => w.taskId))];
  const pairs = missing.filter((w): w is { taskId: string; orgId: string } => w.orgId !== null);
  if (wholeTasks.length > 0) keep(await query({ taskIds: wholeTasks }));
  if (pairs.length > 0) {
    const orgIds = [...new Set(pairs.map((w) => w.orgId))];
    keep(await query({ taskIds: [...new Set(pairs.map((w) => w.taskId))], orgIds: orgIds.length <= TASK_LIST_MAX ? orgIds : undefined }));
  }
  return latest;
}

/** The plan's closed periods, latest first, up to `limit`. */
export function listRecentClosedPeriodRows(db: DbOrTrx, planId: string, limit: number) {
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
export async function hasSubmittedReportRow(db: DbOrTrx, periodId: string, taskId: string, orgId: string): Promise<boolean> {
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

/** Reports per task on `taskIds`, or on one of the targets `targetIds` selects (what a plan revision would delete). */
export function countReportsOnTaskRows(db: DbOrTrx, taskIds: string[], targetIds: SelectQueryBuilder<Database, 'targets', { id: string }>) {
  return db
    .selectFrom('progress_reports as r')
    .select(['r.task_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => eb.or([eb('r.task_id', 'in', taskIds.length ? taskIds : ['-']), eb('r.target_id', 'in', targetIds)]))
    .groupBy('r.task_id')
    .execute();
}
