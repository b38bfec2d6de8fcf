/**
 * The rows of one plan as plans accepts them (create or revise from a graph). plans defines the
 * shape; plan-imports produces it from a parsed extract, so the dependency runs one way.
 */
import type { Insertable } from 'kysely';
import type { AssignmentsTable, DeadlinesTable, PlansTable, SectionsTable, TargetsTable, TasksTable } from '../../db/database.types.ts';

/** A plan with its sections, tasks, assignments, deadlines and targets, ready to insert. */
export interface PlanGraph {
  plan: Insertable<PlansTable>;
  sections: Insertable<SectionsTable>[];
  tasks: Insertable<TasksTable>[];
  assignments: Insertable<AssignmentsTable>[];
  deadlines: Insertable<DeadlinesTable>[];
  targets: Insertable<TargetsTable>[];
}
