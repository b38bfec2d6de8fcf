/**
 * Service-radius coverage (服务半径覆盖) over the API: facility and demand layers, coverage
 * standards, analysis runs (the three methods side by side per district), site suggestions and
 * plan targets fed by a coverage indicator. Coordinates are WGS-84 (docs/decisions/0004-coverage-datum.md).
 */
import { z } from 'zod';
import { CalendarDate, Id, IsoDateTime, Name, Text, Version } from './common.schema.ts';

/** The datums an import may declare: WGS-84 (GPS, 天地图), GCJ-02 (高德, 腾讯), BD-09 (百度). */
export const DATUMS = ['WGS84', 'GCJ02', 'BD09'] as const;
export const Datum = z.enum(DATUMS);
export type Datum = z.infer<typeof Datum>;

/** A facility layer (设施图层) or a demand layer (需求图层: residents or grid cells with population). */
export const LAYER_ROLES = ['facility', 'demand'] as const;
export const LayerRole = z.enum(LAYER_ROLES);
export type LayerRole = z.infer<typeof LayerRole>;

/** The three methods, in the order they are always shown. */
export const COVERAGE_METHODS = ['buffer_area', 'point_count', 'population'] as const;
export const CoverageMethod = z.enum(COVERAGE_METHODS);
export type CoverageMethod = z.infer<typeof CoverageMethod>;

/** Road classes that set a toilet's radius (a facility's `roadClass`). */
export const ROAD_CLASSES = ['main_street', 'ordinary_road', 'riverside_park'] as const;
export const RoadClass = z.enum(ROAD_CLASSES);
export type RoadClass = z.infer<typeof RoadClass>;

export const LAYER_FORMATS = ['geojson', 'csv', 'xlsx'] as const;
export const LayerFormat = z.enum(LAYER_FORMATS);

/** The kind of a layer as the office names it: 公厕, 公交站点, 小学, 初中, 公园, 居住人口… */
export const LayerKind = z.string().trim().min(1).max(50);

export const CoverageLayer = z.object({
  id: Id,
  name: z.string(),
  role: LayerRole,
  kind: z.string(),
  /** The datum the file was declared in on import; the points are stored converted to WGS-84. */
  declaredDatum: Datum,
  format: LayerFormat,
  filename: z.string(),
  featureCount: z.number().int(),
  /** Sum of the population column (demand layers); the feature count when there is none. */
  totalWeight: z.number(),
  /** The date the layer describes (layers are versioned by date; a new import is a new layer). */
  asOf: CalendarDate,
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
});
export type CoverageLayer = z.infer<typeof CoverageLayer>;
export const CoverageLayerList = z.object({ items: z.array(CoverageLayer) });

/** One point of a layer, WGS-84. */
export const LayerFeature = z.object({
  name: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  weight: z.number().nullable(),
  roadClass: RoadClass.nullable(),
});
export const LayerFeatureList = z.object({ layer: CoverageLayer, items: z.array(LayerFeature) });

export const LayerImportQuery = z.object({
  name: Name,
  role: LayerRole,
  kind: LayerKind,
  /** The datum the file's coordinates are in (declared by the importer). */
  datum: Datum,
  asOf: CalendarDate.optional(),
  /** 1 (default): check every row and report; 0: save, only when no row has a problem. */
  dryRun: z.enum(['0', '1']).default('1'),
});

/** A row-level problem of an import: the row (as numbered in the file) and the column. */
export const LayerImportProblem = z.object({
  /** CSV line / sheet row (the header is row 1); GeoJSON: the feature's number, from 1. */
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type LayerImportProblem = z.infer<typeof LayerImportProblem>;

export const LayerImportResult = z.object({
  dryRun: z.boolean(),
  format: LayerFormat,
  featureCount: z.number().int(),
  problemCount: z.number().int(),
  /** The first 200 problems. */
  problems: z.array(LayerImportProblem),
  /** The saved layer (null on a dry run). */
  layer: CoverageLayer.nullable(),
});
export type LayerImportResult = z.infer<typeof LayerImportResult>;

/** Radii per road class; a facility without a road class takes the standard's `radiusM`. */
export const RadiusByRoadClass = z.object({
  main_street: z.number().positive().max(20_000),
  ordinary_road: z.number().positive().max(20_000),
  riverside_park: z.number().positive().max(20_000),
});

export const CoverageStandard = z.object({
  id: Id,
  name: z.string(),
  /** The facility kind it applies to (matches a facility layer's kind). */
  facilityKind: z.string(),
  radiusM: z.number(),
  radiusByRoadClass: RadiusByRoadClass.nullable(),
  /** The headline method (the one compared with the target ratio and fed to plan targets). */
  method: CoverageMethod,
  /** 0–1 (全覆盖 = 1). */
  targetRatio: z.number(),
  note: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type CoverageStandard = z.infer<typeof CoverageStandard>;
export const CoverageStandardList = z.object({ items: z.array(CoverageStandard) });

export const CreateStandardBody = z.object({
  name: Name,
  facilityKind: LayerKind,
  radiusM: z.number().positive().max(20_000),
  radiusByRoadClass: RadiusByRoadClass.nullable().default(null),
  method: CoverageMethod.default('population'),
  targetRatio: z.number().min(0).max(1).default(1),
  note: Text.default(''),
});
export const UpdateStandardBody = CreateStandardBody.partial().extend({ version: Version });

export const RunAnalysisBody = z.object({
  standardId: Id,
  facilityLayerId: Id,
  demandLayerId: Id,
});

/** One method's result in one district. ratio null when the total is 0. */
export const MethodResult = z.object({
  method: CoverageMethod,
  covered: z.number(),
  total: z.number(),
  ratio: z.number().nullable(),
  /** Buffer area by raster: the worst-case absolute error of the ratio. */
  errorBound: z.number().nullable(),
});
export const DistrictResult = z.object({
  district: z.string(),
  methods: z.array(MethodResult),
  /** Residents (demand weight) not covered in the district. */
  uncoveredWeight: z.number(),
  meetsTarget: z.boolean(),
});
export type DistrictResult = z.infer<typeof DistrictResult>;

export const CoverageAnalysis = z.object({
  id: Id,
  standard: CoverageStandard,
  facilityLayer: CoverageLayer,
  demandLayer: CoverageLayer,
  districts: z.array(DistrictResult),
  /** All districts together (sums of covered and total). */
  overall: DistrictResult,
  /** Demand points outside every district boundary (not counted). */
  demandOutside: z.number().int(),
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
});
export type CoverageAnalysis = z.infer<typeof CoverageAnalysis>;
export const CoverageAnalysisSummary = z.object({
  id: Id,
  standardName: z.string(),
  facilityLayerName: z.string(),
  demandLayerName: z.string(),
  method: CoverageMethod,
  overallRatio: z.number().nullable(),
  createdAt: IsoDateTime,
});
export const CoverageAnalysisList = z.object({ items: z.array(CoverageAnalysisSummary) });

/** A district outline (WGS-84 GeoJSON geometry). */
export const DistrictOutline = z.object({
  name: z.string(),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
});
export const DistrictOutlineList = z.object({ items: z.array(DistrictOutline) });

/** What the gap map draws: facilities with their radius, demand points covered or not. */
export const AnalysisMap = z.object({
  districts: z.array(DistrictOutline),
  /** [lng, lat, radius m] */
  facilities: z.array(z.tuple([z.number(), z.number(), z.number()])),
  /** [lng, lat, weight, covered 1/0] */
  demand: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
  /** H3 resolution of `heat`. */
  heatResolution: z.number().int(),
  /** Uncovered population per H3 cell holding demand (largest first), with the cell's WGS-84 outline. */
  heat: z.array(
    z.object({
      cell: z.string(),
      population: z.number(),
      uncoveredPopulation: z.number(),
      boundary: z.array(z.tuple([z.number(), z.number()])),
    }),
  ),
});
export type AnalysisMap = z.infer<typeof AnalysisMap>;

export const SuggestionBody = z.object({
  /** The district to place new sites in (one of the analysis's districts). */
  district: Name,
  count: z.number().int().min(1).max(30),
  /** Candidate grid spacing, metres. */
  gridSpacing: z.number().min(100).max(5_000).default(250),
});

export const SuggestedSite = z.object({ lng: z.number(), lat: z.number(), gain: z.number() });
export const SuggestionResult = z.object({
  district: z.string(),
  radiusM: z.number(),
  candidateCount: z.number().int(),
  /** Uncovered residents in the district before any new site. */
  uncoveredBefore: z.number(),
  greedy: z.object({
    sites: z.array(SuggestedSite),
    covered: z.number(),
    /** OPT ≤ this (greedy's per-instance bound). */
    upperBound: z.number(),
    /** greedy ≥ factor × OPT, 1 − (1 − 1/N)^N ≥ 1 − 1/e. */
    guaranteeFactor: z.number(),
  }),
  /** The MILP (HiGHS) on the reduced candidate set: the candidates of largest single gain, greedy's picks included. */
  exact: z.object({
    sites: z.array(SuggestedSite),
    covered: z.number(),
    status: z.string(),
    candidateCount: z.number().int(),
    ms: z.number(),
  }),
  greedyMs: z.number(),
});
export type SuggestionResult = z.infer<typeof SuggestionResult>;

/** Suggested sites the office turns into draft projects (转为项目储备), WGS-84. */
export const AcceptSitesBody = z.object({
  sites: z
    .array(
      z.object({
        /** The site's number in the suggestion (选址建议N), for the project's name. */
        seq: z.number().int().min(1).max(100),
        lng: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
      }),
    )
    .min(1)
    .max(30),
});
export const AcceptSitesResult = z.object({
  items: z.array(z.object({ projectId: z.string(), name: z.string(), orgId: z.string(), district: z.string() })),
});
export type AcceptSitesResult = z.infer<typeof AcceptSitesResult>;

export const TargetLinkBody = z.object({
  standardId: Id,
  method: CoverageMethod.optional(),
  /** The district whose value feeds the target; null = all districts together. */
  district: Name.nullable().default(null),
});

export const TargetCoverageValue = z.object({
  targetId: Id,
  /** The plan target as the plan words it. */
  target: z.object({ taskId: Id, metric: z.string(), value: z.number(), unit: z.string(), jurisdictionLabel: z.string().nullable() }),
  standardId: Id,
  standardName: z.string(),
  method: CoverageMethod,
  district: z.string().nullable(),
  version: z.number().int(),
  /** The latest analysis of the standard: null until one has run. */
  latest: z
    .object({
      analysisId: Id,
      ratio: z.number().nullable(),
      /** ratio × 100, rounded to 0.1. */
      percent: z.number().nullable(),
      computedAt: IsoDateTime,
      facilityLayerName: z.string(),
      demandLayerName: z.string(),
    })
    .nullable(),
});
export type TargetCoverageValue = z.infer<typeof TargetCoverageValue>;

/** A coverage-fed target's value frozen with each closed reporting period of its plan. */
export const TargetPeriodValue = z.object({
  periodId: Id,
  label: z.string(),
  end: z.string(),
  closedAt: z.string(),
  method: z.enum(COVERAGE_METHODS),
  /** The latest analysis run at or before the period closed; null = none had been run yet. */
  value: z.object({ analysisId: Id, ratio: z.number().nullable(), percent: z.number().nullable(), computedAt: z.string() }).nullable(),
});
export const TargetPeriodValueList = z.object({ items: z.array(TargetPeriodValue) });
export type TargetPeriodValue = z.infer<typeof TargetPeriodValue>;
export const TargetCoverageList = z.object({ items: z.array(TargetCoverageValue) });
