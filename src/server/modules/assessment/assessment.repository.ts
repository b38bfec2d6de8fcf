/**
 * The assessment module's tables (schemes, runs, units, lines, notes, adjustments, objections,
 * consequences, bulletins). Private to the module: other modules call its services.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type {
  AssessmentAdjustmentsTable,
  AssessmentConsequencesTable,
  AssessmentLinesTable,
  AssessmentNotesTable,
  AssessmentObjectionsTable,
  AssessmentSchemesTable,
  AssessmentsTable,
  AssessmentUnitsTable,
  BulletinsTable,
} from '../../db/database.types.ts';

export type SchemeRow = Selectable<AssessmentSchemesTable>;
/**
 * An assessment without its frozen record: the record of a province (10⁵ facts, ~45 MB of JSON)
 * is read only where it is scored or shown, through record-cache.service (`storedRecordOf`).
 */
export type AssessmentRow = Omit<Selectable<AssessmentsTable>, 'record_json'>;

/** Every column of `assessments` but `record_json`. */
const ASSESSMENT_COLUMNS = [
  'id',
  'scheme_id',
  'plan_id',
  'title',
  'range_start',
  'range_end',
  'stage',
  'objection_days',
  'objection_until',
  'published_at',
  'finalised_at',
  'reissue_of',
  'record_sha256',
  'result_json',
  'created_by',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly Exclude<keyof AssessmentsTable, 'record_json'>[];

export const findSchemeRow = (db: DbOrTrx, id: string) =>
  db.selectFrom('assessment_schemes').selectAll().where('id', '=', id).executeTakeFirst();
export const listSchemeRows = (db: DbOrTrx) =>
  db.selectFrom('assessment_schemes').selectAll().orderBy('family_id').orderBy('revision').execute();
export const maxSchemeRevision = async (db: DbOrTrx, familyId: string): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('assessment_schemes')
        .select((eb) => eb.fn.max('revision').as('m'))
        .where('family_id', '=', familyId)
        .executeTakeFirst()
    )?.m ?? 0,
  );
export const insertSchemeRow = (db: DbOrTrx, row: Insertable<AssessmentSchemesTable>) =>
  db.insertInto('assessment_schemes').values(row).execute();
export async function updateSchemeIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Updateable<AssessmentSchemesTable>,
): Promise<number> {
  const r = await db
    .updateTable('assessment_schemes')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
export const freezeScheme = (db: DbOrTrx, id: string) =>
  db.updateTable('assessment_schemes').set({ frozen: 1 }).where('id', '=', id).execute();

export const findAssessmentRow = (db: DbOrTrx, id: string): Promise<AssessmentRow | undefined> =>
  db.selectFrom('assessments').select(ASSESSMENT_COLUMNS).where('id', '=', id).executeTakeFirst();
export const listAssessmentRows = (db: DbOrTrx): Promise<AssessmentRow[]> =>
  db.selectFrom('assessments').select(ASSESSMENT_COLUMNS).orderBy('range_end', 'desc').orderBy('created_at', 'desc').execute();
/** Gives assessment `toId` the stored record of `fromId` inside the database (a re-issue's ~45 MB never leaves it). */
export const copyAssessmentRecord = (db: DbOrTrx, fromId: string, toId: string) =>
  db
    .updateTable('assessments')
    .set((eb) => ({ record_json: eb.selectFrom('assessments as source').select('source.record_json').where('source.id', '=', fromId) }))
    .where('id', '=', toId)
    .execute();
/** The stored record's JSON text, exactly as written (verify compares it byte for byte). */
export const findAssessmentRecordJson = async (db: DbOrTrx, id: string): Promise<string | undefined> =>
  (await db.selectFrom('assessments').select('record_json').where('id', '=', id).executeTakeFirst())?.record_json;
export const insertAssessmentRow = (db: DbOrTrx, row: Insertable<AssessmentsTable>) => db.insertInto('assessments').values(row).execute();
export async function updateAssessmentIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Updateable<AssessmentsTable>,
): Promise<number> {
  const r = await db
    .updateTable('assessments')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
/** The final assessments of a plan ending before `end`, latest first (the "previous" of a ranking and the trend). */
export const listFinalAssessmentsOfPlan = (db: DbOrTrx, planId: string) =>
  db
    .selectFrom('assessments')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('stage', '=', 'final')
    .orderBy('range_end')
    .orderBy('finalised_at')
    .execute();

export const listUnitRows = (db: DbOrTrx, assessmentIds: readonly string[]) =>
  assessmentIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('assessment_units')
        .selectAll()
        .where('assessment_id', 'in', assessmentIds)
        .orderBy('group_id')
        .orderBy('rank')
        .orderBy('name')
        .execute();
export const listLineRows = (db: DbOrTrx, assessmentId: string, orgId?: string) =>
  db
    .selectFrom('assessment_lines')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .$if(orgId !== undefined, (q) => q.where('org_id', '=', orgId!))
    .execute();

/** Replaces the result rows of an assessment (set-based: one delete and one insert per table). */
export async function replaceResultRows(
  db: DbOrTrx,
  assessmentId: string,
  units: Insertable<AssessmentUnitsTable>[],
  lines: Insertable<AssessmentLinesTable>[],
): Promise<void> {
  await db.deleteFrom('assessment_lines').where('assessment_id', '=', assessmentId).execute();
  await db.deleteFrom('assessment_units').where('assessment_id', '=', assessmentId).execute();
  // Chunks keep each statement under the databases' bound-parameter limits.
  for (let i = 0; i < units.length; i += 500)
    await db
      .insertInto('assessment_units')
      .values(units.slice(i, i + 500))
      .execute();
  for (let i = 0; i < lines.length; i += 500)
    await db
      .insertInto('assessment_lines')
      .values(lines.slice(i, i + 500))
      .execute();
}

export const insertNoteRow = (db: DbOrTrx, row: Insertable<AssessmentNotesTable>) =>
  db.insertInto('assessment_notes').values(row).execute();
export const listNoteRows = (db: DbOrTrx, assessmentId: string, orgId?: string) =>
  db
    .selectFrom('assessment_notes')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .$if(orgId !== undefined, (q) => q.where('org_id', '=', orgId!))
    .orderBy('created_at')
    .execute();

export const insertAdjustmentRow = (db: DbOrTrx, row: Insertable<AssessmentAdjustmentsTable>) =>
  db.insertInto('assessment_adjustments').values(row).execute();
export const listAdjustmentRows = (db: DbOrTrx, assessmentId: string, orgId?: string) =>
  db
    .selectFrom('assessment_adjustments')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .$if(orgId !== undefined, (q) => q.where('org_id', '=', orgId!))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
export async function copyAdjustmentRows(db: DbOrTrx, fromId: string, toId: string, newId: () => string): Promise<void> {
  const rows = await listAdjustmentRows(db, fromId);
  if (rows.length > 0)
    await db
      .insertInto('assessment_adjustments')
      .values(rows.map((r) => ({ ...r, id: newId(), assessment_id: toId })))
      .execute();
}

export const insertObjectionRow = (db: DbOrTrx, row: Insertable<AssessmentObjectionsTable>) =>
  db.insertInto('assessment_objections').values(row).execute();
export const findObjectionRow = (db: DbOrTrx, id: string) =>
  db.selectFrom('assessment_objections').selectAll().where('id', '=', id).executeTakeFirst();
export const listObjectionRows = (db: DbOrTrx, assessmentId: string, orgId?: string) =>
  db
    .selectFrom('assessment_objections')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .$if(orgId !== undefined, (q) => q.where('org_id', '=', orgId!))
    .orderBy('filed_at')
    .execute();
export const answerObjectionRow = (db: DbOrTrx, id: string, patch: Updateable<AssessmentObjectionsTable>) =>
  db.updateTable('assessment_objections').set(patch).where('id', '=', id).where('answered_at', 'is', null).executeTakeFirst();

export const insertConsequenceRows = (db: DbOrTrx, rows: Insertable<AssessmentConsequencesTable>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .insertInto('assessment_consequences')
        .values(rows)
        .execute()
        .then(() => undefined);
export const listConsequenceRows = (db: DbOrTrx, assessmentId: string) =>
  db
    .selectFrom('assessment_consequences')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .orderBy('kind')
    .orderBy('org_id')
    .execute();
export const findConsequenceRow = (db: DbOrTrx, id: string) =>
  db.selectFrom('assessment_consequences').selectAll().where('id', '=', id).executeTakeFirst();
export const decideConsequenceRow = (db: DbOrTrx, id: string, patch: Updateable<AssessmentConsequencesTable>) =>
  db.updateTable('assessment_consequences').set(patch).where('id', '=', id).where('status', '=', 'proposed').executeTakeFirst();

export const findBulletinRow = (db: DbOrTrx, id: string) => db.selectFrom('bulletins').selectAll().where('id', '=', id).executeTakeFirst();
export const listBulletinRows = (db: DbOrTrx, assessmentId: string) =>
  db.selectFrom('bulletins').selectAll().where('assessment_id', '=', assessmentId).orderBy('created_at').execute();
export const maxBulletinSerial = async (db: DbOrTrx, year: number): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('bulletins')
        .select((eb) => eb.fn.max('serial').as('m'))
        .where('year', '=', year)
        .executeTakeFirst()
    )?.m ?? 0,
  );
export const insertBulletinRow = (db: DbOrTrx, row: Insertable<BulletinsTable>) => db.insertInto('bulletins').values(row).execute();
export async function updateBulletinIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Updateable<BulletinsTable>,
): Promise<number> {
  const r = await db
    .updateTable('bulletins')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
