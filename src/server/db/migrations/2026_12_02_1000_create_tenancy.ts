import { type Kysely, sql } from 'kysely';

// Jurisdictions and tenancy (issue 12, docs/decisions/0006-tenancy.md).
// - `tenants`: the organisations that administer a jurisdiction of their own (a province's or a
//   city's office), with the tenant above them (a city's province). Owned by the organisations module.
// - `organisations.tenant_id`: the tenant each organisation belongs to (a tenant belongs to itself).
//   Null only on an installation that has declared no tenant yet (a fresh database): the one
//   implicit jurisdiction, which sees what it always saw.
// - `plans.owner_org_id`: the tenant that issued the plan.
// An existing single-city database migrates forward unchanged in behaviour: the office its first
// administrator belongs to becomes the city tenant, and every organisation and plan is put under it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province', 'city')`))
    .addColumn('parent_org_id', 'text', (c) => c.references('tenants.org_id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('organisations')
    .addColumn('tenant_id', 'text', (c) => c.references('organisations.id'))
    .execute();
  await db.schema
    .alterTable('plans')
    .addColumn('owner_org_id', 'text', (c) => c.references('organisations.id'))
    .execute();
  await db.schema.createIndex('organisations_tenant_idx').on('organisations').column('tenant_id').execute();
  await db.schema.createIndex('plans_owner_org_idx').on('plans').column('owner_org_id').execute();

  // The root an existing install administers: its first administrator's organisation, else its
  // first office. Nothing to do on a fresh database.
  const admin = await db
    .selectFrom('users')
    .select('org_id')
    .where('role', '=', 'admin')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  const office = admin
    ? undefined
    : await db.selectFrom('organisations').select('id').where('kind', '=', 'office').orderBy('created_at').orderBy('id').executeTakeFirst();
  const rootId: string | undefined = admin?.org_id ?? office?.id;
  if (!rootId) return;
  await db
    .insertInto('tenants')
    .values({ org_id: rootId, level: 'city', parent_org_id: null, created_at: new Date().toISOString() })
    .execute();
  await db.updateTable('organisations').set({ tenant_id: rootId }).where('tenant_id', 'is', null).execute();
  await db.updateTable('plans').set({ owner_org_id: rootId }).where('owner_org_id', 'is', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('plans_owner_org_idx').execute();
  await db.schema.dropIndex('organisations_tenant_idx').execute();
  await db.schema.alterTable('plans').dropColumn('owner_org_id').execute();
  await db.schema.alterTable('organisations').dropColumn('tenant_id').execute();
  await db.schema.dropTable('tenants').execute();
}
