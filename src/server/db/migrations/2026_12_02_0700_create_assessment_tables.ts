import type { Kysely } from 'kysely';

// Assessment (考核, issue 15), owned by modules/assessment. A scheme row is one version of a
// scheme (family_id groups the versions); it freezes when an assessment uses it. An assessment
// keeps the frozen record it was computed from (record_json) and its result (result_json), so a
// final one never depends on live rows. Lines and units are the result in rows, for queries.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assessment_schemes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scheme_json', 'text', (c) => c.notNull())
    .addColumn('frozen', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessment_schemes_family_revision_uq', ['family_id', 'revision'])
    .execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scheme_id', 'text', (c) => c.notNull().references('assessment_schemes.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('range_start', 'text', (c) => c.notNull())
    .addColumn('range_end', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('objection_days', 'integer', (c) => c.notNull())
    .addColumn('objection_until', 'text')
    .addColumn('published_at', 'text')
    .addColumn('finalised_at', 'text')
    .addColumn('reissue_of', 'text')
    .addColumn('record_json', 'text', (c) => c.notNull())
    .addColumn('record_sha256', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessments_plan_idx').on('assessments').columns(['plan_id', 'range_end']).execute();

  await db.schema
    .createTable('assessment_units')
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('subtotal', 'double precision', (c) => c.notNull())
    .addColumn('multiplier', 'double precision', (c) => c.notNull())
    .addColumn('total', 'double precision', (c) => c.notNull())
    .addColumn('tier_id', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('vetoes_json', 'text', (c) => c.notNull())
    .addColumn('categories_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_units_pk', ['assessment_id', 'org_id'])
    .execute();

  await db.schema
    .createTable('assessment_lines')
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('computed', 'double precision', (c) => c.notNull())
    .addColumn('adjustment', 'double precision', (c) => c.notNull())
    .addColumn('points', 'double precision', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_lines_pk', ['assessment_id', 'org_id', 'rule_id'])
    .execute();

  // 自评, 核查 adjustments (with manual scores and manual vetoes), 异议 and their answers.
  await db.schema
    .createTable('assessment_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessment_notes_idx').on('assessment_notes').columns(['assessment_id', 'org_id']).execute();

  await db.schema
    .createTable('assessment_adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('delta', 'double precision', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessment_adjustments_idx').on('assessment_adjustments').columns(['assessment_id', 'org_id']).execute();

  await db.schema
    .createTable('assessment_objections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('filed_by', 'text')
    .addColumn('filed_at', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('outcome', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema.createIndex('assessment_objections_idx').on('assessment_objections').columns(['assessment_id', 'org_id']).execute();

  await db.schema
    .createTable('assessment_consequences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // 通报: numbered per year (〔2018〕N号); the content is frozen when issued.
  await db.schema
    .createTable('bulletins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content_json', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text')
    .addColumn('issued_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bulletins_year_serial_uq', ['year', 'serial'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'bulletins',
    'assessment_consequences',
    'assessment_objections',
    'assessment_adjustments',
    'assessment_notes',
    'assessment_lines',
    'assessment_units',
    'assessments',
    'assessment_schemes',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
