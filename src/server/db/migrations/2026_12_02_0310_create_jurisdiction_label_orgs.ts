import type { Kysely } from 'kysely';

// The office's resolution of a jurisdiction label of a plan's targets ("市城区", "两县") to the
// organisations it names, when the registry does not name them (issue 11, item 4). One row per
// (plan, label, organisation); owned by the reporting module, read by its target-reporters rule.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jurisdiction_label_orgs')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('jurisdiction_label_orgs_pk', ['plan_id', 'label', 'org_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jurisdiction_label_orgs').execute();
}
