/**
 * Coverage standards (覆盖标准) as data the office edits: the service radius of a facility kind
 * (per road class for toilets), the headline method and the target ratio.
 */
import type { z } from 'zod';
import type { CoverageStandard, CreateStandardBody, UpdateStandardBody } from '../../../shared/schemas/coverage.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import { assertCanManageCoverage } from './coverage.policy.ts';
import {
  findStandardByName,
  findStandardRow,
  insertStandardRow,
  listStandardRows,
  updateStandardIfVersion,
} from './coverage.repository.ts';
import { toStandard } from './coverage-dto.mapping.ts';

export type NewStandard = z.output<typeof CreateStandardBody>;
export type StandardPatch = z.output<typeof UpdateStandardBody>;

/** Every standard, in creation order. */
export async function listStandards(db: DbOrTrx): Promise<{ items: CoverageStandard[] }> {
  return { items: (await listStandardRows(db)).map(toStandard) };
}

/** One standard, or 404. */
export async function getStandard(db: DbOrTrx, id: string): Promise<CoverageStandard> {
  const row = await findStandardRow(db, id);
  if (!row) throw new AppError('not_found', '覆盖标准不存在');
  return toStandard(row);
}

/** Creates a standard (names are unique: 409 on a duplicate). */
export async function createStandard(db: Db, body: NewStandard, actor: Actor): Promise<CoverageStandard> {
  return writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    if (await findStandardByName(trx, body.name)) throw new AppError('conflict', `已有同名覆盖标准：${body.name}`);
    const now = new Date().toISOString();
    const row = {
      id: newSortableId(),
      name: body.name,
      facility_kind: body.facilityKind,
      radius_m: body.radiusM,
      radius_by_road_class_json: body.radiusByRoadClass ? JSON.stringify(body.radiusByRoadClass) : null,
      method: body.method,
      target_ratio: body.targetRatio,
      note: body.note,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await insertStandardRow(trx, row);
    const after = toStandard(row);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_standard.create',
      entityType: 'coverage_standard',
      entityId: row.id,
      after,
    });
    return after;
  });
}

/** Updates a standard at the version the caller read (409 `version_conflict` with the current row otherwise). */
export async function updateStandard(db: Db, id: string, body: StandardPatch, actor: Actor): Promise<CoverageStandard> {
  return writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    const before = await getStandard(trx, id);
    if (body.name !== undefined && body.name !== before.name) {
      const other = await findStandardByName(trx, body.name);
      if (other && other.id !== id) throw new AppError('conflict', `已有同名覆盖标准：${body.name}`);
    }
    const patch = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.facilityKind !== undefined ? { facility_kind: body.facilityKind } : {}),
      ...(body.radiusM !== undefined ? { radius_m: body.radiusM } : {}),
      ...(body.radiusByRoadClass !== undefined
        ? { radius_by_road_class_json: body.radiusByRoadClass ? JSON.stringify(body.radiusByRoadClass) : null }
        : {}),
      ...(body.method !== undefined ? { method: body.method } : {}),
      ...(body.targetRatio !== undefined ? { target_ratio: body.targetRatio } : {}),
      ...(body.note !== undefined ? { note: body.note } : {}),
      updated_at: new Date().toISOString(),
    };
    const changed = await updateStandardIfVersion(trx, id, body.version, patch);
    if (changed === 0) throw new AppError('version_conflict', '覆盖标准已被他人修改，请刷新后重试', { current: before });
    const after = await getStandard(trx, id);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_standard.update',
      entityType: 'coverage_standard',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}
