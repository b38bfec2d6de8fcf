/**
 * Coverage analysis runs: a standard × a facility layer × a demand layer within the district
 * boundaries, the three methods side by side per district (buffer area clipped to the district,
 * demand-point count, population weight), persisted as an indicator value per district and method
 * (audited). Also the gap map's data and the site suggestion (greedy beside the exact MILP).
 */
import { locateInAreas } from '../../../coverage/area-locator.ts';
import { compareCoverageMethods, coveredMask } from '../../../coverage/coverage.compute.ts';
import { CANONICAL_DATUM, type PointLayer } from '../../../coverage/coverage.types.ts';
import {
  buildCoverSets,
  type CoverSets,
  candidateGrid,
  exactMaxCover,
  GREEDY_GUARANTEE,
  greedyMaxCover,
  type HighsSolve,
} from '../../../coverage/site-suggestion.solver.ts';
import type { z } from 'zod';
import type {
  AnalysisMap,
  CoverageAnalysis,
  CoverageLayer,
  CoverageMethod,
  CoverageStandard,
  DistrictResult,
  RunAnalysisBody,
  SuggestionBody,
  SuggestionResult,
} from '../../../shared/schemas/coverage.schema.ts';
import { COVERAGE_METHODS } from '../../../shared/schemas/coverage.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import { assertCanManageCoverage, assertCoverageInScope, coverageInScope } from './coverage.policy.ts';
import {
  findAnalysisRow,
  insertAnalysisRow,
  insertValueRows,
  listAnalysisSummaries,
  listFeatureRows,
  listOverallValues,
  listValueRows,
} from './coverage.repository.ts';
import { HEAT_RESOLUTION, heatCells } from './coverage-heat.rule.ts';
import { getLayer } from './coverage-layers.service.ts';
import { getStandard } from './coverage-standards.service.ts';
import { districtBoundaries } from './district-boundaries.lookup.ts';

/** Raster cell of the buffer-area method, metres (the library default): a district of 1,000 km² is 1.6 million cells. */
const BUFFER_CELL_M = 25;
/** The district key of the all-districts row in coverage_values. */
const ALL = '';

interface LoadedInputs {
  standard: CoverageStandard;
  facilityLayer: CoverageLayer;
  demandLayer: CoverageLayer;
  facilities: PointLayer;
  demand: PointLayer;
}

/** The radius of one facility under a standard: by its road class where the standard sets one. */
export function radiusOf(standard: Pick<CoverageStandard, 'radiusM' | 'radiusByRoadClass'>, roadClass: string | null): number {
  if (roadClass && standard.radiusByRoadClass) {
    const r = standard.radiusByRoadClass[roadClass as keyof NonNullable<CoverageStandard['radiusByRoadClass']>];
    if (r !== undefined) return r;
  }
  return standard.radiusM;
}

async function loadInputs(db: DbOrTrx, standard: CoverageStandard, facilityLayerId: string, demandLayerId: string): Promise<LoadedInputs> {
  const facilityLayer = await getLayer(db, facilityLayerId);
  const demandLayer = await getLayer(db, demandLayerId);
  const f = await listFeatureRows(db, facilityLayerId);
  const d = await listFeatureRows(db, demandLayerId);
  const facilities: PointLayer = {
    datum: CANONICAL_DATUM,
    lng: Float64Array.from(f, (r) => Number(r.lng)),
    lat: Float64Array.from(f, (r) => Number(r.lat)),
    radius: Float64Array.from(f, (r) => radiusOf(standard, r.road_class)),
  };
  const demand: PointLayer = {
    datum: CANONICAL_DATUM,
    lng: Float64Array.from(d, (r) => Number(r.lng)),
    lat: Float64Array.from(d, (r) => Number(r.lat)),
    weight: Float64Array.from(d, (r) => (r.weight === null ? 1 : Number(r.weight))),
  };
  return { standard, facilityLayer, demandLayer, facilities, demand };
}

interface ComputedValue {
  district: string;
  method: CoverageMethod;
  covered: number;
  total: number;
  ratio: number | null;
  errorBound: number | null;
  uncoveredWeight: number;
}

/** The three methods per district and for all districts together (pure, on loaded inputs). */
function compute(inputs: LoadedInputs): { values: ComputedValue[]; demandOutside: number; covered: Uint8Array; where: Int32Array } {
  const districts = districtBoundaries().features;
  const covered = coveredMask(inputs.demand, inputs.facilities);
  const where = locateInAreas(inputs.demand, districts);
  const values: ComputedValue[] = [];
  const sums = new Map<CoverageMethod, { covered: number; total: number; wrong: number; hasBound: boolean }>();
  let uncoveredAll = 0;
  districts.forEach((boundary, d) => {
    const inBoundary = new Uint8Array(where.length);
    for (let i = 0; i < where.length; i++) inBoundary[i] = where[i] === d ? 1 : 0;
    const results = compareCoverageMethods({
      demand: inputs.demand,
      facilities: inputs.facilities,
      boundary,
      inBoundary,
      covered,
      cellSize: BUFFER_CELL_M,
    });
    const pop = results.find((r) => r.method === 'population')!;
    const uncoveredWeight = pop.total - pop.covered;
    uncoveredAll += uncoveredWeight;
    for (const r of results) {
      values.push({
        district: boundary.properties.name,
        method: r.method,
        covered: r.covered,
        total: r.total,
        ratio: Number.isFinite(r.ratio) ? r.ratio : null,
        errorBound: r.errorBound !== undefined && Number.isFinite(r.errorBound) ? r.errorBound : null,
        uncoveredWeight,
      });
      const s = sums.get(r.method) ?? { covered: 0, total: 0, wrong: 0, hasBound: false };
      s.covered += r.covered;
      s.total += r.total;
      if (r.errorBound !== undefined && Number.isFinite(r.errorBound)) {
        s.wrong += r.errorBound * r.total;
        s.hasBound = true;
      }
      sums.set(r.method, s);
    }
  });
  for (const method of COVERAGE_METHODS) {
    const s = sums.get(method) ?? { covered: 0, total: 0, wrong: 0, hasBound: false };
    values.push({
      district: ALL,
      method,
      covered: s.covered,
      total: s.total,
      ratio: s.total > 0 ? s.covered / s.total : null,
      errorBound: s.hasBound && s.total > 0 ? Math.min(1, s.wrong / s.total) : null,
      uncoveredWeight: uncoveredAll,
    });
  }
  let demandOutside = 0;
  for (let i = 0; i < where.length; i++) if (where[i] < 0) demandOutside++;
  return { values, demandOutside, covered, where };
}

/**
 * Runs an analysis and stores it (audited): 422 when a layer has the wrong role or the facility
 * layer's kind is not the standard's.
 */
export async function runAnalysis(db: Db, body: z.output<typeof RunAnalysisBody>, actor: Actor): Promise<CoverageAnalysis> {
  const id = await writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    const standard = await getStandard(trx, body.standardId);
    // Both layers must be the caller's own tenant's (404 another city's, 403 a city's seen from the province).
    await getLayer(trx, body.facilityLayerId, actor, 'write');
    await getLayer(trx, body.demandLayerId, actor, 'write');
    const inputs = await loadInputs(trx, standard, body.facilityLayerId, body.demandLayerId);
    if (inputs.facilityLayer.role !== 'facility') throw new AppError('unprocessable', `「${inputs.facilityLayer.name}」不是设施图层`);
    if (inputs.demandLayer.role !== 'demand') throw new AppError('unprocessable', `「${inputs.demandLayer.name}」不是需求图层`);
    if (inputs.facilityLayer.kind !== standard.facilityKind) {
      throw new AppError(
        'unprocessable',
        `设施图层的类别「${inputs.facilityLayer.kind}」与覆盖标准的设施类别「${standard.facilityKind}」不一致`,
      );
    }
    const { values, demandOutside } = compute(inputs);
    const id = newSortableId();
    const createdAt = new Date().toISOString();
    await insertAnalysisRow(trx, {
      id,
      standard_id: standard.id,
      facility_layer_id: inputs.facilityLayer.id,
      demand_layer_id: inputs.demandLayer.id,
      standard_json: JSON.stringify(standard),
      demand_outside: demandOutside,
      created_by: actor.userId,
      created_at: createdAt,
    });
    await insertValueRows(
      trx,
      values.map((v) => ({
        analysis_id: id,
        district: v.district,
        method: v.method,
        covered: v.covered,
        total: v.total,
        ratio: v.ratio,
        error_bound: v.errorBound,
        uncovered_weight: v.uncoveredWeight,
      })),
    );
    const headline = values.find((v) => v.district === ALL && v.method === standard.method);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_analysis.run',
      entityType: 'coverage_analysis',
      entityId: id,
      after: {
        standard: {
          id: standard.id,
          name: standard.name,
          version: standard.version,
          radiusM: standard.radiusM,
          radiusByRoadClass: standard.radiusByRoadClass,
          method: standard.method,
        },
        facilityLayer: {
          id: inputs.facilityLayer.id,
          name: inputs.facilityLayer.name,
          asOf: inputs.facilityLayer.asOf,
          featureCount: inputs.facilityLayer.featureCount,
        },
        demandLayer: {
          id: inputs.demandLayer.id,
          name: inputs.demandLayer.name,
          asOf: inputs.demandLayer.asOf,
          featureCount: inputs.demandLayer.featureCount,
        },
        overall: headline?.ratio ?? null,
      },
    });
    return id;
  });
  return getAnalysis(db, id);
}

/** The analyses, newest first, with the overall value of each one's headline method; with `actor`, those of the tenants they read. */
export async function listAnalyses(db: DbOrTrx, actor?: Actor) {
  const all = await listAnalysisSummaries(db);
  const rows = actor ? await coverageInScope(db, actor, all) : all;
  const overall = await listOverallValues(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => {
      const method = (JSON.parse(r.standard_json) as CoverageStandard).method;
      const v = overall.find((o) => o.analysis_id === r.id && o.method === method);
      return {
        id: r.id,
        standardName: r.standard_name,
        facilityLayerName: r.facility_name,
        demandLayerName: r.demand_name,
        method,
        overallRatio: v?.ratio === null || v?.ratio === undefined ? null : Number(v.ratio),
        createdAt: r.created_at,
      };
    }),
  };
}

/** One analysis with its districts' three methods, or 404. */
export async function getAnalysis(db: DbOrTrx, id: string, actor?: Actor): Promise<CoverageAnalysis> {
  const row = await findAnalysisRow(db, id);
  if (!row) throw new AppError('not_found', '分析不存在');
  if (actor) await assertCoverageInScope(db, actor, row, 'read', '分析不存在');
  const standard = JSON.parse(row.standard_json) as CoverageStandard;
  const values = await listValueRows(db, id);
  const order = districtBoundaries().features.map((f) => f.properties.name);
  const district = (name: string): DistrictResult => {
    const mine = values.filter((v) => v.district === name);
    const methods = COVERAGE_METHODS.map((m) => {
      const v = mine.find((x) => x.method === m);
      return {
        method: m,
        covered: Number(v?.covered ?? 0),
        total: Number(v?.total ?? 0),
        ratio: v?.ratio === null || v?.ratio === undefined ? null : Number(v.ratio),
        errorBound: v?.error_bound === null || v?.error_bound === undefined ? null : Number(v.error_bound),
      };
    });
    const headline = methods.find((m) => m.method === standard.method)!;
    return {
      district: name,
      methods,
      uncoveredWeight: Number(mine[0]?.uncovered_weight ?? 0),
      meetsTarget: headline.ratio !== null && headline.ratio >= standard.targetRatio - 1e-12,
    };
  };
  const names = [...new Set(values.map((v) => v.district).filter((d) => d !== ALL))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return {
    id: row.id,
    standard,
    facilityLayer: await getLayer(db, row.facility_layer_id),
    demandLayer: await getLayer(db, row.demand_layer_id),
    districts: names.map(district),
    overall: district(ALL),
    demandOutside: Number(row.demand_outside),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

async function inputsOf(db: DbOrTrx, analysisId: string, actor?: Actor): Promise<LoadedInputs> {
  const row = await findAnalysisRow(db, analysisId);
  if (!row) throw new AppError('not_found', '分析不存在');
  if (actor) await assertCoverageInScope(db, actor, row, 'read', '分析不存在');
  // Layers are immutable, and the standard is the snapshot taken at the run: the same inputs again.
  return loadInputs(db, JSON.parse(row.standard_json) as CoverageStandard, row.facility_layer_id, row.demand_layer_id);
}

/** What the gap map draws for an analysis: outlines, facilities with radius, demand covered or not. */
export async function getAnalysisMap(db: DbOrTrx, analysisId: string, actor?: Actor): Promise<AnalysisMap> {
  const inputs = await inputsOf(db, analysisId, actor);
  const covered = coveredMask(inputs.demand, inputs.facilities);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    districts: districtOutlines(),
    facilities: Array.from(
      inputs.facilities.lng,
      (lng, j) => [round(lng), round(inputs.facilities.lat[j]), inputs.facilities.radius![j]] as [number, number, number],
    ),
    demand: Array.from(
      inputs.demand.lng,
      (lng, i) => [round(lng), round(inputs.demand.lat[i]), inputs.demand.weight![i], covered[i]] as [number, number, number, number],
    ),
    heatResolution: HEAT_RESOLUTION,
    heat: heatCells(inputs.demand, covered),
  };
}

/** The district outlines (WGS-84) the analyses are computed within. */
export function districtOutlines(): AnalysisMap['districts'] {
  return districtBoundaries().features.map((f) => ({
    name: f.properties.name,
    geometry: f.geometry as AnalysisMap['districts'][number]['geometry'],
  }));
}

let highs: Promise<HighsSolve> | undefined;
async function highsSolve(): Promise<HighsSolve> {
  highs ??= import('highs').then(async (m) => {
    const instance = await m.default();
    return instance.solve.bind(instance) as unknown as HighsSolve;
  });
  return highs;
}

/** Candidates the grid may yield before the caller is asked for a coarser spacing. */
const MAX_CANDIDATES = 40_000;
/** The exact MILP runs on this many candidates (largest single gains, greedy's picks included). */
const EXACT_CANDIDATES = 60;
const EXACT_TIME_LIMIT_S = 10;

/** The cover sets restricted to some candidates (indices into `keep` become the new candidate ids). */
function restrict(sets: CoverSets, keep: number[]): CoverSets {
  const offsets = new Int32Array(keep.length + 1);
  const parts: Int32Array[] = [];
  keep.forEach((j, k) => {
    const part = sets.members.subarray(sets.offsets[j], sets.offsets[j + 1]);
    parts.push(part);
    offsets[k + 1] = offsets[k] + part.length;
  });
  const members = new Int32Array(offsets[keep.length]);
  parts.forEach((p, k) => {
    members.set(p, offsets[k]);
  });
  return { candidateCount: keep.length, demandCount: sets.demandCount, offsets, members, weight: sets.weight };
}

/**
 * Suggests `count` new sites in a district that cover the most residents the analysis left
 * uncovered (maximal covering location, radius = the standard's radius): lazy greedy over a grid of
 * candidates, with its guarantee and per-instance bound, beside the exact MILP (HiGHS) on the
 * candidates of largest single gain. Read-only: nothing is stored.
 */
export async function suggestSites(
  db: DbOrTrx,
  analysisId: string,
  body: z.output<typeof SuggestionBody>,
  actor?: Actor,
): Promise<SuggestionResult> {
  const inputs = await inputsOf(db, analysisId, actor);
  const features = districtBoundaries().features;
  const d = features.findIndex((f) => f.properties.name === body.district);
  if (d < 0) throw new AppError('unprocessable', `没有名为「${body.district}」的区县`);
  const covered = coveredMask(inputs.demand, inputs.facilities);
  const where = locateInAreas(inputs.demand, features);
  // Only the district's uncovered residents count toward a new site.
  const ignore = new Uint8Array(where.length);
  let uncoveredBefore = 0;
  for (let i = 0; i < where.length; i++) {
    ignore[i] = covered[i] || where[i] !== d ? 1 : 0;
    if (!ignore[i]) uncoveredBefore += inputs.demand.weight![i];
  }
  let candidates: PointLayer;
  try {
    candidates = candidateGrid(features[d], body.gridSpacing);
  } catch (err) {
    throw new AppError('unprocessable', `候选网格无法生成：${(err as Error).message}`);
  }
  if (candidates.lng.length > MAX_CANDIDATES)
    throw new AppError('unprocessable', `候选点过多（${candidates.lng.length} 个）：请增大网格间距`);
  const radius = inputs.standard.radiusM;
  const started = performance.now();
  const sets = buildCoverSets(inputs.demand, candidates, radius, ignore);
  const greedy = greedyMaxCover(sets, body.count);
  const greedyMs = performance.now() - started;

  const single = Array.from({ length: sets.candidateCount }, (_, j) => {
    let g = 0;
    for (let k = sets.offsets[j]; k < sets.offsets[j + 1]; k++) g += sets.weight[sets.members[k]];
    return { j, g };
  });
  single.sort((a, b) => b.g - a.g || a.j - b.j);
  const keep = [
    ...new Set([
      ...greedy.sites,
      ...single
        .filter((s) => s.g > 0)
        .slice(0, EXACT_CANDIDATES)
        .map((s) => s.j),
    ]),
  ].sort((a, b) => a - b);
  const reduced = restrict(sets, keep);
  const exactStarted = performance.now();
  let exact: { sites: number[]; covered: number; status: string };
  try {
    exact = exactMaxCover(reduced, body.count, await highsSolve(), { timeLimit: EXACT_TIME_LIMIT_S });
  } catch (err) {
    // A failed WebAssembly solve can leave the module unusable: load a fresh one next time.
    highs = undefined;
    exact = { sites: [], covered: 0, status: `failed: ${(err as Error).message}`.slice(0, 200) };
  }
  const exactMs = performance.now() - exactStarted;
  const site = (j: number, gain: number) => ({ lng: candidates.lng[j], lat: candidates.lat[j], gain });
  const exactGain = (sites: number[]) => {
    const seen = new Uint8Array(reduced.demandCount);
    return sites.map((k) => {
      let g = 0;
      for (let m = reduced.offsets[k]; m < reduced.offsets[k + 1]; m++) {
        const i = reduced.members[m];
        if (!seen[i]) {
          seen[i] = 1;
          g += reduced.weight[i];
        }
      }
      return site(keep[k], g);
    });
  };
  return {
    district: body.district,
    radiusM: radius,
    candidateCount: sets.candidateCount,
    uncoveredBefore,
    greedy: {
      sites: greedy.sites.map((j, k) => site(j, greedy.gains[k])),
      covered: greedy.covered,
      upperBound: greedy.upperBound,
      guaranteeFactor: greedy.sites.length > 0 ? greedy.guaranteeFactor : GREEDY_GUARANTEE,
    },
    exact: {
      sites: exactGain(exact.sites),
      covered: exact.covered,
      status: exact.status,
      candidateCount: reduced.candidateCount,
      ms: exactMs,
    },
    greedyMs,
  };
}
