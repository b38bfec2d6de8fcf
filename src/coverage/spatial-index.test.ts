import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForceCovered, coveredMask } from './coverage.compute.ts';
import type { PointLayer } from './coverage.types.ts';
import { vincentyDistance } from './geo-distance.ts';
import { FacilityIndex, RADIUS_TOLERANCE } from './spatial-index.ts';

const layer = (points: readonly (readonly number[])[], radius?: number[]): PointLayer => ({
  datum: 'WGS84',
  lng: Float64Array.from(points.map((p) => p[0])),
  lat: Float64Array.from(points.map((p) => p[1])),
  ...(radius ? { radius: Float64Array.from(radius) } : {}),
});

/** The point at exactly `metres` on the ellipsoid from (lng, lat) along bearing (east or north), by bisection. */
function pointAt(lng: number, lat: number, metres: number, towards: 'north' | 'east'): [number, number] {
  let lo = 0;
  let hi = 0.05;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    const d = towards === 'north' ? vincentyDistance(lng, lat, lng, lat + mid) : vincentyDistance(lng, lat, lng + mid, lat);
    if (d < metres) lo = mid;
    else hi = mid;
  }
  return towards === 'north' ? [lng, lat + lo] : [lng + lo, lat];
}

const F: [number, number] = [114.2926, 35.7477];

describe('FacilityIndex: hand-computed cases', () => {
  it('counts a point exactly at r (on the ellipsoid) as covered, and one 0.1 m beyond as not', () => {
    for (const towards of ['north', 'east'] as const) {
      const atR = pointAt(F[0], F[1], 500, towards);
      const beyond = pointAt(F[0], F[1], 500.1, towards);
      const index = new FacilityIndex(layer([F]), { radius: 500 });
      expect(index.isCovered(atR[0], atR[1])).toBe(true);
      expect(index.isCovered(beyond[0], beyond[1])).toBe(false);
      expect([...index.coverAll(layer([atR, beyond]))]).toEqual([1, 0]);
      expect(index.nearestWithin(atR[0], atR[1])!.distance).toBeCloseTo(500, 1);
      expect(index.nearestWithin(beyond[0], beyond[1])).toBeNull();
    }
    expect(RADIUS_TOLERANCE).toBeLessThan(0.1 / 500);
  });

  it("uses each facility's own radius (a toilet on a main street reaches 300 m, by a riverside park 800 m)", () => {
    const demand = pointAt(F[0], F[1], 600, 'east');
    const mainStreet = new FacilityIndex(layer([F], [300]));
    const riverside = new FacilityIndex(layer([F], [800]));
    expect(mainStreet.isCovered(demand[0], demand[1])).toBe(false);
    expect(riverside.isCovered(demand[0], demand[1])).toBe(true);
    // Both together: the nearer one (300 m radius) does not reach; the farther one (800 m) does.
    const near = pointAt(F[0], F[1], 100, 'east'); // 500 m from the demand point
    const both = new FacilityIndex(layer([near, F], [300, 800]));
    expect(both.nearestWithin(demand[0], demand[1])!.index).toBe(1);
    // Without radii: the nearest within 2 km regardless of service radius is the nearer one.
    expect(both.nearestWithin(demand[0], demand[1], 2000)!.index).toBe(0);
  });

  it('refuses facilities without a radius and answers "nothing" for an empty layer', () => {
    expect(() => new FacilityIndex(layer([F]))).toThrow(RangeError);
    expect(() => new FacilityIndex(layer([F], [Number.NaN]))).toThrow(RangeError);
    const empty = new FacilityIndex(layer([]), { radius: 500 });
    expect(empty.isCovered(F[0], F[1])).toBe(false);
    expect(empty.nearestWithin(F[0], F[1])).toBeNull();
    expect([...empty.coverAll(layer([F]))]).toEqual([0]);
  });
});

describe('FacilityIndex against the O(n·m) brute force on random data', () => {
  // Random layers in a 6 × 6 km square of 淇滨区, radii 50–800 m: many near-boundary cases.
  const point = fc.tuple(fc.double({ min: 114.26, max: 114.326, noNaN: true }), fc.double({ min: 35.72, max: 35.774, noNaN: true }));
  const instance = fc.record({
    demand: fc.array(point, { minLength: 1, maxLength: 300 }),
    facilities: fc.array(fc.tuple(point, fc.double({ min: 50, max: 800, noNaN: true })), { minLength: 1, maxLength: 60 }),
    nodeSize: fc.constantFrom(2, 4, 16, 64),
  });

  it('finds the same covered set (bulk pass and single queries)', () => {
    fc.assert(
      fc.property(instance, ({ demand, facilities, nodeSize }) => {
        const d = layer(demand);
        const f = layer(
          facilities.map((x) => x[0]),
          facilities.map((x) => x[1]),
        );
        const index = new FacilityIndex(f, { nodeSize });
        const reference = bruteForceCovered(d, f, { projection: index.projection });
        expect([...index.coverAll(d)]).toEqual([...reference]);
        expect(demand.map((p) => (index.isCovered(p[0], p[1]) ? 1 : 0))).toEqual([...reference]);
      }),
      { numRuns: 150 },
    );
  });

  it('finds the nearest covering facility', () => {
    fc.assert(
      fc.property(instance, ({ demand, facilities, nodeSize }) => {
        const f = layer(
          facilities.map((x) => x[0]),
          facilities.map((x) => x[1]),
        );
        const index = new FacilityIndex(f, { nodeSize });
        for (const [lng, lat] of demand) {
          let best = -1;
          let bestD = Number.POSITIVE_INFINITY;
          facilities.forEach(([at, r], j) => {
            // The index's metric: projected differences, x scaled at the demand point's latitude.
            const p = index.projection;
            const dist = Math.hypot((p.x(at[0]) - p.x(lng)) * p.xScale(lat), p.y(at[1]) - p.y(lat));
            if (dist <= r * (1 + RADIUS_TOLERANCE) && dist < bestD) {
              best = j;
              bestD = dist;
            }
          });
          const hit = index.nearestWithin(lng, lat);
          if (best < 0) expect(hit).toBeNull();
          else expect(Math.abs(hit!.distance - bestD)).toBeLessThan(1e-5 * bestD + 1e-6);
        }
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });

  it('agrees with the ellipsoid (Vincenty) except within 0.05 % of a radius', () => {
    fc.assert(
      fc.property(instance, ({ demand, facilities }) => {
        const d = layer(demand);
        const f = layer(
          facilities.map((x) => x[0]),
          facilities.map((x) => x[1]),
        );
        const fast = coveredMask(d, f);
        const exact = bruteForceCovered(d, f, { distance: vincentyDistance });
        demand.forEach(([lng, lat], i) => {
          if (fast[i] === exact[i]) return;
          // A disagreement is only allowed for a point on the edge of some circle.
          const nearEdge = facilities.some(([at, r]) => Math.abs(vincentyDistance(lng, lat, at[0], at[1]) - r) < 5e-4 * r);
          expect(nearEdge).toBe(true);
        });
      }),
      { numRuns: 100 },
    );
  });
});
