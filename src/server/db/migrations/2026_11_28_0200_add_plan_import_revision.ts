import type { Kysely } from 'kysely';

// A draft import may revise an existing plan: it names the plan and carries the clause-to-task
// match (PlanRevisionDiff as JSON), which the review screen shows and confirm applies.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plan_imports')
    .addColumn('revises_plan_id', 'text', (c) => c.references('plans.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('plan_imports').addColumn('diff_json', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plan_imports').dropColumn('diff_json').execute();
  await db.schema.alterTable('plan_imports').dropColumn('revises_plan_id').execute();
}
