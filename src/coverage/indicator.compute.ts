/**
 * The pure computation of a coverage indicator per district: facilities of the indicator's types
 * (radius by rule, by road class for toilets) against its demand layer, within each district's
 * boundary (建成区 or the whole district), all three methods side by side, the indicator's method
 * compared with its plan target.
 */
import { locateInAreas } from './area-locator.ts';
import { type CoverageResult, compareCoverageMethods, coveredMask } from './coverage.compute.ts';
import { type AreaFeature, CANONICAL_DATUM, type PointLayer, type PolygonLayer } from './coverage.types.ts';
import type { CoverageIndicator, FacilityType, RadiusRule, RoadClass } from './indicator.types.ts';

/** One facility layer of a type; `roadClass` (same order as the points) where the radius depends on it. */
export interface FacilityLayer {
  type: FacilityType;
  points: PointLayer;
  roadClass?: readonly RoadClass[];
}

/** Everything an indicator is computed from, in the canonical datum. */
export interface CoverageLayerSet {
  /** Demand layers by id (e.g. 'population'), weights = residents. */
  demand: Record<string, PointLayer>;
  facilities: readonly FacilityLayer[];
  /** District polygons, property `name`. */
  districts: PolygonLayer;
  /** Built-up areas (建成区), property `name` = the district they belong to. */
  builtUpAreas: PolygonLayer;
}

/** An indicator's value in one district. */
export interface DistrictIndicatorResult {
  district: string;
  /** The three methods: buffer area, point count, population (in that order). */
  results: CoverageResult[];
  /** The ratio of the indicator's method. */
  value: number;
  meetsTarget: boolean;
  /** Demand weight (residents) not covered inside the boundary. */
  uncoveredWeight: number;
}

/** An indicator's value per district and for all districts together. */
export interface IndicatorResult {
  indicatorId: string;
  name: string;
  target: CoverageIndicator['target'];
  districts: DistrictIndicatorResult[];
  /** Totals over all districts (sums of covered and total amounts per method). */
  overall: DistrictIndicatorResult;
}

/** Resolves a radius rule for one facility. Throws when a road-class rule meets a facility without one. */
export function radiusFor(rule: RadiusRule, roadClass: RoadClass | undefined): number {
  if ('metres' in rule) return rule.metres;
  if (roadClass === undefined) throw new RangeError('this indicator sets the radius by road class, and a facility has none');
  return rule.byRoadClass[roadClass];
}

/** The indicator's facilities as one layer with a radius column. */
export function facilitiesFor(indicator: CoverageIndicator, layers: CoverageLayerSet): PointLayer {
  const chosen = layers.facilities.filter((f) => indicator.facilityTypes.includes(f.type));
  const n = chosen.reduce((s, f) => s + f.points.lng.length, 0);
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  const radius = new Float64Array(n);
  let at = 0;
  for (const f of chosen) {
    for (let i = 0; i < f.points.lng.length; i++, at++) {
      lng[at] = f.points.lng[i];
      lat[at] = f.points.lat[i];
      radius[at] = radiusFor(indicator.radius, f.roadClass?.[i]);
    }
  }
  return { datum: CANONICAL_DATUM, lng, lat, radius };
}

/**
 * Computes `indicator` for every district of `layers` (boundary: the district's built-up area or
 * the district itself). A district without a built-up area polygon is reported with NaN ratios.
 */
export function computeIndicator(
  indicator: CoverageIndicator,
  layers: CoverageLayerSet,
  options: { cellSize?: number } = {},
): IndicatorResult {
  const demand = layers.demand[indicator.demandLayer];
  if (!demand) throw new RangeError(`no demand layer "${indicator.demandLayer}"`);
  const facilities = facilitiesFor(indicator, layers);
  const covered = coveredMask(demand, facilities);
  const boundaries: (AreaFeature | null)[] = layers.districts.features.map((d) =>
    indicator.boundary === 'district' ? d : (layers.builtUpAreas.features.find((b) => b.properties.name === d.properties.name) ?? null),
  );
  const present = boundaries.filter((b): b is AreaFeature => b !== null);
  const where = locateInAreas(demand, present);
  const districts: DistrictIndicatorResult[] = [];
  let k = 0;
  boundaries.forEach((boundary, d) => {
    const name = layers.districts.features[d].properties.name;
    if (!boundary) {
      districts.push({ district: name, results: [], value: Number.NaN, meetsTarget: false, uncoveredWeight: Number.NaN });
      return;
    }
    const area = k++;
    const inBoundary = new Uint8Array(where.length);
    for (let i = 0; i < where.length; i++) inBoundary[i] = where[i] === area ? 1 : 0;
    const results = compareCoverageMethods({ demand, facilities, boundary, inBoundary, covered, cellSize: options.cellSize });
    districts.push(summarise(name, results, indicator));
  });
  const withResults = districts.filter((d) => d.results.length > 0);
  const overall = withResults.length
    ? withResults[0].results.map((_, m) => {
        const covered = withResults.reduce((s, d) => s + d.results[m].covered, 0);
        const total = withResults.reduce((s, d) => s + d.results[m].total, 0);
        return { ...withResults[0].results[m], covered, total, ratio: total > 0 ? covered / total : Number.NaN, errorBound: undefined };
      })
    : [];
  return {
    indicatorId: indicator.id,
    name: indicator.name,
    target: indicator.target,
    districts,
    overall: overall.length
      ? summarise('全市', overall, indicator)
      : { district: '全市', results: [], value: Number.NaN, meetsTarget: false, uncoveredWeight: Number.NaN },
  };
}

function summarise(district: string, results: CoverageResult[], indicator: CoverageIndicator): DistrictIndicatorResult {
  const chosen = results.find((r) => r.method === indicator.method)!;
  const population = results.find((r) => r.method === 'population')!;
  const value = chosen.ratio;
  const meetsTarget = indicator.target.comparator === '>=' ? value >= indicator.target.ratio - 1e-12 : value > indicator.target.ratio;
  return { district, results, value, meetsTarget, uncoveredWeight: population.total - population.covered };
}
