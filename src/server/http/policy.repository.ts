import type { DbOrTrx } from '../db/database.ts';

/** Whether `orgId` is assigned to the task in `role`, directly or (if `viaGroups`) through a group it belongs to. */
export async function isOrgAssignedToTask(
  db: DbOrTrx,
  taskId: string,
  orgId: string,
  role: 'lead' | 'responsible',
  viaGroups: boolean,
): Promise<boolean> {
  const row = await db
    .selectFrom('assignments as a')
    .select('a.id')
    .where('a.task_id', '=', taskId)
    .where('a.role', '=', role)
    .where((eb) =>
      viaGroups
        ? eb.or([
            eb('a.org_id', '=', orgId),
            eb('a.org_id', 'in', eb.selectFrom('organisation_members').select('group_id').where('member_id', '=', orgId)),
          ])
        : eb('a.org_id', '=', orgId),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The lead and responsible assignments of a task (what "task write" decides on). */
export function listTaskWriteAssignments(db: DbOrTrx, taskId: string) {
  return db
    .selectFrom('assignments')
    .select(['org_id', 'role'])
    .where('task_id', '=', taskId)
    .where('role', 'in', ['lead', 'responsible'])
    .execute();
}

export async function findTaskExists(db: DbOrTrx, taskId: string): Promise<boolean> {
  const row = await db.selectFrom('tasks').select('id').where('id', '=', taskId).executeTakeFirst();
  return row !== undefined;
}

export async function findTargetScope(
  db: DbOrTrx,
  targetId: string,
): Promise<{ taskId: string; jurisdictionOrgId: string | null } | undefined> {
  const row = await db
    .selectFrom('targets')
    .select(['task_id', 'jurisdiction_org_id'])
    .where('id', '=', targetId)
    .executeTakeFirst();
  return row && { taskId: row.task_id, jurisdictionOrgId: row.jurisdiction_org_id };
}
