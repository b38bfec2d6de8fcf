/**
 * Who may read a 督办 notice and add to its answer, shared by the notice and its evidence files.
 * The row rules are pure (the caller passes the organisations the notice is addressed to); the
 * tenancy rules at the end ask the plans' policy about the plans of the notice's tasks.
 */
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { scopeOf } from '../organisations/organisations.service.ts';
import { listTaskTexts, taskIdsOfPlans } from '../plans/plan-rows.queries.ts';
import { assertCanAdministerPlan, readablePlanIds } from '../plans/plans.policy.ts';

/** Admin and leadership oversee every notice; lead and unit users only what is addressed to them. */
export function isOversight(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'leader';
}

/** True when the caller may read a notice addressed to `recipientOrgIds`. */
export function canReadNotice(actor: Actor, recipientOrgIds: readonly string[]): boolean {
  return isOversight(actor) || recipientOrgIds.includes(actor.orgId);
}

/** 403 unless the caller may read the notice: one county never reads another's 督办. */
export function assertCanReadNotice(actor: Actor, recipientOrgIds: readonly string[]): void {
  if (!canReadNotice(actor, recipientOrgIds)) throw new AppError('forbidden', 'this notice is not addressed to your organisation');
}

/**
 * Evidence is added by the users who file for a receiving organisation (unit and lead roles), as
 * report evidence is: the office does not answer its own notice, leadership only reads.
 */
export function assertCanAddNoticeEvidence(actor: Actor, recipientOrgIds: readonly string[], status: string): void {
  if ((actor.role !== 'unit' && actor.role !== 'lead') || !recipientOrgIds.includes(actor.orgId)) {
    throw new AppError('forbidden', 'only a receiving unit adds evidence to this notice');
  }
  if (status === 'closed') throw new AppError('unprocessable', 'the notice is closed; ask the office to re-open it');
}

// ——— Tenancy (issue 12, docs/decisions/0006-tenancy.md) ———
// A notice follows the plan of its ledger rows' tasks (no column of its own): a notice on another
// city's plan does not exist for you (404, as an unknown id); the province reads its cities'
// notices but issues, answers, closes, re-opens and escalates only on its own plans (403).

/**
 * 404 (as `notFound`) unless `actor` reads the plans of every one of `taskIds` (a notice's
 * rows); with `mode` 'administer' also 403 unless they administer them. A notice whose tasks
 * name no plan any more belongs to nobody: only an untenanted installation sees it.
 * `actor` null = internal caller.
 */
export async function assertNoticeTasksInScope(
  db: DbOrTrx,
  actor: Actor | null,
  taskIds: readonly string[],
  mode: 'read' | 'administer',
  notFound = 'supervision notice not found',
): Promise<void> {
  if (!actor) return;
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return;
  const planIds = [...new Set((await listTaskTexts(db, taskIds)).map((t) => t.plan_id))];
  const readable = await readablePlanIds(db, actor, planIds);
  if (planIds.length === 0 || planIds.some((id) => !readable.has(id))) throw new AppError('not_found', notFound);
  if (mode === 'administer') for (const planId of planIds) await assertCanAdministerPlan(db, actor, planId, notFound);
}

/**
 * The tasks whose notices `actor` may list, as a subquery (`task_id in …`) for the notice lists'
 * SQL; null when nothing needs filtering (an untenanted installation), 'none' when no plan is
 * readable at all.
 */
export async function noticeTasksReadableBy(db: DbOrTrx, actor: Actor) {
  if ((await scopeOf(db, actor)).unrestricted) return null;
  const planIds = [...(await readablePlanIds(db, actor))];
  return planIds.length === 0 ? ('none' as const) : taskIdsOfPlans(db, planIds);
}
