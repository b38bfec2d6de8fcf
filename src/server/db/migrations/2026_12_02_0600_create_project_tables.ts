import type { Kysely } from 'kysely';

// The project library (项目库, issue 14), owned by modules/projects. Money is integer 元 in bigint
// columns (a county's sums pass 2^31 元 = 21亿元); never a float. Locations are GCJ-02 degrees
// (ADR 0007). The two office lists (categories, funding sources) are rows, seeded here with the
// national defaults so an installation starts usable and the office edits them afterwards.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('project_categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('project_funding_sources')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category_code', 'text', (c) => c.notNull().references('project_categories.code'))
    .addColumn('owner_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('nature', 'text', (c) => c.notNull())
    .addColumn('scale', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('total_investment', 'bigint', (c) => c.notNull())
    .addColumn('plan_year', 'integer', (c) => c.notNull())
    .addColumn('annual_plan', 'bigint', (c) => c.notNull())
    .addColumn('prep', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('return_reason', 'text')
    .addColumn('completed_on', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_org_status_idx').on('projects').columns(['org_id', 'status']).execute();
  await db.schema.createIndex('projects_year_idx').on('projects').columns(['plan_year', 'category_code']).execute();

  await db.schema
    .createTable('project_funding')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('source_code', 'text', (c) => c.notNull().references('project_funding_sources.code'))
    .addColumn('planned', 'bigint', (c) => c.notNull())
    .addColumn('arrived', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addUniqueConstraint('project_funding_source_uq', ['project_id', 'source_code'])
    .execute();

  await db.schema
    .createTable('project_transitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_transitions_project_idx').on('project_transitions').columns(['project_id', 'created_at']).execute();

  await db.schema
    .createTable('project_task_links')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('project_task_links_pk', ['project_id', 'task_id'])
    .execute();
  await db.schema.createIndex('project_task_links_task_idx').on('project_task_links').column('task_id').execute();

  await db.schema
    .createTable('project_target_links')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
    // A quantity in the target's unit (3 座, 2.5 公里), not money.
    .addColumn('contribution', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_target_links_pk', ['project_id', 'target_id'])
    .execute();
  await db.schema.createIndex('project_target_links_target_idx').on('project_target_links').column('target_id').execute();

  // Whether a target counts its projects once completed (default) or once started.
  await db.schema
    .createTable('project_target_rules')
    .addColumn('target_id', 'text', (c) => c.primaryKey().references('targets.id').onDelete('cascade'))
    .addColumn('counts', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('project_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('period_id', 'text', (c) => c.notNull().references('reporting_periods.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('investment', 'bigint', (c) => c.notNull())
    .addColumn('progress_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('progress_pct', 'integer', (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('project_reports_period_uq', ['project_id', 'period_id'])
    .execute();
  await db.schema.createIndex('project_reports_period_idx').on('project_reports').columns(['period_id', 'status']).execute();

  await db.schema
    .createTable('project_change_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('patch', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_note', 'text')
    .addColumn('requested_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('project_change_requests_project_idx')
    .on('project_change_requests')
    .columns(['project_id', 'status'])
    .execute();

  const categories = [
    ['road', '道路'],
    ['utility_tunnel', '管廊'],
    ['public_toilet', '公厕'],
    ['back_street', '背街小巷'],
    ['school', '学校'],
    ['park', '公园游园'],
    ['old_community', '老旧小区'],
    ['water_supply', '供水'],
    ['heating', '供热'],
    ['drainage', '排水防涝'],
    ['other', '其他'],
  ];
  await db
    .insertInto('project_categories')
    .values(categories.map(([code, name], i) => ({ code, name, seq: i + 1 })))
    .execute();
  const sources = [
    ['central', '中央财政'],
    ['provincial', '省级财政'],
    ['municipal', '市级财政'],
    ['county', '县级财政'],
    ['special_bond', '专项债券'],
    ['policy_finance', '政策性金融'],
    ['social', 'PPP/社会资本'],
    ['other', '其他'],
  ];
  await db
    .insertInto('project_funding_sources')
    .values(sources.map(([code, name], i) => ({ code, name, seq: i + 1 })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'project_change_requests',
    'project_reports',
    'project_target_rules',
    'project_target_links',
    'project_task_links',
    'project_transitions',
    'project_funding',
    'projects',
    'project_funding_sources',
    'project_categories',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
