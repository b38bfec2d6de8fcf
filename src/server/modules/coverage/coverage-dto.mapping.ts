/** Rows of the coverage tables → the API's DTOs (src/shared/schemas/coverage.schema.ts). */
import type { Selectable } from 'kysely';
import type { CoverageLayer, CoverageStandard } from '../../../shared/schemas/coverage.schema.ts';
import type { CoverageLayersTable, CoverageStandardsTable } from '../../db/database.types.ts';

export function toLayer(row: Selectable<CoverageLayersTable>): CoverageLayer {
  return {
    id: row.id,
    name: row.name,
    role: row.role as CoverageLayer['role'],
    kind: row.kind,
    declaredDatum: row.declared_datum as CoverageLayer['declaredDatum'],
    format: row.format as CoverageLayer['format'],
    filename: row.filename,
    featureCount: Number(row.feature_count),
    totalWeight: Number(row.total_weight),
    asOf: row.as_of,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function toStandard(row: Selectable<CoverageStandardsTable>): CoverageStandard {
  return {
    id: row.id,
    name: row.name,
    facilityKind: row.facility_kind,
    radiusM: Number(row.radius_m),
    radiusByRoadClass: row.radius_by_road_class_json ? JSON.parse(row.radius_by_road_class_json) : null,
    method: row.method as CoverageStandard['method'],
    targetRatio: Number(row.target_ratio),
    note: row.note,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
