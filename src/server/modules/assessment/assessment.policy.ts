/**
 * Who may see and do what in an assessment (called inside the service's transaction). Pure: the
 * caller passes the assessment's stage and dates.
 */
import type { AssessmentStage } from '../../../shared/schemas/assessment.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';

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
