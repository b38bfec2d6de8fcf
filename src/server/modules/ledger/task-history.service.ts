import type { z } from 'zod';
import type { TaskHistory } from '../../../shared/schemas/plan.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { type AuditWhere, listAuditForTask } from '../audit/audit.service.ts';
import { assertCanReadTask } from '../plans/plans.policy.ts';
import { assertTaskExists } from '../plans/tasks.service.ts';
import { reportEventsReadableBy } from '../reporting/reporting.policy.ts';
import { displayNamesOf } from '../users/users.service.ts';

// Fields of an event's records that hold a user id.
const USER_ID_FIELDS = ['reviewedBy'];

// Events on these are about the task itself, which every signed-in role reads (GET /tasks/:id,
// /targets, /snapshots). Any other kind of event is shown only where a rule says who may read it,
// so a new kind of record tied to a task is hidden from history until someone decides.
const TASK_RECORD_EVENTS = ['task', 'target', 'assignment', 'deadline', 'period_snapshot'];

/**
 * The audit trail of a task and of its targets, assignments, deadlines and reports, newest first,
 * with actor names: only the events about records the caller may read (another county's draft
 * report and its evidence do not exist for it here either). Filtered in the query, before the limit.
 * It lives beside the ledger because, like the ledger, it is a read over plans and reporting
 * together (plans may not depend on reporting, which depends on plans). 404 for an unknown task.
 */
export async function getTaskHistory(db: DbOrTrx, taskId: string, actor: Actor): Promise<z.infer<typeof TaskHistory>> {
  await assertTaskExists(db, taskId);
  await assertCanReadTask(db, actor, taskId);
  const reports = reportEventsReadableBy(db, actor, taskId);
  const where: AuditWhere | undefined = reports
    ? (eb, field) => eb.or([eb('a.entity_type', 'in', TASK_RECORD_EVENTS), reports(eb, field)])
    : undefined;
  const items = await listAuditForTask(db, taskId, undefined, where);
  // Only ids inside events the caller may read are named.
  const ids = new Set<string>();
  for (const item of items) {
    for (const side of [item.before, item.after]) {
      if (side === null || typeof side !== 'object') continue;
      for (const field of USER_ID_FIELDS) {
        const id = (side as Record<string, unknown>)[field];
        if (typeof id === 'string') ids.add(id);
      }
    }
  }
  return { items, names: await displayNamesOf(db, ids) };
}
