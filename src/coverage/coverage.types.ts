/**
 * The shared types of the coverage library (服务半径覆盖率).
 *
 * Every layer the library holds is in ONE declared datum, {@link CANONICAL_DATUM} (WGS-84; see
 * docs/decisions/0004-coverage-datum.md). Input in GCJ-02 or BD-09 is converted once, at the
 * boundary, by `datum.convert.ts`. Point layers are structure-of-arrays (Float64Array columns) so
 * a million demand points cost 16 MB, not a million objects.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** The datums a caller may hand in: WGS-84 (GPS, OSM, 天地图/CGCS2000), GCJ-02 (高德, 腾讯), BD-09 (百度). */
export type Datum = 'WGS84' | 'GCJ02' | 'BD09';

/** The one datum every layer inside the library is stored in. */
export const CANONICAL_DATUM = 'WGS84' as const;

/** [longitude, latitude] in degrees. */
export type LngLat = readonly [number, number];

/**
 * A layer of points in the canonical datum: demand points (需求点, `weight` = residents) or
 * facilities (设施图层, `radius` = each facility's own service radius in metres, e.g. by road class).
 */
export interface PointLayer {
  readonly datum: typeof CANONICAL_DATUM;
  readonly lng: Float64Array;
  readonly lat: Float64Array;
  /** Population or another weight per point; absent = every point weighs 1. */
  readonly weight?: Float64Array;
  /** Service radius in metres per point (facility layers); absent = the radius the query gives. */
  readonly radius?: Float64Array;
  /** Optional stable ids, same order. */
  readonly ids?: readonly string[];
}

/** Properties every boundary polygon carries: a name (e.g. 淇滨区). */
export interface BoundaryProperties {
  name: string;
  [key: string]: unknown;
}

/** A polygon (or multipolygon) feature in the canonical datum. */
export type AreaFeature<P = BoundaryProperties> = Feature<Polygon | MultiPolygon, P>;

/** A polygon layer (boundaries, parks, built-up areas) in the canonical datum. */
export interface PolygonLayer<P = BoundaryProperties> {
  readonly datum: typeof CANONICAL_DATUM;
  readonly features: readonly AreaFeature<P>[];
}

/** GeoJSON FeatureCollection of polygons, as read from a file (any datum; declare it on conversion). */
export type AreaCollection<P = BoundaryProperties> = FeatureCollection<Polygon | MultiPolygon, P>;
