/**
 * Who may publish to and withdraw from the public portal: the office (admin role) of the tenant
 * whose record it is. Called by the service as the first statement inside its transaction.
 * Reading published pages needs nobody.
 *
 * Tenancy (docs/decisions/0006-tenancy.md, step 2b): a publication is the tenant's whose plan it
 * publishes — a period's, an assessment's or a project library's plan (`scope_id`), a bulletin's assessment's plan. A
 * city publishes and withdraws only its own records (another city's: 404; a city's seen from the
 * province: 403) and its office's list shows only what it reads. A kind that cannot name its plan
 * here (one registered later) is installation-wide: only an untenanted installation handles it
 * until it is added to `planOfSource` / `planOfPublication`.
 */
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listAssessments } from '../assessment/assessment.service.ts';
import { listIssuedBulletins } from '../assessment/bulletin.service.ts';
import { scopeOf } from '../organisations/organisations.service.ts';
import { assertCanAdministerPlan, readablePlanIds } from '../plans/plans.policy.ts';
import { getPlan } from '../plans/plans.service.ts';
import { getPeriod } from '../reporting/periods.service.ts';

/** 401 without a session, 403 unless the office. */
export function assertCanPublish(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only the office publishes to the public portal');
}

/** Ids of assessments → their plan (one query; assessments are few). */
async function assessmentPlans(db: DbOrTrx): Promise<Map<string, string>> {
  return new Map((await listAssessments(db)).items.map((a) => [a.id, a.planId]));
}

/**
 * The plan a publishable record belongs to: undefined when the record does not exist (the kind's
 * build then answers 404), null when the kind names no plan.
 */
export async function planOfSource(db: DbOrTrx, kind: string, sourceId: string): Promise<string | null | undefined> {
  switch (kind) {
    case 'period':
      return getPeriod(db, sourceId).then(
        (p) => p.planId,
        () => undefined,
      );
    case 'assessment':
      return (await assessmentPlans(db)).get(sourceId);
    case 'project_library':
      return getPlan(db, sourceId).then(
        (p) => p.id,
        () => undefined,
      );
    case 'bulletin': {
      const b = (await listIssuedBulletins(db)).find((x) => x.id === sourceId);
      return b ? (await assessmentPlans(db)).get(b.assessmentId) : undefined;
    }
    default:
      return null;
  }
}

/** The plan of a stored publication, from its kind and `scope_id` (null when the kind names none). */
export function planOfPublication(kind: string, scopeId: string | null, assessmentPlan: ReadonlyMap<string, string>): string | null {
  if (scopeId === null) return null;
  if (kind === 'period' || kind === 'assessment' || kind === 'project_library') return scopeId;
  if (kind === 'bulletin') return assessmentPlan.get(scopeId) ?? null;
  return null;
}

/** 404 when `actor` does not read the plan (or the kind names none in a tenanted install), 403 when they read but do not administer it. */
async function assertAdministers(db: DbOrTrx, actor: Actor, planId: string | null, notFound: string): Promise<void> {
  if (planId === null) {
    if (!(await scopeOf(db, actor)).unrestricted) throw new AppError('not_found', notFound);
    return;
  }
  await assertCanAdministerPlan(db, actor, planId, notFound).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'forbidden')
      throw new AppError('forbidden', '该记录属于其他辖区，只能查看，不能发布或撤回');
    throw err;
  });
}

/** Publishing or previewing a record: the office of the record's own tenant. Unknown records pass (the build says 404). */
export async function assertCanPublishSource(db: DbOrTrx, actor: Actor, kind: string, sourceId: string): Promise<void> {
  const planId = await planOfSource(db, kind, sourceId);
  if (planId === undefined) return;
  await assertAdministers(db, actor, planId, 'record not found');
}

/** Withdrawing a publication: the office of its tenant. */
export async function assertCanWithdraw(db: DbOrTrx, actor: Actor, kind: string, scopeId: string | null): Promise<void> {
  await assertAdministers(db, actor, planOfPublication(kind, scopeId, await assessmentPlans(db)), 'publication not found');
}

/**
 * Which of `planIds` (one per row; null: a kind that names no plan) `actor` reads, or with `mode`
 * 'write' administers: a mask of the rows to keep. Everything when no tenant is declared.
 */
export async function publicationsInScope(
  db: DbOrTrx,
  actor: Actor,
  planIds: readonly (string | null)[],
  mode: 'read' | 'write',
): Promise<boolean[]> {
  if ((await scopeOf(db, actor)).unrestricted) return planIds.map(() => true);
  const distinct = [...new Set(planIds.filter((p): p is string => p !== null))];
  const readable = await readablePlanIds(db, actor, distinct);
  const administered = new Set<string>();
  if (mode === 'write') {
    for (const id of readable) {
      const ok = await assertCanAdministerPlan(db, actor, id).then(
        () => true,
        () => false,
      );
      if (ok) administered.add(id);
    }
  }
  return planIds.map((p) => p !== null && (mode === 'read' ? readable.has(p) : administered.has(p)));
}

/** The plans of stored publications (kind + scope_id), for `publicationsInScope`. */
export async function plansOfPublications(
  db: DbOrTrx,
  rows: readonly { kind: string; scope_id: string | null }[],
): Promise<(string | null)[]> {
  const assessmentPlan = await assessmentPlans(db);
  return rows.map((r) => planOfPublication(r.kind, r.scope_id, assessmentPlan));
}
