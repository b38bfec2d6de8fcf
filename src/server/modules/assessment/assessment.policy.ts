/**
 * Who may see and do what in an assessment (called inside the service's transaction). The role
 * rules are pure (the caller passes the assessment's stage and dates); the tenancy rules at the
 * end ask the organisations and plans modules.
 */
import type { AssessmentStage } from '../../../shared/schemas/assessment.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { canAdministerTenant, canSeeTenant } from '../../core/tenancy.rule.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { scopeOf, tenantOf } from '../organisations/organisations.service.ts';
import { assertCanAdministerPlan, assertCanReadPlan, readablePlanIds } from '../plans/plans.policy.ts';
import { getUser } from '../users/users.service.ts';

/** The office and leadership see every unit's sheet at every stage. */
export function isOversight(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'leader';
}

/** 403 unless the caller is the office (the only one who configures, adjusts and decides). */
export function assertOffice(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', '只有考核办公室可以进行此操作');
}

/** A unit reads its own sheet only; oversight reads any. */
export function assertCanReadSheet(actor: Actor, orgId: string): void {
  if (!isOversight(actor) && actor.orgId !== orgId) throw new AppError('forbidden', '只能查看本单位的考核得分');
}

/** Until 初评 is published a unit sees only its own result; after, the ranking of everyone. */
export function visibleUnitIds(actor: Actor, stage: AssessmentStage, orgIds: readonly string[]): string[] {
  if (isOversight(actor) || stage !== 'draft') return [...orgIds];
  return orgIds.filter((id) => id === actor.orgId);
}

/** 自评: a user of the assessed unit (unit or lead role), while the assessment is a draft. */
export function assertCanSelfAssess(actor: Actor, assessedOrgIds: readonly string[], stage: AssessmentStage): void {
  if ((actor.role !== 'unit' && actor.role !== 'lead') || !assessedOrgIds.includes(actor.orgId))
    throw new AppError('forbidden', '只有被考核单位可以自评');
  if (stage !== 'draft') throw new AppError('unprocessable', '初评已公布，不能再自评');
}

/** 核查: the office adjusts lines while the assessment is a draft (after 初评 only by answering an objection). */
export function assertCanAdjust(actor: Actor, stage: AssessmentStage): void {
  assertOffice(actor);
  if (stage !== 'draft')
    throw new AppError(
      'unprocessable',
      stage === 'final' ? '考核结果已定稿，不能修改；如需更正请重新发布' : '初评已公布，只能通过答复异议更正',
    );
}

/** 异议: a user of the assessed unit, once 初评 is published and on or before the window's last day (`today` is the server's). */
export function assertCanObject(
  actor: Actor,
  assessedOrgIds: readonly string[],
  stage: AssessmentStage,
  objectionUntil: string | null,
  today: string,
): void {
  if ((actor.role !== 'unit' && actor.role !== 'lead') || !assessedOrgIds.includes(actor.orgId))
    throw new AppError('forbidden', '只有被考核单位可以提出异议');
  if (stage !== 'published' || objectionUntil === null) throw new AppError('unprocessable', '不在异议期内');
  if (today > objectionUntil) throw new AppError('unprocessable', `异议期已于 ${objectionUntil} 结束`);
}

// ——— Tenancy (docs/decisions/0006-tenancy.md, step 2b) ———
// An assessment belongs to the tenant of its plan (assessments.plan_id → plans.owner_org_id): a
// city's assessment of its counties is the city's, the province's assessment (of a province plan)
// the province's. Everything under an assessment (sheets, notes, adjustments, objections,
// consequences, bulletins) follows it. A scheme belongs to the tenant of the organisation of the
// user who created it (no column: the creator is recorded already); a scheme written by no one
// (an internal seed) belongs to no tenant. Unseen → 404, seen but not administered → 403.

/** 404 (as `notFound`) when `actor` does not read the assessment's plan. A null actor is internal. */
export async function assertCanReadAssessment(db: DbOrTrx, actor: Actor | null, planId: string, notFound = '考核不存在'): Promise<void> {
  await assertCanReadPlan(db, actor, planId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', notFound) : err;
  });
}

/** As assertCanReadAssessment; 403 when the province looks at a city's assessment and tries to change it. */
export async function assertCanAdministerAssessment(
  db: DbOrTrx,
  actor: Actor | null,
  planId: string,
  notFound = '考核不存在',
): Promise<void> {
  await assertCanAdministerPlan(db, actor, planId, notFound).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'forbidden') throw new AppError('forbidden', '该考核属于其他辖区，只能查看');
    throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', notFound) : err;
  });
}

/** The plans among `planIds` whose assessments `actor` reads. */
export function readableAssessmentPlans(db: DbOrTrx, actor: Actor | null, planIds: readonly string[]): Promise<Set<string>> {
  return readablePlanIds(db, actor, planIds);
}

/** The tenant a scheme belongs to: that of its creator's organisation (null when written by no one). */
async function tenantOfScheme(db: DbOrTrx, createdBy: string | null): Promise<string | null> {
  if (!createdBy) return null;
  const user = await getUser(db, createdBy).catch(() => null);
  return user ? tenantOf(db, user.orgId).catch(() => null) : null;
}

/** Which of `schemes` `actor` reads (`mode` 'write': which they administer). One scope query, one user lookup per creator. */
export async function schemesInScope<T extends { created_by: string | null }>(
  db: DbOrTrx,
  actor: Actor | null,
  schemes: readonly T[],
  mode: 'read' | 'write' = 'read',
): Promise<T[]> {
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return [...schemes];
  const byCreator = new Map<string | null, string | null>();
  for (const creator of new Set(schemes.map((s) => s.created_by))) byCreator.set(creator, await tenantOfScheme(db, creator));
  const ok = (tenant: string | null) => (mode === 'read' ? canSeeTenant(scope, tenant) : canAdministerTenant(scope, tenant));
  return schemes.filter((s) => ok(byCreator.get(s.created_by) ?? null));
}

/** 404 when `actor` does not read the scheme, 403 (with `mode` 'write') when they read but do not administer it. */
export async function assertSchemeInScope(
  db: DbOrTrx,
  actor: Actor | null,
  scheme: { created_by: string | null },
  mode: 'read' | 'write',
): Promise<void> {
  if ((await schemesInScope(db, actor, [scheme], 'read')).length === 0) throw new AppError('not_found', '考核方案不存在');
  if (mode === 'write' && (await schemesInScope(db, actor, [scheme], 'write')).length === 0)
    throw new AppError('forbidden', '该考核方案属于其他辖区，只能查看');
}

/**
 * Who `actor` is to an assessment, for the role rules above: themselves when they read its plan's
 * tenant (a city's office at its own assessment; the province reading a city's). An assessed unit
 * outside that tenant — a city's office assessed by the province — reads the assessment as a unit
 * of it (its own sheet, 自评 and 异议, the ranking once published), never as its office: the role
 * rules then see it as `unit`. Anyone else: 404, as for an unknown id.
 */
export async function assessmentViewer(
  db: DbOrTrx,
  actor: Actor,
  planId: string,
  assessedOrgIds: () => Promise<readonly string[]>,
  notFound = '考核不存在',
): Promise<Actor> {
  const readable = await readablePlanIds(db, actor, [planId]);
  if (readable.has(planId)) return actor;
  if ((await assessedOrgIds()).includes(actor.orgId)) return actor.role === 'lead' ? actor : { ...actor, role: 'unit' };
  throw new AppError('not_found', notFound);
}
