/** The coverage module's tables; merged into db/database.types.ts `Database`. */
export interface CoverageTables {
  coverage_layers: CoverageLayersTable;
  coverage_features: CoverageFeaturesTable;
  coverage_standards: CoverageStandardsTable;
  coverage_analyses: CoverageAnalysesTable;
  coverage_values: CoverageValuesTable;
  coverage_target_links: CoverageTargetLinksTable;
}

export interface CoverageLayersTable {
  id: string;
  name: string;
  /** facility | demand */
  role: string;
  kind: string;
  /** The datum the file was declared in (WGS84 | GCJ02 | BD09); points are stored in WGS-84. */
  declared_datum: string;
  /** geojson | csv | xlsx */
  format: string;
  filename: string;
  feature_count: number;
  total_weight: number;
  as_of: string;
  created_by: string | null;
  created_at: string;
}

export interface CoverageFeaturesTable {
  layer_id: string;
  seq: number;
  name: string | null;
  lng: number;
  lat: number;
  weight: number | null;
  road_class: string | null;
}

export interface CoverageStandardsTable {
  id: string;
  name: string;
  facility_kind: string;
  radius_m: number;
  radius_by_road_class_json: string | null;
  method: string;
  target_ratio: number;
  note: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CoverageAnalysesTable {
  id: string;
  standard_id: string;
  facility_layer_id: string;
  demand_layer_id: string;
  standard_json: string;
  demand_outside: number;
  created_by: string | null;
  created_at: string;
}

export interface CoverageValuesTable {
  analysis_id: string;
  /** '' = all districts together. */
  district: string;
  method: string;
  covered: number;
  total: number;
  ratio: number | null;
  error_bound: number | null;
  uncovered_weight: number;
}

export interface CoverageTargetLinksTable {
  target_id: string;
  standard_id: string;
  method: string;
  district: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
