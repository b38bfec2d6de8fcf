import { describe, expect, it } from 'vitest';
import type { AreaFeature, PointLayer } from './coverage.types.ts';
import { LocalProjection } from './geo-distance.ts';
import { computeIndicator, type CoverageLayerSet, radiusFor } from './indicator.compute.ts';
import { HEBI_PLAN_INDICATORS } from './indicator.types.ts';

const P = new LocalProjection(114.3, 35.75);
const c = (x: number, y: number) => [P.lng(x / P.xScale(35.75)), P.lat(y)];
const square = (name: string, x0: number, side: number): AreaFeature => ({
  type: 'Feature',
  properties: { name },
  geometry: { type: 'Polygon', coordinates: [[c(x0, 0), c(x0 + side, 0), c(x0 + side, side), c(x0, side), c(x0, 0)]] },
});
const pts = (xy: [number, number][], weight?: number[]): PointLayer => ({
  datum: 'WGS84',
  lng: Float64Array.from(xy.map((q) => c(q[0], q[1])[0])),
  lat: Float64Array.from(xy.map((q) => c(q[0], q[1])[1])),
  ...(weight ? { weight: Float64Array.from(weight) } : {}),
});

describe('computeIndicator', () => {
  // Two districts side by side, 2 km squares; the built-up area of A is its south-western 1.5 km square.
  const layers: CoverageLayerSet = {
    demand: {
      population: pts(
        [
          [200, 1000],
          [900, 1000],
          [2500, 1000],
          [3500, 1000],
        ],
        [100, 300, 50, 50],
      ),
    },
    facilities: [
      {
        type: 'public_toilet',
        points: pts([
          [200, 1400],
          [2500, 1600],
        ]),
        roadClass: ['main_street', 'riverside_park'],
      },
      { type: 'bus_stop', points: pts([[1000, 1000]]) },
    ],
    districts: { datum: 'WGS84', features: [square('A', 0, 2000), square('B', 2000, 2000)] },
    builtUpAreas: { datum: 'WGS84', features: [square('A', 0, 1500)] },
  };

  it('applies radii by road class and reports each district, with all three methods', () => {
    const toilets = HEBI_PLAN_INDICATORS.find((i) => i.id === 'public-toilet-by-road')!;
    const r = computeIndicator({ ...toilets, boundary: 'district' }, layers);
    // A: the main-street toilet (300 m) misses the resident 400 m away; B: the riverside one (800 m) reaches 600 m.
    const [a, b] = r.districts;
    expect(a.results[2].ratio).toBe(0); // population
    expect(b.results[2].ratio).toBe(50 / 100);
    expect(b.results[1].ratio).toBe(0.5); // count
    expect(b.uncoveredWeight).toBe(50);
    expect(r.overall.results[2].ratio).toBe(50 / 500);
    expect(r.overall.meetsTarget).toBe(false);
  });

  it('uses the built-up area when asked, and says when a district has none', () => {
    const bus = HEBI_PLAN_INDICATORS.find((i) => i.id === 'bus-stop-500')!;
    const r = computeIndicator(bus, layers);
    expect(r.districts[0].results[2].ratio).toBe(300 / 400); // (200,1000) is 800 m from the stop
    expect(r.districts[0].meetsTarget).toBe(false);
    expect(r.districts[1].results).toEqual([]);
    expect(r.districts[1].value).toBeNaN();
    const full = computeIndicator({ ...bus, target: { ...bus.target, ratio: 0.75 } }, layers);
    expect(full.districts[0].meetsTarget).toBe(true);
  });

  it('refuses a road-class radius for a facility without a road class, and an unknown demand layer', () => {
    expect(() => radiusFor({ byRoadClass: { main_street: 300, ordinary_road: 500, riverside_park: 800 } }, undefined)).toThrow(RangeError);
    expect(radiusFor({ metres: 500 }, undefined)).toBe(500);
    expect(() => computeIndicator({ ...HEBI_PLAN_INDICATORS[0], demandLayer: 'jobs' }, layers)).toThrow(RangeError);
  });
});
