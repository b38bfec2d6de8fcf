/**
 * A deterministic SYNTHETIC layer set for Hebi: population points weighted by district, bus stops,
 * public toilets (with road classes), primary and middle schools, green spaces and parks, placed
 * plausibly inside the shipped district boundaries. No public facility data for Hebi exists: every
 * point here is invented from a seed, for demos and benchmarks, and says so ({@link SYNTHETIC_NOTICE}).
 *
 * Plausible means: most residents live in a built-up area (建成区, itself synthetic: a ragged disc
 * around each district's seat, clipped to the district), the rest in villages; bus stops and
 * toilets sit along a street grid in each built-up area and at villages; toilets along a synthetic
 * 淇河 are riverside ones; schools and green spaces follow population; parks are small polygons.
 */
import turfIntersect from '@turf/intersect';
import { featureCollection } from '@turf/helpers';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { PolygonLocator } from './area-locator.ts';
import { type AreaFeature, type BoundaryProperties, CANONICAL_DATUM, type PointLayer, type PolygonLayer } from './coverage.types.ts';
import { toCanonical } from './datum.convert.ts';
import { LocalProjection } from './geo-distance.ts';
import type { CoverageLayerSet, FacilityLayer } from './indicator.compute.ts';
import type { RoadClass } from './indicator.types.ts';

/** Says that the layers are invented. Carried in every exported file and README. */
export const SYNTHETIC_NOTICE =
  '合成数据（非真实设施与人口）：由固定随机种子在鹤壁市区县边界内生成，仅供演示与基准测试。Synthetic data, not real facilities or residents.';

/**
 * Approximate resident populations of the districts (rounded; the 2020 census gives Hebi ≈ 1.57
 * million) and how much of each lives in the seat's built-up area. Used as weights only.
 */
export const HEBI_DISTRICT_PROFILES = [
  { name: '淇滨区', population: 420_000, urbanShare: 0.85, builtUpRadiusM: 6000 },
  { name: '山城区', population: 190_000, urbanShare: 0.8, builtUpRadiusM: 3500 },
  { name: '鹤山区', population: 130_000, urbanShare: 0.7, builtUpRadiusM: 3000 },
  { name: '浚县', population: 570_000, urbanShare: 0.4, builtUpRadiusM: 3500 },
  { name: '淇县', population: 260_000, urbanShare: 0.5, builtUpRadiusM: 3500 },
] as const;

/** A synthetic 淇河 through 淇滨区 (GCJ-02 vertices, roughly north-west to south-east). */
const QI_RIVER_GCJ: readonly [number, number][] = [
  [114.235, 35.815],
  [114.262, 35.778],
  [114.283, 35.752],
  [114.302, 35.728],
  [114.318, 35.703],
];

/** A small seeded PRNG (mulberry32): the same seed gives the same layers on every machine. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Options of {@link syntheticHebiLayers}. */
export interface SyntheticOptions {
  seed?: number;
  /** Population points in all (default 4,000 — the shipped files; the bench asks for 1,000,000). */
  demandPoints?: number;
}

/** The synthetic set: a {@link CoverageLayerSet} plus the park polygons and the notice. */
export interface SyntheticHebiLayers extends CoverageLayerSet {
  synthetic: true;
  seed: number;
  notice: string;
  parks: PolygonLayer<BoundaryProperties & { synthetic: true }>;
}

/**
 * Generates the synthetic Hebi layers from the district boundaries (canonical datum; convert the
 * shipped GCJ-02 file with `polygonLayerFrom(collection, 'GCJ02')` first).
 */
export function syntheticHebiLayers(districts: PolygonLayer, options: SyntheticOptions = {}): SyntheticHebiLayers {
  const seed = options.seed ?? 2018;
  const random = createRandom(seed);
  const demandPoints = options.demandPoints ?? 4000;
  const totalPopulation = HEBI_DISTRICT_PROFILES.reduce((s, d) => s + d.population, 0);
  const outline = districts.features;
  const all = allBounds(outline);
  const projection = new LocalProjection((all[0] + all[2]) / 2, (all[1] + all[3]) / 2);

  const builtUp: AreaFeature[] = [];
  const demand = { lng: [] as number[], lat: [] as number[], weight: [] as number[] };
  const busStops: number[][] = [];
  const toilets: { at: number[]; roadClass: RoadClass }[] = [];
  const villages: number[][] = [];

  for (const profile of HEBI_DISTRICT_PROFILES) {
    const district = outline.find((f) => f.properties.name === profile.name);
    if (!district) continue;
    const locator = new PolygonLocator(district);
    // `cp` (the seat's label point) is a property: polygonLayerFrom converts geometry only, so it is
    // still in the shipped file's GCJ-02.
    const cp = district.properties.cp as [number, number] | undefined;
    const seat = cp ? toCanonical(cp, 'GCJ02') : centreOf(district);
    const area = raggedDisc(seat, profile.builtUpRadiusM, projection, random, profile.name, district);
    builtUp.push(area);
    const inTown = new PolygonLocator(area);
    const [cx, cy] = [projection.x(seat[0]), projection.y(seat[1])];

    // Residents: the seat's share — half gathered towards its centre, half in housing estates
    // scattered over the built-up area — the rest in villages. Each point is a block of a random
    // size, so point count and population differ; weights are scaled to the district's total.
    const n = Math.max(2, Math.round((demandPoints * profile.population) / totalPopulation));
    const nUrban = Math.round(n * profile.urbanShare);
    const nRural = n - nUrban;
    const estates: number[][] = [];
    const townBox = allBounds([area]);
    while (estates.length < 10) {
      const lng = townBox[0] + random() * (townBox[2] - townBox[0]);
      const lat = townBox[1] + random() * (townBox[3] - townBox[1]);
      if (inTown.contains(lng, lat)) estates.push([projection.x(lng), projection.y(lat)]);
    }
    const firstUrban = demand.weight.length;
    for (let k = 0; k < nUrban; ) {
      const estate = random() < 0.5 ? estates[Math.floor(random() * estates.length)] : null;
      const spread = estate ? 300 : profile.builtUpRadiusM * 0.4;
      const x = (estate ? estate[0] : cx) + gaussian(random) * spread;
      const y = (estate ? estate[1] : cy) + gaussian(random) * spread;
      const lng = projection.lng(x);
      const lat = projection.lat(y);
      if (!inTown.contains(lng, lat)) continue;
      demand.lng.push(lng);
      demand.lat.push(lat);
      demand.weight.push(0.3 + 1.4 * random());
      k++;
    }
    scaleTo(demand.weight, firstUrban, demand.weight.length, profile.population * profile.urbanShare);
    const districtVillages: number[][] = [];
    const villageCount = Math.max(6, Math.round((profile.population * (1 - profile.urbanShare)) / 2500));
    const box = allBounds([district]);
    while (districtVillages.length < villageCount) {
      const lng = box[0] + random() * (box[2] - box[0]);
      const lat = box[1] + random() * (box[3] - box[1]);
      if (locator.contains(lng, lat) && !inTown.contains(lng, lat)) districtVillages.push([lng, lat]);
    }
    villages.push(...districtVillages);
    for (let k = 0; k < nRural; ) {
      const v = districtVillages[Math.floor(random() * districtVillages.length)];
      const lng = projection.lng(projection.x(v[0]) + gaussian(random) * 180);
      const lat = projection.lat(projection.y(v[1]) + gaussian(random) * 180);
      if (!locator.contains(lng, lat) || inTown.contains(lng, lat)) continue;
      demand.lng.push(lng);
      demand.lat.push(lat);
      demand.weight.push(0.3 + 1.4 * random());
      k++;
    }
    scaleTo(demand.weight, demand.weight.length - nRural, demand.weight.length, profile.population * (1 - profile.urbanShare));

    // A street grid in the built-up area, turned a little per district; every third street is main.
    const angle = (random() - 0.5) * 0.6;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const spacing = 700;
    const reach = profile.builtUpRadiusM * 1.1;
    for (let line = -Math.floor(reach / spacing); line <= Math.floor(reach / spacing); line++) {
      const main = line % 3 === 0;
      for (const horizontal of [true, false]) {
        for (let t = -reach; t <= reach; t += main ? 450 : 550) {
          const u = horizontal ? t : line * spacing;
          const v = horizontal ? line * spacing : t;
          const x = cx + u * cos - v * sin + gaussian(random) * 40;
          const y = cy + u * sin + v * cos + gaussian(random) * 40;
          const lngLat = [projection.lng(x), projection.lat(y)];
          if (!inTown.contains(lngLat[0], lngLat[1])) continue;
          // Stops and toilets thin out towards the edge of town, as they do where a city grew.
          const edge = Math.min(1, Math.hypot(u, v) / profile.builtUpRadiusM);
          if (random() < (main ? 0.9 : 0.75 * (1 - edge))) busStops.push(lngLat);
          if (random() < (main ? 0.45 : 0.3) * (1 - 0.6 * edge))
            toilets.push({ at: [projection.lng(x + 30), projection.lat(y + 30)], roadClass: main ? 'main_street' : 'ordinary_road' });
        }
      }
    }
    for (const v of districtVillages) {
      if (random() < 0.6)
        busStops.push([
          projection.lng(projection.x(v[0]) + gaussian(random) * 100),
          projection.lat(projection.y(v[1]) + gaussian(random) * 100),
        ]);
      if (random() < 0.35) toilets.push({ at: v, roadClass: 'ordinary_road' });
    }
  }

  // Riverside toilets every ~900 m along the synthetic 淇河.
  const river = QI_RIVER_GCJ.map((c) => toCanonical(c, 'GCJ02'));
  for (let s = 0; s + 1 < river.length; s++) {
    const [ax, ay] = [projection.x(river[s][0]), projection.y(river[s][1])];
    const [bx, by] = [projection.x(river[s + 1][0]), projection.y(river[s + 1][1])];
    const len = Math.hypot(bx - ax, by - ay);
    for (let t = 0; t < len; t += 900) {
      const f = t / len;
      toilets.push({ at: [projection.lng(ax + f * (bx - ax) + 60), projection.lat(ay + f * (by - ay))], roadClass: 'riverside_park' });
    }
  }

  const population: PointLayer = {
    datum: CANONICAL_DATUM,
    lng: Float64Array.from(demand.lng),
    lat: Float64Array.from(demand.lat),
    weight: Float64Array.from(demand.weight),
  };
  const primary = placeNearDemand(population, Math.round(totalPopulation / 9000), random, 150, projection);
  const middle = placeNearDemand(population, Math.round(totalPopulation / 32000), random, 200, projection);
  const urbanOnly = maskLayer(population, builtUp);
  const green = placeNearDemand(urbanOnly, Math.round(totalPopulation / 9000), random, 120, projection);
  const parkCentres = placeNearDemand(urbanOnly, Math.round(totalPopulation / 45000), random, 300, projection);
  const parks: AreaFeature<BoundaryProperties & { synthetic: true }>[] = [];
  for (let k = 0; k < parkCentres.lng.length; k++) {
    const disc = raggedDisc([parkCentres.lng[k], parkCentres.lat[k]], 120 + random() * 180, projection, random, `合成公园${k + 1}`, null);
    parks.push({ ...disc, properties: { name: disc.properties.name, synthetic: true } });
  }
  const parkLayer: PolygonLayer<BoundaryProperties & { synthetic: true }> = { datum: CANONICAL_DATUM, features: parks };

  const facilities: FacilityLayer[] = [
    { type: 'bus_stop', points: layerOf(busStops) },
    { type: 'public_toilet', points: layerOf(toilets.map((t) => t.at)), roadClass: toilets.map((t) => t.roadClass) },
    { type: 'primary_school', points: primary },
    { type: 'middle_school', points: middle },
    { type: 'green_space', points: green },
    { type: 'park', points: polygonEdgePoints(parkLayer.features, 25) },
  ];
  return {
    synthetic: true,
    seed,
    notice: SYNTHETIC_NOTICE,
    demand: { population },
    facilities,
    districts,
    builtUpAreas: { datum: CANONICAL_DATUM, features: builtUp },
    parks: parkLayer,
  };
}

/**
 * `count` points placed where people are: demand points drawn by weight, moved by a gaussian of
 * `jitter` metres. Used for schools and green spaces here, and by the bench for 10,000 facilities.
 */
export function placeNearDemand(
  demand: PointLayer,
  count: number,
  random: () => number,
  jitter: number,
  projection?: LocalProjection,
): PointLayer {
  const p = projection ?? LocalProjection.around(demand.lng, demand.lat);
  const n = demand.lng.length;
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += demand.weight ? demand.weight[i] : 1;
    cumulative[i] = sum;
  }
  const lng = new Float64Array(n === 0 ? 0 : count);
  const lat = new Float64Array(n === 0 ? 0 : count);
  for (let k = 0; k < lng.length; k++) {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    lng[k] = p.lng(p.x(demand.lng[lo]) + gaussian(random) * jitter);
    lat[k] = p.lat(p.y(demand.lat[lo]) + gaussian(random) * jitter);
  }
  return { datum: CANONICAL_DATUM, lng, lat };
}

/**
 * A polygon facility (a park) as points along its edges every `spacing` metres plus its vertices,
 * so "within r of the park" becomes "within r of an edge point". The distance to the park is
 * overstated by at most spacing/2 (and by far less at r ≫ spacing: √(r² + (s/2)²) − r); a point
 * inside a park farther than r from every edge is not counted (parks here are smaller than 2r).
 */
export function polygonEdgePoints(features: readonly AreaFeature<unknown>[], spacing: number): PointLayer {
  const lng: number[] = [];
  const lat: number[] = [];
  for (const f of features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const polygon of polygons) {
      const ring = polygon[0];
      const p = LocalProjection.around(
        ring.map((c) => c[0]),
        ring.map((c) => c[1]),
      );
      for (let k = 0; k + 1 < ring.length; k++) {
        const [a, b] = [ring[k], ring[k + 1]];
        const len = p.distance(a[0], a[1], b[0], b[1]);
        const steps = Math.max(1, Math.ceil(len / spacing));
        for (let t = 0; t < steps; t++) {
          lng.push(a[0] + ((b[0] - a[0]) * t) / steps);
          lat.push(a[1] + ((b[1] - a[1]) * t) / steps);
        }
      }
    }
  }
  return { datum: CANONICAL_DATUM, lng: Float64Array.from(lng), lat: Float64Array.from(lat) };
}

function scaleTo(values: number[], from: number, to: number, total: number): void {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  for (let i = from; i < to; i++) values[i] = sum > 0 ? (values[i] * total) / sum : 0;
}

function layerOf(points: number[][]): PointLayer {
  return { datum: CANONICAL_DATUM, lng: Float64Array.from(points.map((p) => p[0])), lat: Float64Array.from(points.map((p) => p[1])) };
}

function maskLayer(layer: PointLayer, areas: AreaFeature[]): PointLayer {
  const locators = areas.map((a) => new PolygonLocator(a));
  const keep: number[] = [];
  for (let i = 0; i < layer.lng.length; i++) if (locators.some((l) => l.contains(layer.lng[i], layer.lat[i]))) keep.push(i);
  return {
    datum: CANONICAL_DATUM,
    lng: Float64Array.from(keep, (i) => layer.lng[i]),
    lat: Float64Array.from(keep, (i) => layer.lat[i]),
    ...(layer.weight ? { weight: Float64Array.from(keep, (i) => layer.weight![i]) } : {}),
  };
}

/** A disc with a ragged edge (smooth noise on the radius), clipped to `clip` when given. */
function raggedDisc(
  centre: readonly [number, number] | number[],
  radius: number,
  p: LocalProjection,
  random: () => number,
  name: string,
  clip: AreaFeature | null,
): AreaFeature {
  const [cx, cy] = [p.x(centre[0]), p.y(centre[1])];
  const s = p.xScale(centre[1]);
  const phases = [random() * 6.283, random() * 6.283, random() * 6.283];
  const ring: [number, number][] = [];
  const steps = 48;
  for (let k = 0; k < steps; k++) {
    const a = (2 * Math.PI * k) / steps;
    const r = radius * (0.8 + 0.12 * Math.sin(2 * a + phases[0]) + 0.08 * Math.sin(3 * a + phases[1]) + 0.05 * Math.sin(5 * a + phases[2]));
    ring.push([p.lng(cx + (r * Math.cos(a)) / s), p.lat(cy + r * Math.sin(a))]);
  }
  ring.push(ring[0]);
  const disc: Feature<Polygon> = { type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [ring] } };
  if (!clip) return disc as AreaFeature;
  const cut = turfIntersect(featureCollection([disc, clip as Feature<Polygon | MultiPolygon>]));
  return { type: 'Feature', properties: { name }, geometry: (cut ?? disc).geometry } as AreaFeature;
}

function centreOf(f: AreaFeature): [number, number] {
  const b = allBounds([f]);
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

function allBounds(features: readonly AreaFeature<unknown>[]): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const f of features) {
    const coords = f.geometry.type === 'Polygon' ? f.geometry.coordinates.flat() : f.geometry.coordinates.flat(2);
    for (const c of coords) {
      minX = Math.min(minX, c[0]);
      maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1]);
      maxY = Math.max(maxY, c[1]);
    }
  }
  return [minX, minY, maxX, maxY];
}
