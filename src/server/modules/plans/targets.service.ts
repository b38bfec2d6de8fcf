import { newSortableId } from '../../core/ids.ts';
import type { Selectable } from 'kysely';
import type { CreateTargetBody, Target, UpdateTargetBody } from '../../../shared/schemas/plan.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { TargetsTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { listOrganisationNames, listOrganisations } from '../organisations/organisations.service.ts';
import { buildJurisdictionLookup } from './jurisdiction.lookup.ts';
import { toTarget } from './plan-dto.mapping.ts';
import { assertCanWriteTarget, assertCanWriteTask } from './plans.policy.ts';
import { withJurisdictionNames } from './org-names.service.ts';
import { findPartsOverflow } from './target-parts.rule.ts';
import { deleteTargetRow, findTargetRow, insertTargetRow, listChildTargetRows, updateTargetRow } from './tasks.repository.ts';

type TargetRow = Selectable<TargetsTable>;

/** One target, or 404. */
export async function getTarget(db: DbOrTrx, targetId: string): Promise<Target> {
  const row = await findTargetRow(db, targetId);
  if (!row) throw new AppError('not_found', 'target not found');
  const [named] = await withJurisdictionNames(db, [row]);
  return toTarget(named!);
}

interface Jurisdiction {
  orgId: string | null;
  label: string | null;
}

// The plan's words are kept whatever happens: the label is the record of what was written, the
// organisation is what the ledger can hold someone accountable for. A label is looked up in the
// registry only when no organisation was given (an explicit null means "nobody", not "look it up").
async function resolveJurisdiction(db: DbOrTrx, orgId: string | null | undefined, label: string | null): Promise<Jurisdiction> {
  const cleanLabel = label?.trim() || null;
  if (orgId) {
    const orgName = (await listOrganisationNames(db, [orgId])).get(orgId);
    if (orgName === undefined) throw new AppError('unprocessable', 'jurisdiction organisation not found');
    return { orgId, label: cleanLabel ?? orgName };
  }
  if (orgId === null || !cleanLabel) return { orgId: null, label: cleanLabel };
  const lookup = buildJurisdictionLookup((await listOrganisations(db)).items);
  return { orgId: lookup(cleanLabel), label: cleanLabel };
}

/**
 * Checks the structural and arithmetic rules for a target that is (or becomes) a district share:
 * the total is on the same task, is not itself a share, and the shares of an additive quantity do
 * not exceed it. For a target that is a total, its shares must still fit after the edit.
 */
async function assertPartsFit(
  db: DbOrTrx,
  target: { id: string; taskId: string; parentTargetId: string | null; value: number; unit: string },
): Promise<void> {
  if (target.parentTargetId) {
    if (target.parentTargetId === target.id) throw new AppError('unprocessable', 'a target cannot be its own total');
    const parent = await findTargetRow(db, target.parentTargetId);
    if (!parent || parent.task_id !== target.taskId) {
      throw new AppError('unprocessable', 'the total (parentTargetId) must be a target of the same task');
    }
    if (parent.parent_target_id) {
      throw new AppError('unprocessable', 'the total (parentTargetId) is itself a district share; link to the city total');
    }
    const ownParts = await listChildTargetRows(db, target.id);
    if (ownParts.length > 0) {
      throw new AppError('unprocessable', 'this target has district shares of its own and cannot become a share');
    }
    const siblings = (await listChildTargetRows(db, parent.id)).filter((s) => s.id !== target.id);
    const overflow = findPartsOverflow({ value: Number(parent.value), unit: parent.unit }, [
      ...siblings.map(quantity),
      { value: target.value, unit: target.unit },
    ]);
    if (overflow) throw new AppError('unprocessable', `${overflow} (${parent.metric})`);
  }
  const parts = await listChildTargetRows(db, target.id);
  if (parts.length > 0) {
    const overflow = findPartsOverflow({ value: target.value, unit: target.unit }, parts.map(quantity));
    if (overflow) throw new AppError('unprocessable', overflow);
  }
}

function quantity(row: TargetRow): { value: number; unit: string } {
  return { value: Number(row.value), unit: row.unit };
}

/**
 * Adds a quantified target to a task. A label without an organisation is mapped through the
 * registry when it names exactly one; a district share must fit in its total (422 otherwise).
 * "task write" (plans.policy.ts) decides who may: 404/403.
 */
export async function createTarget(db: Db, taskId: string, body: CreateTargetBody, actor: Actor | null): Promise<Target> {
  return writeTx(db, async (trx) => {
    await assertCanWriteTask(trx, actor, taskId);
    // CreateTargetBody defaults the organisation to null; a label alone is looked up.
    const jurisdiction = await resolveJurisdiction(trx, body.jurisdictionOrgId ?? undefined, body.jurisdictionLabel);
    const id = newSortableId();
    await assertPartsFit(trx, { id, taskId, parentTargetId: body.parentTargetId, value: body.value, unit: body.unit });
    const now = new Date().toISOString();
    await insertTargetRow(trx, {
      id,
      task_id: taskId,
      metric: body.metric,
      unit: body.unit,
      comparator: body.comparator,
      value: body.value,
      max_value: body.maxValue,
      baseline: body.baseline,
      jurisdiction_org_id: jurisdiction.orgId,
      jurisdiction_label: jurisdiction.label,
      deadline: body.deadline,
      parent_target_id: body.parentTargetId,
      text: body.text,
      span_start: null,
      span_end: null,
      status: 'not_started',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    const created = await getTarget(trx, id);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'target.create',
      entityType: 'target',
      entityId: id,
      taskId,
      after: created,
    });
    return created;
  });
}

/**
 * Edits a target. Optimistic: a stale `version` gets 409 with the target as it is now. Changing a
 * total or a share re-checks that the shares still fit (422). "target write" (plans.policy.ts)
 * decides who may: 404/403.
 */
export async function updateTarget(db: Db, targetId: string, body: UpdateTargetBody, actor: Actor | null): Promise<Target> {
  return writeTx(db, async (trx) => {
    await assertCanWriteTarget(trx, actor, targetId);
    const before = await getTarget(trx, targetId);
    if (body.version !== before.version) {
      throw new AppError('version_conflict', 'the target was changed by someone else; reload it', { current: before });
    }
    const jurisdictionChanged = body.jurisdictionOrgId !== undefined || body.jurisdictionLabel !== undefined;
    const jurisdiction = jurisdictionChanged
      ? await resolveJurisdiction(
          trx,
          body.jurisdictionOrgId,
          body.jurisdictionLabel !== undefined ? body.jurisdictionLabel : before.jurisdictionLabel,
        )
      : { orgId: before.jurisdictionOrgId, label: before.jurisdictionLabel };
    const merged = {
      id: targetId,
      taskId: before.taskId,
      parentTargetId: body.parentTargetId !== undefined ? body.parentTargetId : before.parentTargetId,
      value: body.value ?? before.value,
      unit: body.unit ?? before.unit,
    };
    await assertPartsFit(trx, merged);
    const changed = await updateTargetRow(trx, targetId, body.version, {
      ...(body.metric !== undefined ? { metric: body.metric } : {}),
      ...(body.unit !== undefined ? { unit: body.unit } : {}),
      ...(body.comparator !== undefined ? { comparator: body.comparator } : {}),
      ...(body.value !== undefined ? { value: body.value } : {}),
      ...(body.maxValue !== undefined ? { max_value: body.maxValue } : {}),
      ...(body.baseline !== undefined ? { baseline: body.baseline } : {}),
      ...(body.deadline !== undefined ? { deadline: body.deadline } : {}),
      ...(body.parentTargetId !== undefined ? { parent_target_id: body.parentTargetId } : {}),
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
      jurisdiction_org_id: jurisdiction.orgId,
      jurisdiction_label: jurisdiction.label,
      updated_at: new Date().toISOString(),
    });
    if (changed === 0) {
      throw new AppError('version_conflict', 'the target was changed by someone else; reload it', {
        current: await getTarget(trx, targetId),
      });
    }
    const after = await getTarget(trx, targetId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'target.update',
      entityType: 'target',
      entityId: targetId,
      taskId: before.taskId,
      before,
      after,
    });
    return after;
  });
}

/**
 * Deletes a target at `version` (409 with the current row if stale); its district shares become
 * stand-alone targets. 404 when unknown, then "task write" on its task (plans.policy.ts: 403).
 */
export async function deleteTarget(db: Db, targetId: string, version: number, actor: Actor | null): Promise<void> {
  await writeTx(db, async (trx) => {
    // The target names the task whose rule decides, so it is read first (404 before 403, as before).
    const before = await getTarget(trx, targetId);
    await assertCanWriteTask(trx, actor, before.taskId);
    const deleted = await deleteTargetRow(trx, targetId, version);
    if (deleted === 0) {
      throw new AppError('version_conflict', 'the target was changed by someone else; reload it', { current: before });
    }
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'target.delete',
      entityType: 'target',
      entityId: targetId,
      taskId: before.taskId,
      before,
    });
  });
}
