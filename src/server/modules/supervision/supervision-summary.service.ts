import type { DashboardSupervision } from '../../../shared/schemas/ledger.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { taskIdsOfPlans } from '../plans/plan-rows.queries.ts';
import { listNoticeStatesOnTasks } from './supervision.repository.ts';

/**
 * The dashboard's 督办 counts: notices with a row on a task of `planIds`, by status, overdue (not
 * closed, due before `asOf`) and, for those not closed, by current escalation rung. A lead or unit
 * user counts only the notices addressed to its organisation, so each number equals what its link
 * (the caller's inbox) lists; admin and leadership count all.
 */
export async function summariseNotices(db: DbOrTrx, planIds: readonly string[], asOf: string, actor: Actor): Promise<DashboardSupervision> {
  const summary: DashboardSupervision = {
    open: 0,
    answered: 0,
    closed: 0,
    overdue: 0,
    byStep: { none: 0, reminder: 0, urging: 0, yellow_card: 0, red_card: 0, interview: 0, accountability: 0 },
  };
  if (planIds.length === 0) return summary;
  const ownOnly = actor.role === 'lead' || actor.role === 'unit';
  const notices = await listNoticeStatesOnTasks(db, taskIdsOfPlans(db, planIds), ownOnly ? actor.orgId : undefined);
  for (const n of notices) {
    if (n.status === 'closed') {
      summary.closed += 1;
      continue;
    }
    if (n.status === 'answered') summary.answered += 1;
    else summary.open += 1;
    if (n.due_date < asOf) summary.overdue += 1;
    const step = (n.escalation_step ?? 'none') as keyof DashboardSupervision['byStep'];
    if (step in summary.byStep) summary.byStep[step] += 1;
  }
  return summary;
}
