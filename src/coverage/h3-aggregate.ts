/**
 * Uncovered population per H3 cell — the data behind a later "where the gaps are" heat layer.
 * Cells are H3 (Uber's hexagonal grid) indexes of the canonical WGS-84 coordinates; a GCJ-02 map
 * must convert the cell boundaries it draws (datum.convert.ts).
 */
import { latLngToCell } from 'h3-js';
import type { PointLayer } from './coverage.types.ts';

/** One H3 cell's totals. */
export interface H3CellCoverage {
  cell: string;
  population: number;
  uncoveredPopulation: number;
  points: number;
}

/**
 * Sums population and uncovered population of demand points per H3 cell at `resolution`
 * (0–15; 9 ≈ 0.1 km² cells). Cells without uncovered population are kept (they show "served").
 * Sorted by uncovered population, largest first, then by cell id.
 */
export function uncoveredPopulationByH3(
  demand: PointLayer,
  covered: Uint8Array,
  resolution: number,
  inArea?: ArrayLike<number>,
): H3CellCoverage[] {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) throw new RangeError('H3 resolution must be an integer 0–15');
  if (covered.length !== demand.lng.length) throw new RangeError('covered must have one flag per demand point');
  const byCell = new Map<string, H3CellCoverage>();
  for (let i = 0; i < demand.lng.length; i++) {
    if (inArea && !inArea[i]) continue;
    const cell = latLngToCell(demand.lat[i], demand.lng[i], resolution);
    const w = demand.weight ? demand.weight[i] : 1;
    let c = byCell.get(cell);
    if (!c) {
      c = { cell, population: 0, uncoveredPopulation: 0, points: 0 };
      byCell.set(cell, c);
    }
    c.population += w;
    c.points++;
    if (!covered[i]) c.uncoveredPopulation += w;
  }
  return [...byCell.values()].sort(
    (a, b) => b.uncoveredPopulation - a.uncoveredPopulation || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0),
  );
}
