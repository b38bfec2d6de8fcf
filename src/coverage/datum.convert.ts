/**
 * Datum conversion at the library's boundary (WGS-84 ↔ GCJ-02 ↔ BD-09) with gcoord.
 *
 * The library stores WGS-84 only ({@link CANONICAL_DATUM}); callers convert what they hand in with
 * these functions and convert results back for display on a GCJ-02 or BD-09 map. GCJ-02 → WGS-84
 * has no closed form: gcoord iterates to 1e-6° (≈ 0.1 m), far below the radii compared here.
 * Outside China gcoord leaves coordinates unchanged (GCJ-02 only offsets points inside China).
 */
import gcoord from 'gcoord';
import {
  type AreaCollection,
  type AreaFeature,
  CANONICAL_DATUM,
  type Datum,
  type LngLat,
  type PointLayer,
  type PolygonLayer,
} from './coverage.types.ts';

const CRS = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

/** Converts one [lng, lat] between datums. Returns a new pair; identity when `from === to`. */
export function convertLngLat(point: LngLat, from: Datum, to: Datum): [number, number] {
  if (from === to) return [point[0], point[1]];
  const out = gcoord.transform([point[0], point[1]] as [number, number], CRS[from], CRS[to]);
  return [out[0], out[1]];
}

/** Converts a [lng, lat] given in `from` into the canonical WGS-84. */
export function toCanonical(point: LngLat, from: Datum): [number, number] {
  return convertLngLat(point, from, CANONICAL_DATUM);
}

/** Converts a canonical WGS-84 [lng, lat] into `to` (e.g. GCJ-02 for 高德 display). */
export function fromCanonical(point: LngLat, to: Datum): [number, number] {
  return convertLngLat(point, CANONICAL_DATUM, to);
}

/** An input point: [lng, lat] in the caller's datum, with an optional weight, radius and id. */
export interface PointInput {
  lng: number;
  lat: number;
  weight?: number;
  radius?: number;
  id?: string;
}

/**
 * Builds a canonical {@link PointLayer} from points given in `datum`. Weight, radius and id columns
 * are kept when every point carries them (a column is all-or-nothing so indices stay aligned);
 * a point with a non-finite coordinate throws, because a silent NaN would never be covered.
 */
export function pointLayerFrom(points: readonly PointInput[], datum: Datum): PointLayer {
  const n = points.length;
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  const hasWeight = n > 0 && points.every((p) => p.weight !== undefined);
  const hasRadius = n > 0 && points.every((p) => p.radius !== undefined);
  const hasIds = n > 0 && points.every((p) => p.id !== undefined);
  const weight = hasWeight ? new Float64Array(n) : undefined;
  const radius = hasRadius ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (!Number.isFinite(p.lng) || !Number.isFinite(p.lat) || Math.abs(p.lat) > 90 || Math.abs(p.lng) > 180) {
      throw new RangeError(`point ${i}: invalid coordinate (${p.lng}, ${p.lat})`);
    }
    const [x, y] = toCanonical([p.lng, p.lat], datum);
    lng[i] = x;
    lat[i] = y;
    if (weight) weight[i] = p.weight!;
    if (radius) radius[i] = p.radius!;
  }
  return {
    datum: CANONICAL_DATUM,
    lng,
    lat,
    ...(weight ? { weight } : {}),
    ...(radius ? { radius } : {}),
    ...(hasIds ? { ids: points.map((p) => p.id!) } : {}),
  };
}

/** Converts every ring of a polygon feature from `datum` into WGS-84 (a deep copy). */
export function polygonFeatureToCanonical<P>(feature: AreaFeature<P>, datum: Datum): AreaFeature<P> {
  const ring = (r: number[][]) => r.map((c) => toCanonical([c[0], c[1]], datum));
  const g = feature.geometry;
  const geometry =
    g.type === 'Polygon'
      ? { type: 'Polygon' as const, coordinates: g.coordinates.map(ring) }
      : { type: 'MultiPolygon' as const, coordinates: g.coordinates.map((poly) => poly.map(ring)) };
  return { ...feature, geometry };
}

/** Builds a canonical {@link PolygonLayer} from a GeoJSON FeatureCollection given in `datum`. */
export function polygonLayerFrom<P>(collection: AreaCollection<P>, datum: Datum): PolygonLayer<P> {
  return { datum: CANONICAL_DATUM, features: collection.features.map((f) => polygonFeatureToCanonical(f, datum)) };
}
