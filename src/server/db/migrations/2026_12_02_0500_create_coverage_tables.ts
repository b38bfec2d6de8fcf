import type { Kysely } from 'kysely';

// Service-radius coverage (issue 17), owned by the coverage module. Layers are immutable once
// imported (a new file is a new layer with its own date), so an analysis names exactly the inputs
// it was computed from. Coordinates are WGS-84 in double precision (ADR 0004): PostgreSQL's `real`
// would round them to ~1 m.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('coverage_layers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('declared_datum', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('feature_count', 'integer', (c) => c.notNull())
    .addColumn('total_weight', 'double precision', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('coverage_features')
    .addColumn('layer_id', 'text', (c) => c.notNull().references('coverage_layers.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('weight', 'double precision')
    .addColumn('road_class', 'text')
    .addPrimaryKeyConstraint('coverage_features_pk', ['layer_id', 'seq'])
    .execute();

  await db.schema
    .createTable('coverage_standards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('facility_kind', 'text', (c) => c.notNull())
    .addColumn('radius_m', 'double precision', (c) => c.notNull())
    .addColumn('radius_by_road_class_json', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('target_ratio', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('coverage_analyses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('standard_id', 'text', (c) => c.notNull().references('coverage_standards.id'))
    .addColumn('facility_layer_id', 'text', (c) => c.notNull().references('coverage_layers.id'))
    .addColumn('demand_layer_id', 'text', (c) => c.notNull().references('coverage_layers.id'))
    // The standard as it was when run (radii, method, target): editing it later does not rewrite history.
    .addColumn('standard_json', 'text', (c) => c.notNull())
    .addColumn('demand_outside', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('coverage_analyses_standard_idx').on('coverage_analyses').columns(['standard_id', 'created_at']).execute();

  // The indicator's values: one row per (analysis, district, method); district '' = all together.
  await db.schema
    .createTable('coverage_values')
    .addColumn('analysis_id', 'text', (c) => c.notNull().references('coverage_analyses.id'))
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('covered', 'double precision', (c) => c.notNull())
    .addColumn('total', 'double precision', (c) => c.notNull())
    .addColumn('ratio', 'double precision')
    .addColumn('error_bound', 'double precision')
    .addColumn('uncovered_weight', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('coverage_values_pk', ['analysis_id', 'district', 'method'])
    .execute();

  // A plan target fed by a coverage indicator (one standard per target).
  await db.schema
    .createTable('coverage_target_links')
    .addColumn('target_id', 'text', (c) => c.primaryKey().references('targets.id').onDelete('cascade'))
    .addColumn('standard_id', 'text', (c) => c.notNull().references('coverage_standards.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('district', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'coverage_target_links',
    'coverage_values',
    'coverage_analyses',
    'coverage_standards',
    'coverage_features',
    'coverage_layers',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
