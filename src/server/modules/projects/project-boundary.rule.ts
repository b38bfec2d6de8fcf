/**
 * The installation's district boundaries (LUOSHI_GEO_BOUNDARY, GCJ-02 GeoJSON): the project map
 * draws them as they are and a project's point must lie inside one of them. Read once per path.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type Boundary = FeatureCollection<Polygon | MultiPolygon, { name?: string }>;

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const cache = new Map<string, Boundary>();

/** The boundary file resolved from the working directory, else from the repository root (the shipped sample). */
export function loadBoundary(file: string): Boundary {
  const cached = cache.get(file);
  if (cached) return cached;
  const candidates = path.isAbsolute(file) ? [file] : [path.resolve(file), path.resolve(REPO_ROOT, file)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`LUOSHI_GEO_BOUNDARY: no file at ${candidates.join(' or ')}`);
  const parsed = JSON.parse(readFileSync(found, 'utf8')) as Boundary;
  if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features))
    throw new Error(`LUOSHI_GEO_BOUNDARY: ${found} is not a FeatureCollection`);
  cache.set(file, parsed);
  return parsed;
}

/** The name of the district containing the GCJ-02 point, or null when it lies outside every one. */
export function districtOf(boundary: Boundary, lng: number, lat: number): string | null {
  for (const f of boundary.features as Feature<Polygon | MultiPolygon, { name?: string }>[]) {
    if (f.geometry && booleanPointInPolygon([lng, lat], f)) return f.properties?.name ?? '';
  }
  return null;
}
