/**
 * Coverage indicators as data: which facilities, which radius (by road class for toilets), which
 * demand layer, which method, which boundary, and the plan target it feeds. Persisting them is
 * the server's job (later); these are the pure types and the Hebi plan's standards.
 */
import type { CoverageMethod } from './coverage.compute.ts';

/** Facility types the Hebi plan sets radii for. */
export type FacilityType = 'public_toilet' | 'bus_stop' | 'primary_school' | 'middle_school' | 'green_space' | 'park';

/** Chinese names of the facility types. */
export const FACILITY_TYPE_NAMES: Record<FacilityType, string> = {
  public_toilet: '公共厕所',
  bus_stop: '公交站点',
  primary_school: '小学',
  middle_school: '中学',
  green_space: '绿地',
  park: '公园',
};

/** Road classes that set a toilet's radius. */
export type RoadClass = 'main_street' | 'ordinary_road' | 'riverside_park';

/** Chinese names of the road classes. */
export const ROAD_CLASS_NAMES: Record<RoadClass, string> = {
  main_street: '主要街道',
  ordinary_road: '一般道路',
  riverside_park: '沿河公园',
};

/** A radius: one number of metres, or one per road class (a facility's `roadClass` picks it). */
export type RadiusRule = { metres: number } | { byRoadClass: Record<RoadClass, number> };

/** Which boundary the indicator is computed within: the built-up area (建成区) or the whole district. */
export type BoundaryKind = 'built_up_area' | 'district';

/** The plan target an indicator feeds, e.g. 公交站点500米全覆盖 → ratio 1. */
export interface PlanTarget {
  /** As the plan words it. */
  label: string;
  /** Target ratio 0–1 (全覆盖 = 1). */
  ratio: number;
  comparator: '>=' | '>';
}

/** A coverage indicator. */
export interface CoverageIndicator {
  id: string;
  /** Chinese name, e.g. 公交站点500米覆盖率. */
  name: string;
  facilityTypes: FacilityType[];
  radius: RadiusRule;
  /** The demand layer's id (e.g. 'population'). */
  demandLayer: string;
  /** The method whose ratio is compared with the target (all three are computed beside it). */
  method: CoverageMethod;
  boundary: BoundaryKind;
  target: PlanTarget;
}

/**
 * The Hebi plan's service-radius standards as indicators. The plan names the radii; the target
 * ratios of the schools and toilets are not stated there, so 全覆盖 (100 %) is assumed and said so
 * in the label's source note — an office edits them when the server stores indicators.
 */
export const HEBI_PLAN_INDICATORS: readonly CoverageIndicator[] = [
  {
    id: 'bus-stop-500',
    name: '公交站点500米覆盖率',
    facilityTypes: ['bus_stop'],
    radius: { metres: 500 },
    demandLayer: 'population',
    method: 'population',
    boundary: 'built_up_area',
    target: { label: '公交站点500米全覆盖', ratio: 1, comparator: '>=' },
  },
  {
    id: 'public-toilet-by-road',
    name: '公共厕所服务半径覆盖率',
    facilityTypes: ['public_toilet'],
    radius: { byRoadClass: { main_street: 300, ordinary_road: 500, riverside_park: 800 } },
    demandLayer: 'population',
    method: 'population',
    boundary: 'built_up_area',
    target: { label: '公厕主要街道300米、一般道路500米、沿河公园800米服务半径全覆盖（目标比例为假定）', ratio: 1, comparator: '>=' },
  },
  {
    id: 'primary-school-500',
    name: '小学500米服务半径覆盖率',
    facilityTypes: ['primary_school'],
    radius: { metres: 500 },
    demandLayer: 'population',
    method: 'population',
    boundary: 'built_up_area',
    target: { label: '小学服务半径500米（目标比例为假定）', ratio: 1, comparator: '>=' },
  },
  {
    id: 'middle-school-1000',
    name: '中学1000米服务半径覆盖率',
    facilityTypes: ['middle_school'],
    radius: { metres: 1000 },
    demandLayer: 'population',
    method: 'population',
    boundary: 'built_up_area',
    target: { label: '中学服务半径1000米（目标比例为假定）', ratio: 1, comparator: '>=' },
  },
  {
    id: 'green-300',
    name: '300米见绿',
    facilityTypes: ['green_space', 'park'],
    radius: { metres: 300 },
    demandLayer: 'population',
    method: 'population',
    boundary: 'built_up_area',
    target: { label: '300米见绿', ratio: 1, comparator: '>=' },
  },
  {
    id: 'park-500',
    name: '500米见园',
    facilityTypes: ['park'],
    radius: { metres: 500 },
    demandLayer: 'population',
    method: 'population',
    boundary: 'built_up_area',
    target: { label: '500米见园', ratio: 1, comparator: '>=' },
  },
];
