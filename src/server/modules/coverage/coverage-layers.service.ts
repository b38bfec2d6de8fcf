/**
 * Facility and demand layers: import from GeoJSON, CSV or xlsx with a row-level problem report
 * (nothing saved unless every row passes), the declared datum converted once to WGS-84 (ADR 0004).
 */
import type { z } from 'zod';
import { toCanonical } from '../../../coverage/datum.convert.ts';
import { todayInShanghai } from '../../../shared/china-date.ts';
import type { CoverageLayer, LayerImportQuery, LayerImportResult } from '../../../shared/schemas/coverage.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import { assertCanManageCoverage, assertCoverageInScope, coverageInScope } from './coverage.policy.ts';
import { findLayerRow, insertFeatureRows, insertLayerRow, listFeatureRows, listLayerRows } from './coverage.repository.ts';
import { toLayer } from './coverage-dto.mapping.ts';
import { parseLayerFile } from './layer-file.parser.ts';

/** How many problems a report lists (the count says how many there are in all). */
const PROBLEMS_SHOWN = 200;

export type LayerImportOptions = z.output<typeof LayerImportQuery>;

/** Every layer, newest first; with `actor`, those of the tenants they read (coverage.policy). */
export async function listLayers(db: DbOrTrx, actor?: Actor): Promise<{ items: CoverageLayer[] }> {
  const rows = await listLayerRows(db);
  return { items: (actor ? await coverageInScope(db, actor, rows) : rows).map(toLayer) };
}

/**
 * One layer, or 404 (with `actor`: also when of a tenant they do not read; with `mode` 'write',
 * 403 when they read but do not administer it).
 */
export async function getLayer(db: DbOrTrx, id: string, actor?: Actor, mode: 'read' | 'write' = 'read'): Promise<CoverageLayer> {
  const row = await findLayerRow(db, id);
  if (!row) throw new AppError('not_found', '图层不存在');
  if (actor) await assertCoverageInScope(db, actor, row, mode, '图层不存在');
  return toLayer(row);
}

/** A layer's points (WGS-84), in file order. */
export async function getLayerFeatures(db: DbOrTrx, id: string, actor?: Actor) {
  const layer = await getLayer(db, id, actor);
  const rows = await listFeatureRows(db, id);
  return {
    layer,
    items: rows.map((r) => ({
      name: r.name,
      lng: Number(r.lng),
      lat: Number(r.lat),
      weight: r.weight === null ? null : Number(r.weight),
      roadClass: (r.road_class ?? null) as 'main_street' | 'ordinary_road' | 'riverside_park' | null,
    })),
  };
}

/**
 * Checks a layer file row by row; unless `dryRun`, saves it as a new layer in one transaction,
 * and only when no row has a problem (422 `layer_rows_invalid` with the problems otherwise).
 */
export async function importLayer(
  db: Db,
  file: { bytes: Buffer; filename: string },
  options: LayerImportOptions,
  actor: Actor,
): Promise<LayerImportResult> {
  // Refuse before parsing: a unit user learns nothing about the file.
  assertCanManageCoverage(actor);
  const parsed = await parseLayerFile(file.bytes, file.filename, options.role, options.datum);
  if (parsed.problems.length === 0 && parsed.rows.length === 0) parsed.problems.push({ row: 1, column: '', message: '文件中没有任何点' });
  const report = {
    format: parsed.format,
    featureCount: parsed.rows.length,
    problemCount: parsed.problems.length,
    problems: parsed.problems.slice(0, PROBLEMS_SHOWN),
  };
  if (options.dryRun === '1') return { dryRun: true, ...report, layer: null };
  if (parsed.problems.length > 0) {
    throw new AppError(
      'layer_rows_invalid',
      `图层有 ${parsed.problems.length} 处问题，未保存：${parsed.problems
        .slice(0, 3)
        .map((p) => `第${p.row}行 ${p.column}：${p.message}`)
        .join('；')}`,
      {
        problems: report.problems,
        problemCount: report.problemCount,
        errors: report.problems.map((p) => ({ path: `row ${p.row} ${p.column}`, message: p.message })),
      },
    );
  }
  return writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    const id = newSortableId();
    const now = new Date().toISOString();
    const features = parsed.rows.map((r, seq) => {
      const [lng, lat] = toCanonical([r.lng, r.lat], options.datum);
      return { layer_id: id, seq, name: r.name, lng, lat, weight: r.weight, road_class: r.roadClass };
    });
    const totalWeight = features.reduce((s, f) => s + (f.weight ?? 1), 0);
    const row = {
      id,
      name: options.name,
      role: options.role,
      kind: options.kind,
      declared_datum: options.datum,
      format: parsed.format,
      filename: file.filename.slice(0, 200),
      feature_count: features.length,
      total_weight: totalWeight,
      as_of: options.asOf ?? todayInShanghai(),
      created_by: actor.userId,
      created_at: now,
    };
    await insertLayerRow(trx, row);
    await insertFeatureRows(trx, features);
    const layer = toLayer(row);
    // The audit keeps the layer's facts, not its points (the layer is immutable and stored beside it).
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_layer.import',
      entityType: 'coverage_layer',
      entityId: id,
      after: layer,
    });
    return { dryRun: false, ...report, layer };
  });
}
