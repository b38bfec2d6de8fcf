/**
 * The coverage module over the API, on both dialects: layer import (GeoJSON, CSV, xlsx) with a
 * row/column problem report and nothing saved on a bad row, hostile workbooks, an analysis checked
 * against a hand-computed case in one district, a plan target fed by the indicator, site
 * suggestion, and who may change what.
 */
import turfArea from '@turf/area';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { convertLngLat } from '../src/coverage/datum.convert.ts';
import { vincentyDistance } from '../src/coverage/geo-distance.ts';
import { readHebiDistricts } from '../src/coverage/hebi-geo.node.ts';
import type {
  CoverageAnalysis,
  CoverageLayer,
  CoverageStandard,
  LayerImportResult,
  SuggestionResult,
  TargetCoverageValue,
} from '../src/shared/schemas/coverage.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePlan, unique } from './helpers/factories.ts';
import { millionRowXlsx, lyingXlsxBomb } from './helpers/hostile-files.ts';
import { multipart } from './helpers/multipart.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// The hand-computed case lives in 淇县, around a point near its seat (WGS-84).
const districts = readHebiDistricts();
const QIXIAN = districts.features.find((f) => f.properties.name === '淇县')!;
const F: [number, number] = [114.2, 35.61];
// Metres → degrees near F (only used to place points; the distances are measured on the ellipsoid below).
const north = (m: number): [number, number] => [F[0], F[1] + m / 110_950];
const east = (m: number): [number, number] => [F[0] + m / (111_320 * Math.cos((F[1] * Math.PI) / 180)), F[1]];
const south = (m: number): [number, number] => [F[0], F[1] - m / 110_950];
const A = north(300); // weight 100, covered at 500 m and at 300 m
const B = east(450); // weight 300, covered at 500 m only
const C = south(800); // weight 600, uncovered

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('图层');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describeEachDialect('coverage: layers, analyses, targets fed by coverage', (ctx) => {
  const t = useTestApp(ctx);

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };
  const importFile = (c: TestClient, bytes: Buffer | string, filename: string, q: Record<string, string>) =>
    c.request({
      method: 'POST',
      url: `/api/coverage/layers/import?${new URLSearchParams({ name: `图层${unique()}`, datum: 'WGS84', ...q })}`,
      ...multipart(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'), filename),
    });
  const layerCount = async (c: TestClient) => ok<{ items: CoverageLayer[] }>(await c.get('/api/coverage/layers')).items.length;
  const makeStandard = async (c: TestClient, body: Partial<CoverageStandard> & { facilityKind: string; radiusM: number }) =>
    ok<CoverageStandard>(await c.post('/api/coverage/standards', { name: `标准${unique()}`, ...body }), 201);

  /** The hand-computed case: one facility at F, demand A, B, C; facility kind unique to the test. */
  async function handCase(c: TestClient, roadClass = '') {
    const kind = `测试设施${unique()}`;
    const fac = ok<LayerImportResult>(
      await importFile(c, `lng,lat,name,roadClass\n${F[0]},${F[1]},设施甲,${roadClass}\n`, 'f.csv', {
        role: 'facility',
        kind,
        dryRun: '0',
      }),
    );
    const demandCsv = `经度,纬度,人口\n${A.join(',')},100\n${B.join(',')},300\n${C.join(',')},600\n`;
    const dem = ok<LayerImportResult>(await importFile(c, demandCsv, 'd.csv', { role: 'demand', kind: '居住人口', dryRun: '0' }));
    return { kind, facilityLayerId: fac.layer!.id, demandLayerId: dem.layer!.id };
  }

  it('imports a CSV in GCJ-02: the dry run reports, the commit stores WGS-84 and the declared datum', async () => {
    const admin = await t().login('admin');
    const gcj = convertLngLat(F, 'WGS84', 'GCJ02');
    const csv = `名称,经度,纬度,道路等级\n站点一,${gcj[0]},${gcj[1]},主要街道\n站点二,114.3,35.7,一般道路\n`;
    const before = await layerCount(admin);
    const dry = ok<LayerImportResult>(await importFile(admin, csv, '站点.csv', { role: 'facility', kind: '公交站点', datum: 'GCJ02' }));
    expect(dry).toMatchObject({ dryRun: true, format: 'csv', featureCount: 2, problemCount: 0, layer: null });
    expect(await layerCount(admin)).toBe(before);
    const saved = ok<LayerImportResult>(
      await importFile(admin, csv, '站点.csv', { role: 'facility', kind: '公交站点', datum: 'GCJ02', dryRun: '0', asOf: '2026-06-30' }),
    );
    expect(saved.layer).toMatchObject({
      declaredDatum: 'GCJ02',
      featureCount: 2,
      format: 'csv',
      asOf: '2026-06-30',
      role: 'facility',
      kind: '公交站点',
    });
    const features = ok<{ items: Array<{ lng: number; lat: number; name: string; roadClass: string }> }>(
      await admin.get(`/api/coverage/layers/${saved.layer!.id}/features`),
    );
    expect(features.items[0]).toMatchObject({ name: '站点一', roadClass: 'main_street' });
    // Back at F within 0.5 m: GCJ-02 in, WGS-84 stored.
    expect(vincentyDistance(features.items[0].lng, features.items[0].lat, F[0], F[1])).toBeLessThan(0.5);
    expect(features.items[1].roadClass).toBe('ordinary_road');
  });

  it('imports GeoJSON and xlsx layers', async () => {
    const admin = await t().login('admin');
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '公厕1', roadClass: 'riverside_park' }, geometry: { type: 'Point', coordinates: F } },
        { type: 'Feature', properties: { name: '公厕2' }, geometry: { type: 'Point', coordinates: A } },
      ],
    });
    const g = ok<LayerImportResult>(await importFile(admin, geojson, '公厕.geojson', { role: 'facility', kind: '公厕', dryRun: '0' }));
    expect(g.layer).toMatchObject({ format: 'geojson', featureCount: 2, totalWeight: 2 });
    const book = await xlsx([
      ['lng', 'lat', 'population', 'name'],
      [A[0], A[1], 120, '小区甲'],
      [B[0], B[1], '80', '小区乙'],
    ]);
    const x = ok<LayerImportResult>(await importFile(admin, book, '人口.xlsx', { role: 'demand', kind: '居住人口', dryRun: '0' }));
    expect(x.layer).toMatchObject({ format: 'xlsx', featureCount: 2, totalWeight: 200, role: 'demand' });
  });

  it('reports bad rows by row and column and saves nothing, in CSV, xlsx and GeoJSON', async () => {
    const admin = await t().login('admin');
    const before = await layerCount(admin);
    const csv = 'lng,lat,population\n114.2,35.6,100\n114.2,abc,100\n,35.6,50\n114.2,35.6,-3\n35.6,114.2,10\n';
    const dry = ok<LayerImportResult>(await importFile(admin, csv, 'bad.csv', { role: 'demand', kind: '居住人口' }));
    expect(dry.featureCount).toBe(1);
    expect(dry.problems).toEqual([
      { row: 3, column: 'lat', message: '纬度不是数字：abc' },
      { row: 4, column: 'lng', message: '缺少经度' },
      { row: 5, column: 'population', message: '人口数应为不小于 0 的数字：-3' },
      { row: 6, column: 'lat', message: '纬度超出 −90～90：114.2' },
    ]);
    const commit = await importFile(admin, csv, 'bad.csv', { role: 'demand', kind: '居住人口', dryRun: '0' });
    expect(commit.statusCode).toBe(422);
    expect(commit.json()).toMatchObject({ code: 'layer_rows_invalid', problemCount: 4 });
    expect(commit.json().problems[0]).toEqual({ row: 3, column: 'lat', message: '纬度不是数字：abc' });

    const book = await xlsx([
      ['经度', '纬度', '道路等级'],
      [114.2, 35.6, '主要街道'],
      [114.2, 35.6, '高速公路'],
    ]);
    const x = await importFile(admin, book, '公厕.xlsx', { role: 'facility', kind: '公厕', dryRun: '0' });
    expect(x.statusCode).toBe(422);
    expect(x.json().problems).toEqual([{ row: 3, column: '道路等级', message: expect.stringContaining('高速公路') }]);

    const noHeader = ok<LayerImportResult>(await importFile(admin, 'x,y\n', 'h.csv', { role: 'demand', kind: '居住人口' }));
    expect(noHeader.problems.map((p) => p.message)).toEqual(['需求图层的表头缺少人口列（population 或 人口）']);
    const missingLat = ok<LayerImportResult>(await importFile(admin, 'lng,名称\n1,a\n', 'h.csv', { role: 'facility', kind: '公厕' }));
    expect(missingLat.problems).toEqual([{ row: 1, column: 'lat', message: '表头缺少纬度列（lat 或 纬度）' }]);

    const geo = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: F } },
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [F, A] } },
      ],
    });
    const g = ok<LayerImportResult>(await importFile(admin, geo, 'x.geojson', { role: 'facility', kind: '公厕' }));
    expect(g.problems).toEqual([{ row: 2, column: 'geometry', message: '几何应为 Point（[经度, 纬度]），实为 LineString' }]);
    // A file that names WGS-84, declared as GCJ-02 on import: refused, not shifted by 500 m.
    const named = JSON.stringify({
      type: 'FeatureCollection',
      datum: 'WGS84',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: F } }],
    });
    const d = ok<LayerImportResult>(await importFile(admin, named, 'n.geojson', { role: 'facility', kind: '公厕', datum: 'GCJ02' }));
    expect(d.problems).toEqual([{ row: 1, column: 'datum', message: '文件声明的坐标系为 WGS84，与导入时选择的 GCJ02 不一致' }]);
    expect(await layerCount(admin)).toBe(before);
  });

  it('refuses hostile files with 4xx: a zip bomb, a million-row sheet, a fake xlsx, broken JSON, an empty file', async () => {
    const admin = await t().login('admin');
    const q = { role: 'facility', kind: '公厕', dryRun: '0' };
    const bomb = await importFile(admin, lyingXlsxBomb(), 'bomb.xlsx', q);
    expect(bomb.statusCode).toBe(413);
    const rows = await importFile(admin, millionRowXlsx(), 'rows.xlsx', q);
    expect(rows.statusCode).toBe(413);
    expect(rows.json().code).toBe('too_many_rows');
    const fake = await importFile(admin, Buffer.from('not a zip at all'), 'fake.xlsx', q);
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe('not_xlsx');
    const json = await importFile(admin, '{"type":"FeatureCollection","features":[', 'x.geojson', q);
    expect(json.statusCode).toBe(422);
    const empty = await importFile(admin, Buffer.alloc(0), 'x.csv', q);
    expect(empty.statusCode).toBe(400);
    const badQuery = await admin.request({
      method: 'POST',
      url: '/api/coverage/layers/import?role=x&name=a&kind=b&datum=WGS84',
      ...multipart(Buffer.from('a'), 'a.csv'),
    });
    expect(badQuery.statusCode).toBe(400);
  });

  it('computes the three methods against a hand-computed case in one district', async () => {
    const admin = await t().login('admin');
    // The case as laid out: A and B within 500 m of F, C beyond.
    expect(vincentyDistance(F[0], F[1], A[0], A[1])).toBeCloseTo(300, -1);
    expect(vincentyDistance(F[0], F[1], B[0], B[1])).toBeGreaterThan(440);
    expect(vincentyDistance(F[0], F[1], B[0], B[1])).toBeLessThan(490);
    expect(vincentyDistance(F[0], F[1], C[0], C[1])).toBeGreaterThan(700);
    const c = await handCase(admin);
    const std = await makeStandard(admin, { facilityKind: c.kind, radiusM: 500 });
    const a = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', {
        standardId: std.id,
        facilityLayerId: c.facilityLayerId,
        demandLayerId: c.demandLayerId,
      }),
      201,
    );
    const qx = a.districts.find((d) => d.district === '淇县')!;
    const m = Object.fromEntries(qx.methods.map((x) => [x.method, x]));
    expect(m.population).toMatchObject({ covered: 400, total: 1000, ratio: 0.4 });
    expect(m.point_count).toMatchObject({ covered: 2, total: 3 });
    expect(m.point_count.ratio).toBeCloseTo(2 / 3, 12);
    // Buffer area: one 500 m circle wholly inside 淇县 over 淇县's area (the 64-gon is 0.16 % short of π r²).
    const expected = (Math.PI * 500 * 500) / turfArea(QIXIAN);
    expect(m.buffer_area.ratio!).toBeGreaterThan(expected * 0.995);
    expect(m.buffer_area.ratio!).toBeLessThan(expected * 1.001);
    expect(qx.uncoveredWeight).toBe(600);
    expect(qx.meetsTarget).toBe(false);
    // Other districts: no demand (ratio null), no circle (0 area).
    const other = a.districts.find((d) => d.district === '浚县')!;
    expect(other.methods.find((x) => x.method === 'population')!.ratio).toBeNull();
    expect(other.methods.find((x) => x.method === 'buffer_area')!.ratio).toBe(0);
    expect(a.overall.methods.find((x) => x.method === 'population')).toMatchObject({ covered: 400, total: 1000, ratio: 0.4 });
    expect(a.districts.map((d) => d.district)).toEqual(districts.features.map((f) => f.properties.name));
    // Stored: reading it back gives the same, and the run is audited.
    expect(ok<CoverageAnalysis>(await admin.get(`/api/coverage/analyses/${a.id}`))).toEqual(a);
    const audit = await t().db.selectFrom('audit_events').select(['action', 'actor_id']).where('entity_id', '=', a.id).execute();
    expect(audit).toEqual([{ action: 'coverage_analysis.run', actor_id: t().users.admin.user.id }]);
    // The gap map: C is the uncovered point.
    const map = ok<{
      demand: number[][];
      facilities: number[][];
      districts: unknown[];
      heatResolution: number;
      heat: { cell: string; population: number; uncoveredPopulation: number; boundary: number[][] }[];
    }>(await admin.get(`/api/coverage/analyses/${a.id}/map`));
    expect(map.demand.map((d) => d[3])).toEqual([1, 1, 0]);
    expect(map.facilities).toEqual([[F[0], F[1], 500]]);
    expect(map.districts).toHaveLength(5);
    // The heat layer: every resident in some H3 cell, the 600 uncovered ones in the first (largest gap).
    expect(map.heatResolution).toBe(8);
    expect(map.heat.reduce((s, c) => s + c.population, 0)).toBe(1000);
    expect(map.heat.reduce((s, c) => s + c.uncoveredPopulation, 0)).toBe(600);
    expect(map.heat[0].uncoveredPopulation).toBe(600);
    expect(map.heat[0].boundary.length).toBeGreaterThanOrEqual(7);

    // By road class: a main-street facility reaches 300 m, so B falls out.
    const byClass = await handCase(admin, 'main_street');
    const toilets = await makeStandard(admin, {
      facilityKind: byClass.kind,
      radiusM: 500,
      radiusByRoadClass: { main_street: 300, ordinary_road: 500, riverside_park: 800 },
    });
    const b = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', {
        standardId: toilets.id,
        facilityLayerId: byClass.facilityLayerId,
        demandLayerId: byClass.demandLayerId,
      }),
      201,
    );
    expect(b.districts.find((d) => d.district === '淇县')!.methods.find((x) => x.method === 'population')).toMatchObject({
      covered: 100,
      ratio: 0.1,
    });

    // A facility layer of another kind is refused.
    const wrong = await admin.post('/api/coverage/analyses', {
      standardId: toilets.id,
      facilityLayerId: c.facilityLayerId,
      demandLayerId: c.demandLayerId,
    });
    expect(wrong.statusCode).toBe(422);
    const swapped = await admin.post('/api/coverage/analyses', {
      standardId: std.id,
      facilityLayerId: c.demandLayerId,
      demandLayerId: c.facilityLayerId,
    });
    expect(swapped.statusCode).toBe(422);
  });

  it('feeds a plan target from the latest analysis, with its method', async () => {
    const admin = await t().login('admin');
    const plan = await makePlan(t(), { tasks: [{ text: '公厕建设', targets: [{ metric: '公厕服务半径覆盖率', unit: '%', value: 100 }] }] });
    const targetId = plan.tasks[0].targetIds[0];
    const c = await handCase(admin);
    const std = await makeStandard(admin, { facilityKind: c.kind, radiusM: 500 });
    expect((await admin.get(`/api/coverage/targets/${targetId}`)).statusCode).toBe(404);
    const linked = ok<TargetCoverageValue>(await admin.put(`/api/coverage/targets/${targetId}`, { standardId: std.id, district: '淇县' }));
    expect(linked).toMatchObject({ method: 'population', district: '淇县', latest: null });
    const run = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', {
        standardId: std.id,
        facilityLayerId: c.facilityLayerId,
        demandLayerId: c.demandLayerId,
      }),
      201,
    );
    const fed = ok<TargetCoverageValue>(await (await t().login('leader')).get(`/api/coverage/targets/${targetId}`));
    expect(fed).toMatchObject({ standardName: std.name, method: 'population', latest: { analysisId: run.id, ratio: 0.4, percent: 40 } });
    // The same indicator by point count: 2 of 3 points.
    ok(await admin.put(`/api/coverage/targets/${targetId}`, { standardId: std.id, district: '淇县', method: 'point_count' }));
    expect(ok<TargetCoverageValue>(await admin.get(`/api/coverage/targets/${targetId}`)).latest!.percent).toBe(66.7);
    expect(ok<{ items: TargetCoverageValue[] }>(await admin.get('/api/coverage/targets')).items.some((i) => i.targetId === targetId)).toBe(
      true,
    );
    // A later run with more facilities feeds the new value.
    const more = ok<LayerImportResult>(
      await importFile(admin, `lng,lat\n${F[0]},${F[1]}\n${C[0]},${C[1]}\n`, 'f2.csv', { role: 'facility', kind: c.kind, dryRun: '0' }),
    );
    const run2 = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', { standardId: std.id, facilityLayerId: more.layer!.id, demandLayerId: c.demandLayerId }),
      201,
    );
    expect(ok<TargetCoverageValue>(await admin.get(`/api/coverage/targets/${targetId}`)).latest).toMatchObject({
      analysisId: run2.id,
      percent: 100,
    });
    const audit = await t()
      .db.selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', targetId)
      .where('entity_type', '=', 'coverage_target_link')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['coverage_target_link.put', 'coverage_target_link.put']);
    expect((await admin.put(`/api/coverage/targets/${targetId}`, { standardId: std.id, district: '不存在区' })).statusCode).toBe(422);
    expect((await admin.put(`/api/coverage/targets/00000000-0000-4000-8000-000000000000`, { standardId: std.id })).statusCode).toBe(404);
    ok(await admin.delete(`/api/coverage/targets/${targetId}`));
    expect((await admin.get(`/api/coverage/targets/${targetId}`)).statusCode).toBe(404);
  });

  it('suggests sites: greedy and the exact MILP both cover the uncovered point', async () => {
    const admin = await t().login('admin');
    const c = await handCase(admin);
    const std = await makeStandard(admin, { facilityKind: c.kind, radiusM: 500 });
    const a = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', {
        standardId: std.id,
        facilityLayerId: c.facilityLayerId,
        demandLayerId: c.demandLayerId,
      }),
      201,
    );
    const s = ok<SuggestionResult>(
      await (await t().login('leader')).post(`/api/coverage/analyses/${a.id}/suggestions`, {
        district: '淇县',
        count: 1,
        gridSpacing: 200,
      }),
    );
    expect(s.uncoveredBefore).toBe(600);
    expect(s.greedy.covered).toBe(600);
    expect(s.exact).toMatchObject({ covered: 600, status: 'Optimal' });
    const site = s.greedy.sites[0];
    expect(vincentyDistance(site.lng, site.lat, C[0], C[1])).toBeLessThanOrEqual(500);
    expect(s.greedy.upperBound).toBeGreaterThanOrEqual(s.exact.covered);
    expect((await admin.post(`/api/coverage/analyses/${a.id}/suggestions`, { district: '无此区', count: 1 })).statusCode).toBe(422);
  });

  it('only the office changes coverage data; every signed-in role reads it', async () => {
    const unit = await t().login('unit');
    const lead = await t().login('lead');
    const leader = await t().login('leader');
    const admin = await t().login('admin');
    const before = await layerCount(admin);
    for (const c of [unit, lead, leader]) {
      const res = await importFile(c, 'lng,lat\n114.2,35.6\n', 'x.csv', { role: 'facility', kind: '公厕', dryRun: '0' });
      expect(res.statusCode, c.role).toBe(403);
      expect((await c.post('/api/coverage/standards', { name: `标准${unique()}`, facilityKind: '公厕', radiusM: 500 })).statusCode).toBe(
        403,
      );
      expect(ok<{ items: unknown[] }>(await c.get('/api/coverage/layers')).items.length).toBe(before);
    }
    expect(await layerCount(admin)).toBe(before);
    expect((await t().anonymous.get('/api/coverage/layers')).statusCode).toBe(401);
    const std = await makeStandard(admin, { facilityKind: '公厕', radiusM: 500 });
    const patched = ok<CoverageStandard>(await admin.patch(`/api/coverage/standards/${std.id}`, { version: std.version, radiusM: 300 }));
    expect(patched).toMatchObject({ radiusM: 300, version: 2 });
    expect((await admin.patch(`/api/coverage/standards/${std.id}`, { version: 1, radiusM: 400 })).statusCode).toBe(409);
    expect((await unit.patch(`/api/coverage/standards/${std.id}`, { version: 2, radiusM: 400 })).statusCode).toBe(403);
  });
});
