/**
 * Writes the synthetic Hebi layers as GeoJSON (WGS-84, RFC 7946) under samples/geo/synthetic/:
 * `npx tsx src/coverage/synthetic-layers.export.ts`. The files are a pure function of the seed
 * (synthetic-layers.test.ts checks that the shipped files equal a fresh generation).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PointLayer } from './coverage.types.ts';
import { HEBI_GEO_DIR, readHebiDistricts } from './hebi-geo.node.ts';
import { FACILITY_TYPE_NAMES, ROAD_CLASS_NAMES } from './indicator.types.ts';
import { type SyntheticHebiLayers, syntheticHebiLayers } from './synthetic-layers.ts';

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const roundRing = (ring: number[][]) => ring.map((c) => [round(c[0]), round(c[1])]);

function pointsFile(layer: PointLayer, notice: string, props: (i: number) => Record<string, unknown>): string {
  const features = Array.from(layer.lng, (_, i) => ({
    type: 'Feature',
    properties: props(i),
    geometry: { type: 'Point', coordinates: [round(layer.lng[i]), round(layer.lat[i])] },
  }));
  return `${JSON.stringify({ type: 'FeatureCollection', synthetic: true, notice, datum: 'WGS84', features })}\n`;
}

/** The file name → GeoJSON text of every synthetic layer (park edge points are derived, not shipped). */
export function syntheticLayersAsGeoJson(layers: SyntheticHebiLayers): Record<string, string> {
  const files: Record<string, string> = {};
  const pop = layers.demand.population;
  files['population.geojson'] = pointsFile(pop, layers.notice, (i) => ({ population: Math.round(pop.weight![i]) }));
  const names: Record<string, string> = {
    bus_stop: 'bus-stops',
    public_toilet: 'public-toilets',
    primary_school: 'primary-schools',
    middle_school: 'middle-schools',
    green_space: 'green-spaces',
  };
  for (const f of layers.facilities) {
    if (f.type === 'park') continue;
    files[`${names[f.type]}.geojson`] = pointsFile(f.points, layers.notice, (i) => ({
      type: f.type,
      name: `${FACILITY_TYPE_NAMES[f.type]}${i + 1}（合成）`,
      ...(f.roadClass ? { roadClass: f.roadClass[i], roadClassName: ROAD_CLASS_NAMES[f.roadClass[i]] } : {}),
    }));
  }
  const polygons = (features: SyntheticHebiLayers['parks']['features'] | SyntheticHebiLayers['builtUpAreas']['features'], kind: string) =>
    `${JSON.stringify({
      type: 'FeatureCollection',
      synthetic: true,
      notice: layers.notice,
      datum: 'WGS84',
      features: features.map((f) => ({
        type: 'Feature',
        properties: { name: f.properties.name, kind },
        geometry:
          f.geometry.type === 'Polygon'
            ? { type: 'Polygon', coordinates: f.geometry.coordinates.map(roundRing) }
            : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((p) => p.map(roundRing)) },
      })),
    })}\n`;
  files['parks.geojson'] = polygons(layers.parks.features, 'park');
  files['built-up-areas.geojson'] = polygons(layers.builtUpAreas.features, 'built_up_area');
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = syntheticLayersAsGeoJson(syntheticHebiLayers(readHebiDistricts()));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(`${HEBI_GEO_DIR}synthetic/${name}`, content);
    console.log(`${name}: ${content.length} bytes`);
  }
}
