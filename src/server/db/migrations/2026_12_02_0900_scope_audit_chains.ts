import { type Kysely, sql } from 'kysely';

// Scoped audit chains (docs/decisions/0005-scoped-audit-chains.md): every event belongs to one
// chain (`global` for installation-level events, `plan:<id>` for a plan's), numbered 1, 2, … within
// it, and each chain has its own head row, so writers in different chains never lock the same row.
// Existing events become the `global` chain unchanged (same seq, same hashes: verification holds).
// The primary keys change, which SQLite cannot alter in place: both tables are rebuilt and copied.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_events_scoped')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('kid', 'text')
    .addPrimaryKeyConstraint('audit_events_chain_seq_pk', ['chain', 'seq'])
    .execute();
  await sql`insert into audit_events_scoped (chain, seq, at, actor_id, action, entity_type, entity_id, task_id, before_json, after_json, prev_hash, hash, kid)
    select 'global', seq, at, actor_id, action, entity_type, entity_id, task_id, before_json, after_json, prev_hash, hash, kid from audit_events`.execute(
    db,
  );
  await db.schema.dropTable('audit_events').execute();
  await db.schema.alterTable('audit_events_scoped').renameTo('audit_events').execute();
  await db.schema.createIndex('audit_entity_idx').on('audit_events').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_task_idx').on('audit_events').column('task_id').execute();
  await db.schema.createIndex('audit_at_idx').on('audit_events').column('at').execute();

  // `id` stays for the installation chain's row (1), so tools that addressed the single head by id
  // keep working; scoped chains' rows have no id.
  await db.schema
    .createTable('audit_head_scoped')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('id', 'integer', (c) => c.unique())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head_scoped (chain, id, last_seq, last_hash) select 'global', id, last_seq, last_hash from audit_head where id = 1`.execute(
    db,
  );
  await db.schema.dropTable('audit_head').execute();
  await db.schema.alterTable('audit_head_scoped').renameTo('audit_head').execute();

  // Claims of scheduled-job ticks: the instance that inserts (job, slot) first runs that tick.
  await db.schema
    .createTable('job_claims')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_claims_pk', ['job', 'slot'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_claims').execute();
  // Only the installation chain fits the old single-chain tables.
  await db.schema
    .createTable('audit_head_single')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head_single (id, last_seq, last_hash) select 1, last_seq, last_hash from audit_head where chain = 'global'`.execute(
    db,
  );
  await db.schema.dropTable('audit_head').execute();
  await db.schema.alterTable('audit_head_single').renameTo('audit_head').execute();
  await db.schema
    .createTable('audit_events_single')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('kid', 'text')
    .execute();
  await sql`insert into audit_events_single select seq, at, actor_id, action, entity_type, entity_id, task_id, before_json, after_json, prev_hash, hash, kid from audit_events where chain = 'global'`.execute(
    db,
  );
  await db.schema.dropTable('audit_events').execute();
  await db.schema.alterTable('audit_events_single').renameTo('audit_events').execute();
  await db.schema.createIndex('audit_entity_idx').on('audit_events').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_task_idx').on('audit_events').column('task_id').execute();
}
