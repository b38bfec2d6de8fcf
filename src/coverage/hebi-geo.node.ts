/**
 * Node-only: reads the shipped Hebi boundaries (samples/geo/, GCJ-02, MIT — see its README)
 * and converts them to the library's WGS-84. Not exported from index.ts so the library stays
 * importable in a browser.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AreaCollection, PolygonLayer } from './coverage.types.ts';
import { polygonLayerFrom } from './datum.convert.ts';

const GEO_DIR = new URL('../../samples/geo/', import.meta.url);

function read(file: string): AreaCollection {
  return JSON.parse(readFileSync(fileURLToPath(new URL(file, GEO_DIR)), 'utf8')) as AreaCollection;
}

/** The five districts of Hebi (鹤山区, 山城区, 淇滨区, 淇县, 浚县) in WGS-84. */
export function readHebiDistricts(): PolygonLayer {
  return polygonLayerFrom(read('hebi-districts.geojson'), 'GCJ02');
}

/** The outline of Hebi (one multipolygon feature) in WGS-84. */
export function readHebiOutline(): PolygonLayer {
  return polygonLayerFrom(read('hebi-outline.geojson'), 'GCJ02');
}

/** The directory of the shipped geo samples (for writers such as synthetic-layers.export.ts). */
export const HEBI_GEO_DIR = fileURLToPath(GEO_DIR);
