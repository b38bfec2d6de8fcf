import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PointLayer } from './coverage.types.ts';
import { LocalProjection } from './geo-distance.ts';
import {
  buildCoverSets,
  candidateGrid,
  type CoverSets,
  coveredWeight,
  exactMaxCover,
  GREEDY_GUARANTEE,
  greedyMaxCover,
  type HighsSolve,
} from './site-suggestion.solver.ts';
import { readHebiDistricts } from './hebi-geo.node.ts';

let solve: HighsSolve;
beforeAll(async () => {
  const highs = await highsLoader();
  solve = highs.solve.bind(highs) as unknown as HighsSolve;
});

/** Cover sets written out by hand: candidate j covers the listed demand indices. */
function sets(lists: number[][], weight: number[]): CoverSets {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, j) => {
    offsets[j + 1] = offsets[j] + l.length;
  });
  return {
    candidateCount: lists.length,
    demandCount: weight.length,
    offsets,
    members: Int32Array.from(lists.flat()),
    weight: Float64Array.from(weight),
  };
}

describe('max cover: greedy and exact', () => {
  it('greedy takes the biggest set first and can miss the optimum, which the MILP finds', () => {
    // Classic trap: {0..3} is biggest, but {0,1,4,5} + {2,3,6,7} cover all eight.
    const s = sets(
      [
        [0, 1, 2, 3, 8],
        [0, 1, 4, 5],
        [2, 3, 6, 7],
      ],
      [1, 1, 1, 1, 1, 1, 1, 1, 0.5],
    );
    const g = greedyMaxCover(s, 2);
    expect(g.sites[0]).toBe(0);
    expect(g.covered).toBe(6.5);
    const e = exactMaxCover(s, 2, solve);
    expect(e.status).toBe('Optimal');
    expect(e.sites).toEqual([1, 2]);
    expect(e.covered).toBe(8);
    expect(g.upperBound).toBeGreaterThanOrEqual(e.covered);
    expect(g.covered).toBeGreaterThanOrEqual(GREEDY_GUARANTEE * e.covered);
  });

  it('on random small instances: exact ≥ greedy ≥ (1 − 1/e)·exact, and exact ≤ greedy’s upper bound', () => {
    const instance = fc.record({
      lists: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 29 }), { maxLength: 10 }), { minLength: 1, maxLength: 14 }),
      weight: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 30, maxLength: 30 }),
      count: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(instance, ({ lists, weight, count }) => {
        const s = sets(lists, weight);
        const g = greedyMaxCover(s, count);
        const e = exactMaxCover(s, count, solve);
        expect(e.status).toBe('Optimal');
        expect(g.covered).toBe(coveredWeight(s, g.sites));
        expect(e.covered).toBeGreaterThanOrEqual(g.covered - 1e-9);
        expect(g.covered).toBeGreaterThanOrEqual(g.guaranteeFactor * e.covered - 1e-9);
        expect(g.upperBound).toBeGreaterThanOrEqual(e.covered - 1e-9);
        expect(e.sites.length).toBeLessThanOrEqual(count);
      }),
      { numRuns: 60 },
    );
  });
});

describe('cover sets from layers', () => {
  const p = new LocalProjection(114.3, 35.75);
  const layer = (xy: [number, number][], weight?: number[]): PointLayer => ({
    datum: 'WGS84',
    lng: Float64Array.from(xy.map((q) => p.lng(q[0] / p.xScale(35.75)))),
    lat: Float64Array.from(xy.map((q) => p.lat(q[1]))),
    ...(weight ? { weight: Float64Array.from(weight) } : {}),
  });

  it('lists the uncovered demand within r of each candidate, leaving out what is already covered', () => {
    const demand = layer(
      [
        [0, 0],
        [400, 0],
        [0, 600],
        [2000, 0],
      ],
      [5, 6, 7, 8],
    );
    const candidates = layer([
      [0, 0],
      [2000, 100],
    ]);
    const s = buildCoverSets(demand, candidates, 500, Uint8Array.of(0, 1, 0, 0));
    expect([...s.members.subarray(s.offsets[0], s.offsets[1])]).toEqual([0]); // 400 m one already covered, 600 m too far
    expect([...s.members.subarray(s.offsets[1], s.offsets[2])]).toEqual([3]);
    const g = greedyMaxCover(s, 5);
    expect(g.sites).toEqual([1, 0]); // stops when nothing is left to gain
    expect(g.covered).toBe(13);
  });

  it('matches a brute-force cover-set on random points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 })), { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 })), { minLength: 1, maxLength: 20 }),
        (d, c) => {
          const s = buildCoverSets(layer(d), layer(c), 700);
          c.forEach((q, j) => {
            const expected = d.flatMap((pt, i) => (Math.hypot(pt[0] - q[0], pt[1] - q[1]) <= 700 * (1 - 1e-6) ? [i] : []));
            const got = [...s.members.subarray(s.offsets[j], s.offsets[j + 1])];
            for (const i of expected) expect(got).toContain(i);
            for (const i of got) expect(Math.hypot(d[i][0] - q[0], d[i][1] - q[1])).toBeLessThan(700 * 1.001);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('grids candidates inside a district only', () => {
    const qibin = readHebiDistricts().features.find((f) => f.properties.name === '淇滨区')!;
    const grid = candidateGrid(qibin, 1000);
    expect(grid.lng.length).toBeGreaterThan(200); // 淇滨区 is ~ 600 km²
    expect(grid.lng.length).toBeLessThan(1000);
    expect(() => candidateGrid(qibin, 10)).toThrow(RangeError);
  });
});
