import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateInAreas, PolygonLocator } from './area-locator.ts';
import { bufferAreaCoverage, compareCoverageMethods, pointCountCoverage, populationCoverage } from './coverage.compute.ts';
import type { AreaFeature, PointLayer } from './coverage.types.ts';
import { LocalProjection } from './geo-distance.ts';
import { uncoveredPopulationByH3 } from './h3-aggregate.ts';
import { readHebiDistricts } from './hebi-geo.node.ts';

const P = new LocalProjection(114.3, 35.75);
/** A square boundary of `side` metres with its south-west corner at (x0, y0) metres from the centre. */
function square(x0: number, y0: number, side: number): AreaFeature {
  const c = (x: number, y: number) => [P.lng(x / P.xScale(35.75)), P.lat(y)];
  return {
    type: 'Feature',
    properties: { name: 'sq' },
    geometry: { type: 'Polygon', coordinates: [[c(x0, y0), c(x0 + side, y0), c(x0 + side, y0 + side), c(x0, y0 + side), c(x0, y0)]] },
  };
}
const at = (points: [number, number][], weight?: number[]): PointLayer => ({
  datum: 'WGS84',
  lng: Float64Array.from(points.map((p) => P.lng(p[0] / P.xScale(35.75)))),
  lat: Float64Array.from(points.map((p) => P.lat(p[1]))),
  ...(weight ? { weight: Float64Array.from(weight) } : {}),
});

describe('point count and population coverage', () => {
  it('counts points and weighs residents (hand-computed)', () => {
    const covered = Uint8Array.from([1, 0, 1, 0]);
    const weight = Float64Array.from([100, 300, 50, 50]);
    expect(pointCountCoverage(covered).ratio).toBe(0.5);
    expect(populationCoverage(covered, weight).ratio).toBe(150 / 500);
    expect(populationCoverage(covered, weight, [0, 1, 1, 0]).ratio).toBe(50 / 350);
    expect(pointCountCoverage(new Uint8Array(0)).ratio).toBeNaN();
  });
});

describe('buffer-area coverage (clipped to the boundary)', () => {
  const box = square(-2000, -2000, 4000); // 16 km²
  it('is πr²/A for a circle wholly inside, by polygon union and by raster', () => {
    const f = at([[0, 0]]);
    const expected = (Math.PI * 500 * 500) / 16e6;
    const poly = bufferAreaCoverage(f, box, { radius: 500, algorithm: 'polygon_union' });
    expect(poly.algorithm).toBe('polygon_union');
    expect(Math.abs(poly.ratio - expected) / expected).toBeLessThan(0.005); // the 64-gon and turf's sphere
    const raster = bufferAreaCoverage(f, box, { radius: 500, algorithm: 'raster', cellSize: 10 });
    expect(Math.abs(raster.ratio - expected) / expected).toBeLessThan(0.005);
    expect(Math.abs(raster.ratio - expected)).toBeLessThanOrEqual(raster.errorBound!);
  });

  it('clips: a facility on the boundary counts half its circle, one outside nothing; overlaps count once', () => {
    const half = (Math.PI * 500 * 500) / 2 / 16e6;
    for (const algorithm of ['polygon_union', 'raster'] as const) {
      expect(bufferAreaCoverage(at([[2000, 0]]), box, { radius: 500, algorithm, cellSize: 10 }).ratio).toBeCloseTo(half, 3);
      expect(bufferAreaCoverage(at([[3000, 0]]), box, { radius: 500, algorithm }).ratio).toBe(0);
      const twice = bufferAreaCoverage(
        at([
          [0, 0],
          [0, 0],
        ]),
        box,
        { radius: 500, algorithm, cellSize: 10 },
      ).ratio;
      expect(twice).toBeCloseTo((Math.PI * 500 * 500) / 16e6, 3);
    }
  });

  it('raster agrees with the polygon union within its stated bound on random layouts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -2500, max: 2500 }), fc.integer({ min: -2500, max: 2500 })), { minLength: 1, maxLength: 12 }),
        (pts) => {
          const f = at(pts);
          const poly = bufferAreaCoverage(f, box, { radius: 400, algorithm: 'polygon_union' });
          const raster = bufferAreaCoverage(f, box, { radius: 400, algorithm: 'raster', cellSize: 20 });
          expect(Math.abs(raster.ratio - poly.ratio)).toBeLessThanOrEqual(raster.errorBound!);
          expect(Math.abs(raster.ratio - poly.ratio)).toBeLessThan(0.01);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('shows the three methods side by side, labelled, and the buffer method overstating where people cluster away', () => {
    // A facility in the empty half of the box; residents crowd the other half.
    const demand = at(
      [
        [-1500, -1500],
        [-1400, -1500],
        [-1500, -1400],
        [1500, 1500],
      ],
      [1000, 1000, 1000, 10],
    );
    const facilities = at([
      [1500, 1500],
      [1000, 1000],
    ]);
    const [buffer, count, population] = compareCoverageMethods({
      demand,
      facilities,
      boundary: box,
      inBoundary: [1, 1, 1, 1],
      radius: 800,
    });
    expect([buffer.method, count.method, population.method]).toEqual(['buffer_area', 'point_count', 'population']);
    expect(buffer.label.zh).toContain('高估');
    expect(count.ratio).toBe(0.25);
    expect(population.ratio).toBeCloseTo(10 / 3010, 10);
    expect(buffer.ratio).toBeGreaterThan(0.15);
  });

  it('refuses facilities without a radius and too many facilities for the polygon union', () => {
    expect(() => bufferAreaCoverage(at([[0, 0]]), box)).toThrow(RangeError);
    const many = at(Array.from({ length: 401 }, (_, k) => [k, 0] as [number, number]));
    expect(() => bufferAreaCoverage(many, box, { radius: 100, algorithm: 'polygon_union' })).toThrow(RangeError);
  });
});

describe('PolygonLocator against @turf/boolean-point-in-polygon on the Hebi districts', () => {
  const districts = readHebiDistricts().features;
  it('puts random points in the same district', () => {
    const locators = districts.map((d) => new PolygonLocator(d));
    fc.assert(
      fc.property(fc.double({ min: 113.9, max: 114.8, noNaN: true }), fc.double({ min: 35.3, max: 36.1, noNaN: true }), (lng, lat) => {
        districts.forEach((d, k) => {
          expect(locators[k].contains(lng, lat)).toBe(booleanPointInPolygon([lng, lat], d));
        });
      }),
      { numRuns: 3000 },
    );
    const where = locateInAreas({ datum: 'WGS84', lng: Float64Array.of(114.2988, 200), lat: Float64Array.of(35.7416, 0) }, districts);
    expect(districts[where[0]].properties.name).toBe('淇滨区');
    expect(where[1]).toBe(-1);
  });
});

describe('uncovered population per H3 cell', () => {
  it('sums population and the uncovered part per cell, largest gap first', () => {
    const demand = {
      datum: 'WGS84' as const,
      lng: Float64Array.of(114.3, 114.3, 114.5),
      lat: Float64Array.of(35.75, 35.75, 35.6),
      weight: Float64Array.of(10, 20, 5),
    };
    const cells = uncoveredPopulationByH3(demand, Uint8Array.of(1, 0, 0), 9);
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatchObject({ population: 30, uncoveredPopulation: 20, points: 2 });
    expect(cells[1]).toMatchObject({ population: 5, uncoveredPopulation: 5, points: 1 });
    expect(() => uncoveredPopulationByH3(demand, Uint8Array.of(1), 9)).toThrow(RangeError);
  });
});
