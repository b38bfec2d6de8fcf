/**
 * Coverage (覆盖率) three ways, side by side and labelled:
 *
 * - **buffer area** (缓冲区面积法): the union of service circles clipped to a boundary, divided by the
 *   boundary's area — what planners compute, and known to overstate (a circle over a river, a
 *   field or an empty lot counts as "covered");
 * - **point count** (需求点计数法): the share of demand points within reach of a facility;
 * - **population** (人口加权法): the share of residents (demand weights) within reach.
 *
 * Distances: the local projection of `geo-distance.ts` (< 0.01 % off the ellipsoid here).
 */
import turfArea from '@turf/area';
import turfCircle from '@turf/circle';
import { featureCollection } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import turfUnion from '@turf/union';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaFeature, PointLayer } from './coverage.types.ts';
import { LocalProjection } from './geo-distance.ts';
import { FacilityIndex, RADIUS_TOLERANCE } from './spatial-index.ts';

/** The three coverage methods. */
export type CoverageMethod = 'buffer_area' | 'point_count' | 'population';

/** Chinese and English labels of each method; the buffer method says that it overstates. */
export const COVERAGE_METHOD_LABELS: Record<CoverageMethod, { zh: string; en: string }> = {
  buffer_area: {
    zh: '缓冲区面积法（服务半径圆并集÷区域面积，会高估覆盖）',
    en: 'buffer area (union of service circles ÷ area; overstates coverage)',
  },
  point_count: { zh: '需求点计数法（服务半径内的需求点占比）', en: 'demand-point count (share of demand points within reach)' },
  population: { zh: '人口加权法（服务半径内的人口占比）', en: 'population-weighted (share of residents within reach)' },
};

/** One method's result: ratio = covered / total (NaN when total is 0). */
export interface CoverageResult {
  method: CoverageMethod;
  label: { zh: string; en: string };
  /** Covered amount: m² (buffer), points (count) or residents (population). */
  covered: number;
  total: number;
  ratio: number;
  /** Buffer area by raster only: the worst-case error of `ratio` (absolute, 0–1). */
  errorBound?: number;
  /** How the buffer area was computed. */
  algorithm?: 'polygon_union' | 'raster';
}

/** Radius options shared by the coverage functions: one radius, or the facility layer's column. */
export interface RadiusOption {
  /** Service radius in metres for every facility (ignored where the layer has a `radius` column). */
  radius?: number;
}

/** Covered flags (1/0) per demand point: some facility's service radius reaches it. */
export function coveredMask(demand: PointLayer, facilities: PointLayer, options: RadiusOption = {}): Uint8Array {
  return new FacilityIndex(facilities, { radius: options.radius }).coverAll(demand);
}

/**
 * The O(n·m) reference: every demand point against every facility, same metric and tolerance as
 * the index. `indices` restricts it to a sample of demand points (the result has one flag per index).
 * `metric: 'ellipsoid'` uses Vincenty instead of the projection (slow; for accuracy tests).
 */
export function bruteForceCovered(
  demand: PointLayer,
  facilities: PointLayer,
  options: RadiusOption & {
    indices?: ArrayLike<number>;
    projection?: LocalProjection;
    metric?: 'projection' | 'ellipsoid';
    distance?: (lng1: number, lat1: number, lng2: number, lat2: number) => number;
  } = {},
): Uint8Array {
  const p = options.projection ?? LocalProjection.around(facilities.lng, facilities.lat);
  const m = facilities.lng.length;
  const radius = new Float64Array(m);
  for (let j = 0; j < m; j++) radius[j] = (facilities.radius ? facilities.radius[j] : options.radius!) * (1 + RADIUS_TOLERANCE);
  const count = options.indices ? options.indices.length : demand.lng.length;
  const out = new Uint8Array(count);
  const fx = new Float64Array(m);
  const fy = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    fx[j] = p.x(facilities.lng[j]);
    fy[j] = p.y(facilities.lat[j]);
  }
  for (let t = 0; t < count; t++) {
    const i = options.indices ? options.indices[t] : t;
    const lng = demand.lng[i];
    const lat = demand.lat[i];
    if (options.distance) {
      for (let j = 0; j < m; j++) {
        if (options.distance(lng, lat, facilities.lng[j], facilities.lat[j]) <= radius[j]) {
          out[t] = 1;
          break;
        }
      }
      continue;
    }
    const qx = p.x(lng);
    const qy = p.y(lat);
    const s = p.xScale(lat);
    for (let j = 0; j < m; j++) {
      const dx = (fx[j] - qx) * s;
      const dy = fy[j] - qy;
      if (dx * dx + dy * dy <= radius[j] * radius[j]) {
        out[t] = 1;
        break;
      }
    }
  }
  return out;
}

/** Share of demand points covered; `inArea` (1/0 per point) restricts it to an area. */
export function pointCountCoverage(covered: Uint8Array, inArea?: ArrayLike<number>): CoverageResult {
  let c = 0;
  let t = 0;
  for (let i = 0; i < covered.length; i++) {
    if (inArea && !inArea[i]) continue;
    t++;
    c += covered[i];
  }
  return result('point_count', c, t);
}

/** Share of population covered (weights of the demand layer; 1 each when it has none). */
export function populationCoverage(covered: Uint8Array, weight: Float64Array | undefined, inArea?: ArrayLike<number>): CoverageResult {
  let c = 0;
  let t = 0;
  for (let i = 0; i < covered.length; i++) {
    if (inArea && !inArea[i]) continue;
    const w = weight ? weight[i] : 1;
    t += w;
    if (covered[i]) c += w;
  }
  return result('population', c, t);
}

function result(method: CoverageMethod, covered: number, total: number, extra: Partial<CoverageResult> = {}): CoverageResult {
  return { method, label: COVERAGE_METHOD_LABELS[method], covered, total, ratio: total > 0 ? covered / total : Number.NaN, ...extra };
}

/** Options of {@link bufferAreaCoverage}. */
export interface BufferAreaOptions extends RadiusOption {
  /**
   * 'polygon_union': turf circles (64 steps) unioned and intersected with the boundary, area by
   * @turf/area — exact up to the 64-gon (−0.16 % of each circle's area) but O(m²)-ish in the
   * union: limited to {@link POLYGON_UNION_LIMIT} facilities near the boundary.
   * 'raster': a grid of `cellSize` metres over the boundary (default 25 m); a cell counts when its
   * centre is inside the boundary and within reach; error bound returned.
   * 'auto' (default): polygon union up to {@link AUTO_POLYGON_UNION_MAX} facilities near the
   * boundary, raster above: the union of 100 circles took ~1 s here (turf's polygon clipping), the
   * raster does 10,000 circles over all of Hebi in well under a second, with its error stated.
   */
  algorithm?: 'auto' | 'polygon_union' | 'raster';
  cellSize?: number;
}

/** The most facilities the polygon-union buffer method accepts (beyond, it takes many seconds). */
export const POLYGON_UNION_LIMIT = 400;

/** Up to this many facilities near the boundary, 'auto' uses the polygon union. */
export const AUTO_POLYGON_UNION_MAX = 25;

/**
 * Buffer-area coverage of `boundary` by the facilities' service circles (the planners' method,
 * which overstates coverage: label it so).
 */
export function bufferAreaCoverage(
  facilities: PointLayer,
  boundary: AreaFeature<unknown>,
  options: BufferAreaOptions = {},
): CoverageResult {
  const radiusOf = (j: number) => (facilities.radius ? facilities.radius[j] : options.radius!);
  for (let j = 0; j < facilities.lng.length; j++) {
    const r = radiusOf(j);
    if (r === undefined || !Number.isFinite(r) || r < 0) throw new RangeError(`facility ${j}: no valid service radius`);
  }
  const near = facilitiesNear(facilities, boundary, radiusOf);
  const algorithm = options.algorithm ?? 'auto';
  const usePolygon = algorithm === 'polygon_union' || (algorithm === 'auto' && near.length <= AUTO_POLYGON_UNION_MAX);
  if (usePolygon) {
    if (near.length > POLYGON_UNION_LIMIT)
      throw new RangeError(
        `polygon union supports at most ${POLYGON_UNION_LIMIT} facilities near the boundary (got ${near.length}); use the raster algorithm`,
      );
    return polygonUnionCoverage(facilities, boundary, near, radiusOf);
  }
  return rasterCoverage(facilities, boundary, near, radiusOf, options.cellSize ?? 25);
}

/** Indices of facilities whose circle can touch the boundary's bounding box. */
function facilitiesNear(facilities: PointLayer, boundary: AreaFeature<unknown>, radiusOf: (j: number) => number): number[] {
  const [minX, minY, maxX, maxY] = bbox(boundary);
  const p = new LocalProjection((minX + maxX) / 2, (minY + maxY) / 2);
  const out: number[] = [];
  for (let j = 0; j < facilities.lng.length; j++) {
    const r = radiusOf(j) * 1.01;
    const dLat = r / p.ky;
    const dLng = r / (p.kx * p.xScale(facilities.lat[j]));
    if (
      facilities.lng[j] + dLng >= minX &&
      facilities.lng[j] - dLng <= maxX &&
      facilities.lat[j] + dLat >= minY &&
      facilities.lat[j] - dLat <= maxY
    )
      out.push(j);
  }
  return out;
}

function rings(boundary: AreaFeature<unknown>): number[][][] {
  return boundary.geometry.type === 'Polygon' ? boundary.geometry.coordinates : boundary.geometry.coordinates.flat();
}

function bbox(boundary: AreaFeature<unknown>): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const ring of rings(boundary)) {
    for (const c of ring) {
      minX = Math.min(minX, c[0]);
      maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1]);
      maxY = Math.max(maxY, c[1]);
    }
  }
  return [minX, minY, maxX, maxY];
}

function polygonUnionCoverage(
  facilities: PointLayer,
  boundary: AreaFeature<unknown>,
  near: number[],
  radiusOf: (j: number) => number,
): CoverageResult {
  const total = turfArea(boundary as Feature<Polygon | MultiPolygon>);
  if (near.length === 0) return result('buffer_area', 0, total, { algorithm: 'polygon_union' });
  const circles = near.map((j) =>
    turfCircle([facilities.lng[j], facilities.lat[j]], radiusOf(j) / 1000, { steps: 64, units: 'kilometers' }),
  );
  // Union in a balanced tree: pairwise merging keeps intermediate polygons small.
  let level: Feature<Polygon | MultiPolygon>[] = circles;
  while (level.length > 1) {
    const next: Feature<Polygon | MultiPolygon>[] = [];
    for (let k = 0; k < level.length; k += 2) {
      if (k + 1 === level.length) next.push(level[k]);
      else next.push(turfUnion(featureCollection([level[k], level[k + 1]])) ?? level[k]);
    }
    level = next;
  }
  const clipped = turfIntersect(featureCollection([level[0], boundary as Feature<Polygon | MultiPolygon>]));
  const covered = clipped ? turfArea(clipped) : 0;
  return result('buffer_area', covered, total, { algorithm: 'polygon_union' });
}

function rasterCoverage(
  facilities: PointLayer,
  boundary: AreaFeature<unknown>,
  near: number[],
  radiusOf: (j: number) => number,
  cellSize: number,
): CoverageResult {
  if (!(cellSize > 0)) throw new RangeError('cellSize must be positive');
  const [minLng, minLat, maxLng, maxLat] = bbox(boundary);
  const p = new LocalProjection((minLng + maxLng) / 2, (minLat + maxLat) / 2);
  const x0 = p.x(minLng);
  const y0 = p.y(minLat);
  const nx = Math.ceil((p.x(maxLng) - x0) / cellSize) + 1;
  const ny = Math.ceil((p.y(maxLat) - y0) / cellSize) + 1;
  if (nx * ny > 50_000_000) throw new RangeError(`raster of ${nx}×${ny} cells is too large; use a larger cellSize`);
  const covered = new Uint8Array(nx * ny);
  const rowScale = new Float64Array(ny);
  for (let r = 0; r < ny; r++) rowScale[r] = p.xScale(p.lat(y0 + (r + 0.5) * cellSize));
  let circlePerimeter = 0;
  for (const j of near) {
    const fx = p.x(facilities.lng[j]);
    const fy = p.y(facilities.lat[j]);
    const rad = radiusOf(j);
    circlePerimeter += 2 * Math.PI * rad;
    const r0 = Math.max(0, Math.ceil((fy - rad - y0) / cellSize - 0.5));
    const r1 = Math.min(ny - 1, Math.floor((fy + rad - y0) / cellSize - 0.5));
    for (let r = r0; r <= r1; r++) {
      const dy = y0 + (r + 0.5) * cellSize - fy;
      const half = Math.sqrt(Math.max(0, rad * rad - dy * dy)) / rowScale[r];
      const c0 = Math.max(0, Math.ceil((fx - half - x0) / cellSize - 0.5));
      const c1 = Math.min(nx - 1, Math.floor((fx + half - x0) / cellSize - 0.5));
      if (c1 >= c0) covered.fill(1, r * nx + c0, r * nx + c1 + 1);
    }
  }
  // Scanline over the boundary: even-odd crossings of each row's centre line.
  const edges: number[] = [];
  let boundaryPerimeter = 0;
  for (const ring of rings(boundary)) {
    for (let k = 0; k < ring.length; k++) {
      const a = ring[k];
      const b = ring[(k + 1) % ring.length];
      const ax = p.x(a[0]);
      const ay = p.y(a[1]);
      const bx = p.x(b[0]);
      const by = p.y(b[1]);
      boundaryPerimeter += Math.hypot((bx - ax) * p.xScale((a[1] + b[1]) / 2), by - ay);
      if (ay !== by) edges.push(ax, ay, bx, by);
    }
  }
  const rowEdges: number[][] = Array.from({ length: ny }, () => []);
  for (let e = 0; e < edges.length; e += 4) {
    const lo = Math.min(edges[e + 1], edges[e + 3]);
    const hi = Math.max(edges[e + 1], edges[e + 3]);
    const r0 = Math.max(0, Math.ceil((lo - y0) / cellSize - 0.5));
    const r1 = Math.min(ny - 1, Math.floor((hi - y0) / cellSize - 0.5));
    for (let r = r0; r <= r1; r++) rowEdges[r].push(e);
  }
  let inside = 0;
  let insideCovered = 0;
  const xs: number[] = [];
  for (let r = 0; r < ny; r++) {
    const yc = y0 + (r + 0.5) * cellSize;
    xs.length = 0;
    for (const e of rowEdges[r]) {
      const ay = edges[e + 1];
      const by = edges[e + 3];
      if (ay > yc !== by > yc) xs.push(edges[e] + ((yc - ay) * (edges[e + 2] - edges[e])) / (by - ay));
    }
    xs.sort((a, b) => a - b);
    const cellArea = cellSize * cellSize * rowScale[r];
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil((xs[k] - x0) / cellSize - 0.5));
      const c1 = Math.min(nx - 1, Math.floor((xs[k + 1] - x0) / cellSize - 0.5));
      let n = 0;
      for (let c = c0; c <= c1; c++) n += covered[r * nx + c];
      inside += Math.max(0, c1 - c0 + 1) * cellArea;
      insideCovered += n * cellArea;
    }
  }
  // Each cell a boundary or circle edge crosses may be misjudged: at most (perimeters × cell) of area.
  const wrongArea = (boundaryPerimeter + circlePerimeter) * cellSize * Math.SQRT2;
  const errorBound = inside > 0 ? Math.min(1, (2 * wrongArea) / inside) : Number.NaN;
  return result('buffer_area', insideCovered, inside, { algorithm: 'raster', errorBound });
}

/** Everything {@link compareCoverageMethods} needs. */
export interface CoverageComparisonInput extends BufferAreaOptions {
  demand: PointLayer;
  facilities: PointLayer;
  boundary: AreaFeature<unknown>;
  /** 1/0 per demand point: inside `boundary` (see locateInAreas). */
  inBoundary: ArrayLike<number>;
  /** Covered flags if already computed (else computed here). */
  covered?: Uint8Array;
}

/** The three methods side by side for one boundary, in a fixed order: buffer, count, population. */
export function compareCoverageMethods(input: CoverageComparisonInput): CoverageResult[] {
  const covered = input.covered ?? coveredMask(input.demand, input.facilities, input);
  return [
    bufferAreaCoverage(input.facilities, input.boundary, input),
    pointCountCoverage(covered, input.inBoundary),
    populationCoverage(covered, input.demand.weight, input.inBoundary),
  ];
}
