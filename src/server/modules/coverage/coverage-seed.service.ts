/**
 * The demo's coverage data: the SYNTHETIC layers shipped in samples/geo/synthetic/ (invented from a
 * fixed seed; see its README), the service-radius standards of the demo plan, and analyses of
 * two of them so the coverage screen shows something computed. Imported through the same import
 * as a user's file, so the demo proves the import path too. Called once from the demo seed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HEBI_GEO_DIR } from '../../../coverage/hebi-geo.node.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { todayInShanghai } from '../../../shared/china-date.ts';
import { listPlans } from '../plans/plans.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
import { runAnalysis } from './coverage-analysis.service.ts';
import { importLayer } from './coverage-layers.service.ts';
import { createStandard } from './coverage-standards.service.ts';
import { linkTarget } from './coverage-targets.service.ts';

const SYNTHETIC_DIR = path.join(HEBI_GEO_DIR, 'synthetic');

const LAYERS = [
  { key: 'population', file: 'population.geojson', name: '居住人口（合成数据）', role: 'demand', kind: '居住人口' },
  { key: 'toilets', file: 'public-toilets.geojson', name: '公厕（合成数据）', role: 'facility', kind: '公厕' },
  { key: 'busStops', file: 'bus-stops.geojson', name: '公交站点（合成数据）', role: 'facility', kind: '公交站点' },
  { key: 'primary', file: 'primary-schools.geojson', name: '小学（合成数据）', role: 'facility', kind: '小学' },
  { key: 'middle', file: 'middle-schools.geojson', name: '初中（合成数据）', role: 'facility', kind: '初中' },
  { key: 'green', file: 'green-spaces.geojson', name: '游园（合成数据）', role: 'facility', kind: '游园' },
] as const;

const STANDARDS = [
  {
    key: 'toilets',
    name: '公厕服务半径覆盖率',
    facilityKind: '公厕',
    radiusM: 500,
    radiusByRoadClass: { main_street: 300, ordinary_road: 500, riverside_park: 800 },
    note: '主要街道300米、一般道路500米、沿河公园800米；目标比例为假定的全覆盖',
  },
  {
    key: 'busStops',
    name: '公交站点500米覆盖率',
    facilityKind: '公交站点',
    radiusM: 500,
    radiusByRoadClass: null,
    note: '公交站点500米全覆盖',
  },
  {
    key: 'primary',
    name: '小学500米服务半径覆盖率',
    facilityKind: '小学',
    radiusM: 500,
    radiusByRoadClass: null,
    note: '目标比例为假定的全覆盖',
  },
  {
    key: 'middle',
    name: '初中1000米服务半径覆盖率',
    facilityKind: '初中',
    radiusM: 1000,
    radiusByRoadClass: null,
    note: '目标比例为假定的全覆盖',
  },
  { key: 'green', name: '300米见绿', facilityKind: '游园', radiusM: 300, radiusByRoadClass: null, note: '300米见绿' },
] as const;

/** Loads the synthetic layers, the standards and two analyses (toilets, bus stops) as `actor` (the demo admin). */
export async function seedCoverageDemo(db: Db, actor: Actor): Promise<void> {
  const layerIds = new Map<string, string>();
  for (const l of LAYERS) {
    const bytes = await readFile(path.join(SYNTHETIC_DIR, l.file));
    const res = await importLayer(
      db,
      { bytes, filename: l.file },
      { name: l.name, role: l.role, kind: l.kind, datum: 'WGS84', asOf: '2018-01-01', dryRun: '0' },
      actor,
    );
    layerIds.set(l.key, res.layer!.id);
  }
  const standardIds = new Map<string, string>();
  for (const s of STANDARDS) {
    const { key, ...body } = s;
    const created = await createStandard(db, { ...body, method: 'population', targetRatio: 1 }, actor);
    standardIds.set(key, created.id);
  }
  for (const key of ['toilets', 'busStops']) {
    await runAnalysis(
      db,
      { standardId: standardIds.get(key)!, facilityLayerId: layerIds.get(key)!, demandLayerId: layerIds.get('population')! },
      actor,
    );
  }
  // The demo plan's "公交站点500米全覆盖" target, fed by the bus-stop indicator (all districts, by population).
  for (const plan of (await listPlans(db)).items) {
    const { items } = await listTasks(db, plan.id, { q: '公交站点', limit: 50, offset: 0 }, todayInShanghai());
    const target = items.flatMap((task) => task.targets).find((g) => g.metric.includes('公交站点'));
    if (target) await linkTarget(db, target.id, { standardId: standardIds.get('busStops')!, method: 'population', district: null }, actor);
  }
}
