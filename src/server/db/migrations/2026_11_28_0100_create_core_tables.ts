import { type Kysely, sql } from 'kysely';

// One schema for SQLite and PostgreSQL: ids are app-generated text, timestamps ISO-8601 text
// (UTC, sortable), booleans 0/1 integers, JSON as text, numbers double precision. That keeps
// every query portable and the two dialects byte-comparable in tests.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('admin_code', 'text')
    .addColumn('parent_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organisation_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('organisation_members_pk', ['group_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Sessions live in the database so several server instances can share PostgreSQL.
  // The id is sha256(token): a leaked table does not leak usable cookies.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text')
    .addColumn('year', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('source_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('sections.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sections_plan_idx').on('sections').columns(['plan_id', 'ordinal']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('section_id', 'text', (c) => c.references('sections.id').onDelete('set null'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('span_start', 'integer')
    .addColumn('span_end', 'integer')
    .addColumn('assignment_text', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('not_started'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_plan_seq_idx').on('tasks').columns(['plan_id', 'seq']).execute();
  await db.schema.createIndex('tasks_section_idx').on('tasks').column('section_id').execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('mention', 'text')
    .addUniqueConstraint('assignments_task_org_role_uq', ['task_id', 'org_id', 'role'])
    .execute();
  await db.schema.createIndex('assignments_org_idx').on('assignments').columns(['org_id', 'role']).execute();

  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('span_start', 'integer')
    .addColumn('span_end', 'integer')
    .execute();
  await db.schema.createIndex('deadlines_task_idx').on('deadlines').column('task_id').execute();
  await db.schema.createIndex('deadlines_date_idx').on('deadlines').column('date').execute();

  await db.schema
    .createTable('targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('comparator', 'text', (c) => c.notNull().defaultTo('='))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('max_value', 'double precision')
    .addColumn('baseline', 'double precision')
    .addColumn('jurisdiction_org_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('jurisdiction_label', 'text')
    .addColumn('deadline', 'text')
    .addColumn('parent_target_id', 'text', (c) => c.references('targets.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('span_start', 'integer')
    .addColumn('span_end', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('not_started'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('targets_task_idx').on('targets').column('task_id').execute();
  await db.schema.createIndex('targets_jurisdiction_idx').on('targets').column('jurisdiction_org_id').execute();

  await db.schema
    .createTable('plan_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('filename', 'text')
    .addColumn('title', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('extract_json', 'text', (c) => c.notNull())
    .addColumn('unresolved_json', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.references('plans.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Append-only, hash-chained audit log. `seq` is assigned by the app under a lock on
  // audit_head (one row), which also serialises the chain on PostgreSQL: two concurrent
  // transactions can never both link to the same previous hash.
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    /** The task an event belongs to (the task itself, or its target/assignment/deadline): task history. */
    .addColumn('task_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_entity_idx').on('audit_events').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_task_idx').on('audit_events').column('task_id').execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, last_seq, last_hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_head',
    'audit_events',
    'plan_imports',
    'targets',
    'deadlines',
    'assignments',
    'tasks',
    'sections',
    'plans',
    'sessions',
    'users',
    'organisation_members',
    'organisations',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
