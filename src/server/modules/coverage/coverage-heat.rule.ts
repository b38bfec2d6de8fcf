/**
 * The gap map's heat layer: uncovered population per H3 hexagon, with each hexagon's outline so
 * the web draws it without h3-js. Resolution 8 (≈ 0.74 km², edge ≈ 460 m) is the district scale:
 * a cell is about one service radius across (300–500 m standards), so a red hexagon is "one more
 * facility here" and a county of 1,000 km² has at most ~1,400 cells to draw.
 */
import { cellToBoundary } from 'h3-js';
import type { PointLayer } from '../../../coverage/coverage.types.ts';
import { uncoveredPopulationByH3 } from '../../../coverage/h3-aggregate.ts';
import type { AnalysisMap } from '../../../shared/schemas/coverage.schema.ts';

/** The H3 resolution of the gap map's heat layer. */
export const HEAT_RESOLUTION = 8;

/**
 * Heat cells of a demand layer: only cells holding demand points (a cell without residents has
 * nothing to say), each with its WGS-84 outline as [lng, lat] rings rounded to 1e-6°.
 */
export function heatCells(demand: PointLayer, covered: Uint8Array, resolution = HEAT_RESOLUTION): AnalysisMap['heat'] {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return uncoveredPopulationByH3(demand, covered, resolution).map((c) => ({
    cell: c.cell,
    population: c.population,
    uncoveredPopulation: c.uncoveredPopulation,
    // GeoJSON order ([lng, lat]) and closed, as echarts' polygon expects.
    boundary: cellToBoundary(c.cell, true).map(([lng, lat]) => [round(lng), round(lat)] as [number, number]),
  }));
}
