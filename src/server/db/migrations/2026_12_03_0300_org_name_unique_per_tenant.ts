import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Organisation names are unique per tenant, not per installation (issue 12): a second city has
// its own 市住房和城乡建设局. The unique key becomes (tenant, name); an untenanted row counts as
// tenant '' so the implicit jurisdiction of a single-city install stays unique as before.
//
// PostgreSQL drops the column constraint. SQLite cannot drop a column's UNIQUE (its automatic
// index), so the table is rebuilt the way SQLite documents (foreign keys off, new table, copy,
// drop, rename, foreign_key_check), in one transaction.
const COLUMNS = ['id', 'name', 'aliases', 'kind', 'admin_code', 'parent_id', 'version', 'created_at', 'updated_at', 'tenant_id'];

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`alter table organisations drop constraint if exists organisations_name_key`.execute(db);
    await sql`create unique index organisations_tenant_name_uq on organisations (coalesce(tenant_id, ''), name)`.execute(db);
    return;
  }
  // Kysely runs SQLite migrations outside a transaction, so foreign keys can be switched off
  // for the rebuild (the DROP then cascades nothing) and checked before they are on again.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await rebuildSqlite(trx);
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`rebuild organisations: ${broken.rows.length} broken references`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function rebuildSqlite(db: Kysely<any>): Promise<void> {
  const cols = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await db.schema
    .createTable('organisations_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('admin_code', 'text')
    .addColumn('parent_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.references('organisations.id'))
    .execute();
  await sql`insert into organisations_next (${cols}) select ${cols} from organisations`.execute(db);
  await db.schema.dropTable('organisations').execute();
  // Other tables' REFERENCES organisations now name the new table; nothing names _next.
  await sql`alter table organisations_next rename to organisations`.execute(db);
  await db.schema.createIndex('organisations_tenant_idx').on('organisations').column('tenant_id').execute();
  await sql`create unique index organisations_tenant_name_uq on organisations (coalesce(tenant_id, ''), name)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to one name per installation: fails (as it should) when two tenants share a name.
  await sql`drop index organisations_tenant_name_uq`.execute(db);
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`alter table organisations add constraint organisations_name_key unique (name)`.execute(db);
    return;
  }
  await sql`create unique index organisations_name_key on organisations (name)`.execute(db);
}
