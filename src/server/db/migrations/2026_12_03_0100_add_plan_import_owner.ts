import type { Kysely } from 'kysely';

// Tenancy of plan import drafts (issue 12, docs/decisions/0006-tenancy.md): a draft has no plan
// yet to follow, so it names the tenant it belongs to — that of the importing user's organisation
// (of the revised plan, for a revision draft). Existing drafts get the tenant of their creator's
// organisation in one set-based update; drafts of no known creator stay null (the implicit
// jurisdiction: seen wherever nothing is filtered).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plan_imports')
    .addColumn('owner_org_id', 'text', (c) => c.references('organisations.id'))
    .execute();
  await db
    .updateTable('plan_imports')
    .set((eb) => ({
      owner_org_id: eb
        .selectFrom('users as u')
        .innerJoin('organisations as o', 'o.id', 'u.org_id')
        .select('o.tenant_id')
        .whereRef('u.id', '=', 'plan_imports.created_by'),
    }))
    .where('created_by', 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plan_imports').dropColumn('owner_org_id').execute();
}
