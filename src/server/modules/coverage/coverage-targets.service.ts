/**
 * Plan targets fed by a coverage indicator: a target (e.g. 公交站点500米全覆盖 → 100 %) is linked to
 * a standard, a method and a district (or all districts), and its derived value is the latest
 * analysis of that standard — the percentage with the method it was measured by.
 */
import type { z } from 'zod';
import type { TargetCoverageValue, TargetLinkBody, TargetPeriodValue } from '../../../shared/schemas/coverage.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { CoverageTargetLinksTable } from '../../db/database.types.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { todayInShanghai } from '../../../shared/china-date.ts';
import { getTarget } from '../plans/targets.service.ts';
import { getTask } from '../plans/tasks.service.ts';
import { listPeriods } from '../reporting/periods.service.ts';
import { assertCanManageCoverage, assertTargetInScope, sameTenantAs } from './coverage.policy.ts';
import {
  deleteTargetLinkRow,
  listAnalysesOfStandard,
  findTargetLinkRow,
  findValueRow,
  listTargetLinkRows,
  upsertTargetLinkRow,
} from './coverage.repository.ts';
import { getStandard } from './coverage-standards.service.ts';
import { districtBoundaries } from './district-boundaries.lookup.ts';

async function linkValue(db: DbOrTrx, link: CoverageTargetLinksTable): Promise<TargetCoverageValue> {
  const standard = await getStandard(db, link.standard_id);
  const target = await getTarget(db, link.target_id);
  // The standard is installation-wide; its analyses are each tenant's own (coverage.policy).
  const [latest] = await sameTenantAs(db, link.created_by, await listAnalysesOfStandard(db, link.standard_id));
  const value = latest ? await findValueRow(db, latest.id, link.district ?? '', link.method) : undefined;
  const ratio = value?.ratio === null || value?.ratio === undefined ? null : Number(value.ratio);
  return {
    targetId: link.target_id,
    target: {
      taskId: target.taskId,
      metric: target.metric,
      value: target.value,
      unit: target.unit,
      jurisdictionLabel: target.jurisdictionLabel,
    },
    standardId: link.standard_id,
    standardName: standard.name,
    method: link.method as TargetCoverageValue['method'],
    district: link.district,
    version: Number(link.version),
    latest: latest
      ? {
          analysisId: latest.id,
          ratio,
          percent: ratio === null ? null : Math.round(ratio * 1000) / 10,
          computedAt: latest.created_at,
          facilityLayerName: latest.facility_name,
          demandLayerName: latest.demand_name,
        }
      : null,
  };
}

// What the task's history shows of a link: the fields a reader compares, named as the API names them.
function auditShape(link: CoverageTargetLinksTable) {
  return { standardId: link.standard_id, method: link.method, district: link.district };
}

/** The coverage value feeding a target, or 404 when the target is not linked. */
export async function getTargetCoverage(db: DbOrTrx, targetId: string, actor?: Actor): Promise<TargetCoverageValue> {
  if (actor) await assertTargetInScope(db, actor, (await getTarget(db, targetId)).taskId, 'read');
  const link = await findTargetLinkRow(db, targetId);
  if (!link) throw new AppError('not_found', '该指标未关联覆盖率');
  return linkValue(db, link);
}

/**
 * The target's coverage value frozen with each closed period of its plan, read "as of" the moment
 * the period closed: the latest stored analysis of the link's standard run at or before
 * `closedAt`, with the link's method and district (ADR 0004 §Period values). Analyses and their
 * values are never changed once stored and a new run is dated after it, so the reading cannot move
 * once the period has closed; no table, no hook in reporting's close. Oldest period first.
 */
export async function listTargetPeriodValues(db: DbOrTrx, targetId: string, actor?: Actor): Promise<{ items: TargetPeriodValue[] }> {
  if (actor) await assertTargetInScope(db, actor, (await getTarget(db, targetId)).taskId, 'read');
  const link = await findTargetLinkRow(db, targetId);
  if (!link) throw new AppError('not_found', '该指标未关联覆盖率');
  const target = await getTarget(db, targetId);
  const task = await getTask(db, target.taskId, todayInShanghai());
  const closed = (await listPeriods(db, task.planId)).items
    .filter((p) => p.status === 'closed' && p.closedAt)
    .sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0));
  const items: TargetPeriodValue[] = [];
  for (const p of closed) {
    const closedAt = p.closedAt!;
    const [run] = await sameTenantAs(db, link.created_by, await listAnalysesOfStandard(db, link.standard_id, closedAt));
    const v = run ? await findValueRow(db, run.id, link.district ?? '', link.method) : undefined;
    const ratio = v?.ratio === null || v?.ratio === undefined ? null : Number(v.ratio);
    items.push({
      periodId: p.id,
      label: p.label,
      end: p.end,
      closedAt,
      method: link.method as TargetPeriodValue['method'],
      value: run
        ? { analysisId: run.id, ratio, percent: ratio === null ? null : Math.round(ratio * 1000) / 10, computedAt: run.created_at }
        : null,
    });
  }
  return { items };
}

/** Every linked target with its current value; with `actor`, the targets of plans they read. */
export async function listTargetCoverage(db: DbOrTrx, actor?: Actor): Promise<{ items: TargetCoverageValue[] }> {
  const links = await listTargetLinkRows(db);
  const items: TargetCoverageValue[] = [];
  for (const link of links) {
    if (actor) {
      const visible = await assertTargetInScope(db, actor, (await getTarget(db, link.target_id)).taskId, 'read').then(
        () => true,
        () => false,
      );
      if (!visible) continue;
    }
    items.push(await linkValue(db, link));
  }
  return { items };
}

/** Links a target to a standard (replacing an earlier link), audited on the target's task. */
export async function linkTarget(
  db: Db,
  targetId: string,
  body: z.output<typeof TargetLinkBody>,
  actor: Actor,
): Promise<TargetCoverageValue> {
  return writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    const target = await getTarget(trx, targetId);
    await assertTargetInScope(trx, actor, target.taskId, 'write');
    const standard = await getStandard(trx, body.standardId);
    if (body.district !== null && !districtBoundaries().features.some((f) => f.properties.name === body.district)) {
      throw new AppError('unprocessable', `没有名为「${body.district}」的区县`);
    }
    const before = await findTargetLinkRow(trx, targetId);
    const now = new Date().toISOString();
    const row = {
      target_id: targetId,
      standard_id: standard.id,
      method: body.method ?? standard.method,
      district: body.district,
      version: before ? Number(before.version) + 1 : 1,
      created_by: before?.created_by ?? actor.userId,
      created_at: before?.created_at ?? now,
      updated_at: now,
    };
    await upsertTargetLinkRow(trx, row);
    const after = await linkValue(trx, row);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_target_link.put',
      entityType: 'coverage_target_link',
      entityId: targetId,
      taskId: target.taskId,
      before: before ? auditShape(before) : null,
      after: auditShape(row),
    });
    return after;
  });
}

/** Removes a target's link (404 when there is none). */
export async function unlinkTarget(db: Db, targetId: string, actor: Actor): Promise<void> {
  await writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    const target = await getTarget(trx, targetId);
    await assertTargetInScope(trx, actor, target.taskId, 'write');
    const before = await findTargetLinkRow(trx, targetId);
    if (!before) throw new AppError('not_found', '该指标未关联覆盖率');
    await deleteTargetLinkRow(trx, targetId);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_target_link.delete',
      entityType: 'coverage_target_link',
      entityId: targetId,
      taskId: target.taskId,
      before: auditShape(before),
    });
  });
}
