/**
 * Which polygon (district, built-up area) each point lies in — fast enough for a million points.
 *
 * Each polygon's edges are bucketed into horizontal bands; a point tests only the edges of its
 * band (even-odd crossing rule, so holes and multipolygon parts work). The result agrees with
 * @turf/boolean-point-in-polygon away from the boundary line itself (tested); points exactly on an
 * edge may fall either side, as with any crossing rule.
 */
import type { AreaFeature, PointLayer } from './coverage.types.ts';

interface Edge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A point-in-polygon locator for one polygon or multipolygon feature (coordinates in degrees). */
export class PolygonLocator {
  private readonly minY: number;
  private readonly maxY: number;
  private readonly minX: number;
  private readonly maxX: number;
  private readonly bandHeight: number;
  private readonly bands: Float64Array[];

  /** @param feature the polygon @param bandCount how many horizontal bands (default: edges / 8) */
  constructor(feature: AreaFeature<unknown>, bandCount?: number) {
    const edges: Edge[] = [];
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let i = 0; i < ring.length; i++) {
          const a = ring[i];
          const b = ring[(i + 1) % ring.length];
          if (a[1] !== b[1]) edges.push({ x1: a[0], y1: a[1], x2: b[0], y2: b[1] });
        }
      }
    }
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    for (const e of edges) {
      minY = Math.min(minY, e.y1, e.y2);
      maxY = Math.max(maxY, e.y1, e.y2);
      minX = Math.min(minX, e.x1, e.x2);
      maxX = Math.max(maxX, e.x1, e.x2);
    }
    this.minY = minY;
    this.maxY = maxY;
    this.minX = minX;
    this.maxX = maxX;
    const n = Math.max(1, bandCount ?? Math.ceil(edges.length / 8));
    this.bandHeight = (maxY - minY) / n || 1;
    const lists: number[][] = Array.from({ length: n }, () => []);
    for (const e of edges) {
      const b0 = Math.max(0, Math.floor((Math.min(e.y1, e.y2) - minY) / this.bandHeight));
      const b1 = Math.min(n - 1, Math.floor((Math.max(e.y1, e.y2) - minY) / this.bandHeight));
      for (let b = b0; b <= b1; b++) lists[b].push(e.x1, e.y1, e.x2, e.y2);
    }
    this.bands = lists.map((l) => Float64Array.from(l));
  }

  /** True when (lng, lat) lies inside the polygon (even-odd rule). */
  contains(lng: number, lat: number): boolean {
    if (!(lat >= this.minY && lat <= this.maxY && lng >= this.minX && lng <= this.maxX)) return false;
    const b = Math.min(this.bands.length - 1, Math.floor((lat - this.minY) / this.bandHeight));
    const e = this.bands[b];
    let inside = false;
    for (let k = 0; k < e.length; k += 4) {
      const y1 = e[k + 1];
      const y2 = e[k + 3];
      if (y1 > lat !== y2 > lat) {
        const x = e[k] + ((lat - y1) * (e[k + 2] - e[k])) / (y2 - y1);
        if (lng < x) inside = !inside;
      }
    }
    return inside;
  }
}

/**
 * For every point of `layer`, the index of the first feature of `areas` containing it, or −1.
 * Districts do not overlap, so "first" is "the" district.
 */
export function locateInAreas(layer: PointLayer, areas: readonly AreaFeature<unknown>[]): Int32Array {
  const locators = areas.map((a) => new PolygonLocator(a));
  const out = new Int32Array(layer.lng.length).fill(-1);
  for (let i = 0; i < out.length; i++) {
    for (let a = 0; a < locators.length; a++) {
      if (locators[a].contains(layer.lng[i], layer.lat[i])) {
        out[i] = a;
        break;
      }
    }
  }
  return out;
}
