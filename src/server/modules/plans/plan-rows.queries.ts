/**
 * The rows of plans the ledger shows (plans owns these tables, ADR 0003 §2.2; moved from
 * ledger.repository.ts unchanged): one set-based query per table for all the plans shown, whatever
 * the number of tasks (children are selected through `task_id in (select … where plan_id in …)`,
 * not by id lists, so 10,000 rows cost the same six round trips as 10). Plain rows, no writes.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';

/** The plan, or every active plan, oldest first. */
export function listLedgerPlans(db: DbOrTrx, planId: string | undefined) {
  let q = db.selectFrom('plans').select(['id', 'title', 'created_at']);
  q = planId ? q.where('id', '=', planId) : q.where('status', '=', 'active');
  return q.orderBy('created_at').orderBy('id').execute();
}

export function listLedgerSections(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('sections')
    .select(['id', 'plan_id', 'parent_id', 'path', 'title', 'ordinal'])
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('ordinal')
    .execute();
}

/** `taskIds` (optional, here and below) narrows to those tasks: the rows of one ledger page. */
export function listLedgerTasks(db: DbOrTrx, planIds: string[], taskIds?: readonly string[]) {
  return db
    .selectFrom('tasks')
    .select(['id', 'plan_id', 'section_id', 'seq', 'text', 'status'])
    .where('plan_id', 'in', planIds)
    .$if(taskIds !== undefined, (q) => q.where('tasks.id', 'in', taskIds?.length ? [...taskIds] : ['']))
    .orderBy('plan_id')
    .orderBy('seq')
    .orderBy('id')
    .execute();
}

export function listLedgerAssignments(db: DbOrTrx, planIds: string[], taskIds?: readonly string[]) {
  return (
    db
      .selectFrom('assignments')
      .innerJoin('tasks', 'tasks.id', 'assignments.task_id')
      // The organisation's name and kind come from organisations' service (ledger.service.ts).
      .select(['assignments.task_id', 'assignments.org_id', 'assignments.role'])
      .where('tasks.plan_id', 'in', planIds)
      .$if(taskIds !== undefined, (q) => q.where('tasks.id', 'in', taskIds?.length ? [...taskIds] : ['']))
      // Ids are time-ordered (sortable-id.ts): the order the plan listed the units in.
      .orderBy('assignments.id')
      .execute()
  );
}

export function listLedgerDeadlines(db: DbOrTrx, planIds: string[], taskIds?: readonly string[]) {
  return db
    .selectFrom('deadlines')
    .innerJoin('tasks', 'tasks.id', 'deadlines.task_id')
    .select(['deadlines.task_id', 'deadlines.date'])
    .where('tasks.plan_id', 'in', planIds)
    .$if(taskIds !== undefined, (q) => q.where('tasks.id', 'in', taskIds?.length ? [...taskIds] : ['']))
    .orderBy('deadlines.date')
    .execute();
}

export function listLedgerTargets(db: DbOrTrx, planIds: string[], taskIds?: readonly string[]) {
  return (
    db
      .selectFrom('targets')
      .innerJoin('tasks', 'tasks.id', 'targets.task_id')
      .select([
        'targets.id',
        'targets.task_id',
        'targets.metric',
        'targets.unit',
        'targets.comparator',
        'targets.value',
        'targets.max_value',
        'targets.jurisdiction_label',
        'targets.jurisdiction_org_id',
        'targets.span_start',
      ])
      .where('tasks.plan_id', 'in', planIds)
      .$if(taskIds !== undefined, (q) => q.where('tasks.id', 'in', taskIds?.length ? [...taskIds] : ['']))
      // Document order; targets added later (no span) follow, the same on both engines.
      .orderBy('targets.task_id')
      .orderBy(sql`coalesce(${sql.ref('targets.span_start')}, 2147483647)`)
      .orderBy('targets.id')
      .execute()
  );
}

/** The tasks of the plans, as a subquery (`task_id in …`) other modules filter their rows with. */
export function taskIdsOfPlans(db: DbOrTrx, planIds: readonly string[]) {
  return db
    .selectFrom('tasks')
    .select('tasks.id')
    .where('tasks.plan_id', 'in', [...planIds]);
}

/** Text and plan of the given tasks (how other modules name a task row); `in (…)` lists in chunks, below the parameter caps. */
export async function listTaskTexts(db: DbOrTrx, taskIds: readonly string[]) {
  const ids = [...new Set(taskIds)];
  const out = [];
  for (let i = 0; i < ids.length; i += 5000) {
    out.push(
      ...(await db
        .selectFrom('tasks')
        .select(['id', 'text', 'plan_id'])
        .where('id', 'in', ids.slice(i, i + 5000))
        .execute()),
    );
  }
  return out;
}

/** How many assignments name the organisation, and how many targets are in its jurisdiction (an organisation in use is not deleted). */
export async function countPlanUsesOfOrg(db: DbOrTrx, orgId: string): Promise<{ assignments: number; targets: number }> {
  const count = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
  const [assignments, targets] = await Promise.all([
    count(
      db
        .selectFrom('assignments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirst(),
    ),
    count(
      db
        .selectFrom('targets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('jurisdiction_org_id', '=', orgId)
        .executeTakeFirst(),
    ),
  ]);
  return { assignments, targets };
}
