import type { ProgressReport } from '../../../shared/schemas/reporting.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';

/**
 * Tenancy (issue 12, docs/decisions/0006-tenancy.md): evidence, the 进展填报表 template and its
 * upload follow their report's (or period's) plan, as reporting.policy.ts decides: another
 * city's file is 404, and a change is asked for with this mode so that the province, which reads
 * a city's reports, gets 403 rather than changing them.
 */
export const EVIDENCE_CHANGE = 'administer' as const;

/**
 * Who changes a report's evidence files (on top of the route policy `write`). Reading follows the
 * report: evidence is read through reporting's getReport, which applies canReadReport and the
 * plan's tenant.
 *
 * Evidence changes with the report text: only its own organisation (its lead or unit users), and
 * only while it can still edit the report (draft, or returned for correction). evidence.service.ts
 * calls this inside its writeTx on the report as read there (it may have been submitted meanwhile).
 * 403 for another organisation, 409 `evidence_locked` once the report is submitted or accepted.
 */
export function assertCanChangeEvidence(actor: Actor, report: ProgressReport): void {
  if (report.orgId !== actor.orgId || (actor.role !== 'unit' && actor.role !== 'lead')) {
    throw new AppError('forbidden', 'only the reporting organisation changes its evidence');
  }
  if (report.status !== 'draft' && report.status !== 'returned') {
    throw new AppError('evidence_locked', `the report is ${report.status}; evidence can no longer change`);
  }
}
