/**
 * The coverage module's tables: coverage_layers, coverage_features, coverage_standards,
 * coverage_analyses, coverage_values, coverage_target_links. Only this module reads or writes them.
 */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type {
  CoverageAnalysesTable,
  CoverageFeaturesTable,
  CoverageLayersTable,
  CoverageStandardsTable,
  CoverageTargetLinksTable,
  CoverageValuesTable,
} from '../../db/database.types.ts';

// 7 columns × 500 rows stays far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
const FEATURE_BATCH = 500;

export async function insertLayerRow(db: DbOrTrx, row: Insertable<CoverageLayersTable>): Promise<void> {
  await db.insertInto('coverage_layers').values(row).execute();
}

/** Inserts a layer's points in batches (one statement per 500 rows, not one per point). */
export async function insertFeatureRows(db: DbOrTrx, rows: Insertable<CoverageFeaturesTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += FEATURE_BATCH) {
    await db
      .insertInto('coverage_features')
      .values(rows.slice(i, i + FEATURE_BATCH))
      .execute();
  }
}

export function listLayerRows(db: DbOrTrx) {
  return db.selectFrom('coverage_layers').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export function findLayerRow(db: DbOrTrx, id: string) {
  return db.selectFrom('coverage_layers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listFeatureRows(db: DbOrTrx, layerId: string) {
  return db
    .selectFrom('coverage_features')
    .select(['name', 'lng', 'lat', 'weight', 'road_class'])
    .where('layer_id', '=', layerId)
    .orderBy('seq')
    .execute();
}

export function listStandardRows(db: DbOrTrx) {
  return db.selectFrom('coverage_standards').selectAll().orderBy('created_at').orderBy('id').execute();
}

export function findStandardRow(db: DbOrTrx, id: string) {
  return db.selectFrom('coverage_standards').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findStandardByName(db: DbOrTrx, name: string) {
  return db.selectFrom('coverage_standards').select('id').where('name', '=', name).executeTakeFirst();
}

export async function insertStandardRow(db: DbOrTrx, row: Insertable<CoverageStandardsTable>): Promise<void> {
  await db.insertInto('coverage_standards').values(row).execute();
}

/** Updates when the version still matches (and bumps it); returns the rows changed, 0 when stale. */
export async function updateStandardIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Updateable<CoverageStandardsTable>,
): Promise<number> {
  const res = await db
    .updateTable('coverage_standards')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function insertAnalysisRow(db: DbOrTrx, row: Insertable<CoverageAnalysesTable>): Promise<void> {
  await db.insertInto('coverage_analyses').values(row).execute();
}

export async function insertValueRows(db: DbOrTrx, rows: Insertable<CoverageValuesTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('coverage_values').values(rows).execute();
}

export function findAnalysisRow(db: DbOrTrx, id: string) {
  return db.selectFrom('coverage_analyses').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listValueRows(db: DbOrTrx, analysisId: string) {
  return db.selectFrom('coverage_values').selectAll().where('analysis_id', '=', analysisId).execute();
}

/** Every analysis with its names and the overall value of its headline method, newest first. */
export function listAnalysisSummaries(db: DbOrTrx) {
  return db
    .selectFrom('coverage_analyses as a')
    .innerJoin('coverage_standards as s', 's.id', 'a.standard_id')
    .innerJoin('coverage_layers as f', 'f.id', 'a.facility_layer_id')
    .innerJoin('coverage_layers as d', 'd.id', 'a.demand_layer_id')
    .select([
      'a.id',
      'a.standard_json',
      'a.created_at',
      'a.created_by',
      's.name as standard_name',
      'f.name as facility_name',
      'd.name as demand_name',
    ])
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/** The overall ('' district) value rows of several analyses, one query. */
export function listOverallValues(db: DbOrTrx, analysisIds: string[]) {
  if (analysisIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('coverage_values').selectAll().where('district', '=', '').where('analysis_id', 'in', analysisIds).execute();
}

/**
 * A standard's analyses, newest first, optionally only those run at or before `at` (ISO instant),
 * with their creator (tenancy: a target reads only its own tenant's analyses).
 */
export function listAnalysesOfStandard(db: DbOrTrx, standardId: string, at?: string) {
  let q = db
    .selectFrom('coverage_analyses as a')
    .innerJoin('coverage_layers as f', 'f.id', 'a.facility_layer_id')
    .innerJoin('coverage_layers as d', 'd.id', 'a.demand_layer_id')
    .select(['a.id', 'a.created_at', 'a.created_by', 'f.name as facility_name', 'd.name as demand_name'])
    .where('a.standard_id', '=', standardId);
  if (at !== undefined) q = q.where('a.created_at', '<=', at);
  return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').execute();
}

export function findValueRow(db: DbOrTrx, analysisId: string, district: string, method: string) {
  return db
    .selectFrom('coverage_values')
    .selectAll()
    .where('analysis_id', '=', analysisId)
    .where('district', '=', district)
    .where('method', '=', method)
    .executeTakeFirst();
}

export function findTargetLinkRow(db: DbOrTrx, targetId: string) {
  return db.selectFrom('coverage_target_links').selectAll().where('target_id', '=', targetId).executeTakeFirst();
}

export function listTargetLinkRows(db: DbOrTrx) {
  return db.selectFrom('coverage_target_links').selectAll().orderBy('created_at').orderBy('target_id').execute();
}

export async function upsertTargetLinkRow(db: DbOrTrx, row: Insertable<CoverageTargetLinksTable>): Promise<void> {
  await db
    .insertInto('coverage_target_links')
    .values(row)
    .onConflict((oc) =>
      oc.column('target_id').doUpdateSet({
        standard_id: row.standard_id,
        method: row.method,
        district: row.district,
        version: row.version,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deleteTargetLinkRow(db: DbOrTrx, targetId: string): Promise<number> {
  const res = await db.deleteFrom('coverage_target_links').where('target_id', '=', targetId).executeTakeFirst();
  return Number(res.numDeletedRows);
}
