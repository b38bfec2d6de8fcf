/**
 * Who may read a 督办 notice and add to its answer, shared by the notice and its evidence files.
 * Pure: the caller passes the organisations the notice is addressed to.
 */
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';

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
