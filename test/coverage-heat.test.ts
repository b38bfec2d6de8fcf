/**
 * The gap map's heat layer: uncovered population per H3 cell (resolution 8), with outlines.
 */
import { cellToLatLng, getResolution, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import type { PointLayer } from '../src/coverage/coverage.types.ts';
import { HEAT_RESOLUTION, heatCells } from '../src/server/modules/coverage/coverage-heat.rule.ts';

describe('heatCells', () => {
  // Two points in one cell (one covered), one point in a cell ~3 km away (uncovered).
  const a = { lng: 114.3, lat: 35.75 };
  const demand: PointLayer = {
    datum: 'WGS84',
    lng: Float64Array.from([a.lng, a.lng + 0.0001, a.lng + 0.03]),
    lat: Float64Array.from([a.lat, a.lat, a.lat]),
    weight: Float64Array.from([100, 250, 40]),
  } as PointLayer;

  it('sums population and uncovered population per resolution-8 cell, largest gap first', () => {
    const cells = heatCells(demand, Uint8Array.from([1, 0, 0]));
    expect(HEAT_RESOLUTION).toBe(8);
    expect(cells).toHaveLength(2);
    const first = latLngToCell(a.lat, a.lng, 8);
    const far = latLngToCell(a.lat, a.lng + 0.03, 8);
    expect(latLngToCell(a.lat, a.lng + 0.0001, 8)).toBe(first);
    expect(cells.map((c) => [c.cell, c.population, c.uncoveredPopulation])).toEqual([
      [first, 350, 250],
      [far, 40, 40],
    ]);
    for (const c of cells) expect(getResolution(c.cell)).toBe(8);
  });

  it('gives each cell a closed [lng, lat] outline around its centre', () => {
    const [cell] = heatCells(demand, Uint8Array.from([0, 0, 0]));
    const [lat, lng] = cellToLatLng(cell.cell);
    // A hexagon (or pentagon) closed on its first vertex, in GeoJSON order.
    expect(cell.boundary.length).toBeGreaterThanOrEqual(6);
    expect(cell.boundary[0]).toEqual(cell.boundary[cell.boundary.length - 1]);
    for (const [x, y] of cell.boundary) {
      expect(Math.abs(x - lng)).toBeLessThan(0.01);
      expect(Math.abs(y - lat)).toBeLessThan(0.01);
    }
  });

  it('a fully covered cell stays, at zero uncovered (it shows "served")', () => {
    const cells = heatCells(demand, Uint8Array.from([1, 1, 1]));
    expect(cells.map((c) => c.uncoveredPopulation)).toEqual([0, 0]);
  });
});
