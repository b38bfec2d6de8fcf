import type { Kysely } from 'kysely';

// The level of a plan's responsible jurisdictions (county | city | department), so screens say
// 各县区 / 各市 / 各部门 as the plan does. Existing plans are county plans, as the first one was.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plans')
    .addColumn('jurisdiction_level', 'text', (c) => c.notNull().defaultTo('county'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plans').dropColumn('jurisdiction_level').execute();
}
