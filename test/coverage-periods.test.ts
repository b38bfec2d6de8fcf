/**
 * A coverage-fed target's value frozen with each closed reporting period, on both dialects: read
 * "as of" the close from the stored analyses, so a later run changes the live value but not a
 * closed period's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type {
  CoverageAnalysis,
  CoverageStandard,
  LayerImportResult,
  TargetCoverageValue,
  TargetPeriodValue,
} from '../src/shared/schemas/coverage.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, unique } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const F: [number, number] = [114.2, 35.61];
const C: [number, number] = [F[0], F[1] - 800 / 110_950];

describeEachDialect('coverage: target values frozen with closed periods', (ctx) => {
  const t = useTestApp(ctx);
  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };
  const importCsv = (c: TestClient, csv: string, q: Record<string, string>) =>
    c.request({
      method: 'POST',
      url: `/api/coverage/layers/import?${new URLSearchParams({ name: `图层${unique()}`, datum: 'WGS84', dryRun: '0', ...q })}`,
      ...multipart(Buffer.from(csv, 'utf8'), 'x.csv'),
    });

  it('each closed period keeps the value of the latest run before it closed', async () => {
    const admin = await t().login('admin');
    const plan = await makePlan(t(), { tasks: [{ text: '公厕建设', targets: [{ metric: '公厕服务半径覆盖率', unit: '%', value: 100 }] }] });
    const targetId = plan.tasks[0].targetIds[0];
    const kind = `测试设施${unique()}`;
    const fac = ok<LayerImportResult>(await importCsv(admin, `lng,lat\n${F[0]},${F[1]}\n`, { role: 'facility', kind }));
    const dem = ok<LayerImportResult>(
      await importCsv(admin, `经度,纬度,人口\n${F[0]},${F[1]},400\n${C.join(',')},600\n`, { role: 'demand', kind: '居住人口' }),
    );
    const std = ok<CoverageStandard>(
      await admin.post('/api/coverage/standards', { name: `标准${unique()}`, facilityKind: kind, radiusM: 500 }),
      201,
    );
    // Not linked yet: 404, like the live value.
    expect((await admin.get(`/api/coverage/targets/${targetId}/periods`)).statusCode).toBe(404);
    ok(await admin.put(`/api/coverage/targets/${targetId}`, { standardId: std.id, district: '淇县' }));

    // September closes before any run: no value. An open period is not listed.
    const sep = await makePeriod(t(), plan.planId, { start: '2026-09-01', close: true });
    await makePeriod(t(), plan.planId, { start: '2026-12-01', open: true });
    await sleep(5);
    const run1 = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', { standardId: std.id, facilityLayerId: fac.layer!.id, demandLayerId: dem.layer!.id }),
      201,
    );
    await sleep(5);
    const oct = await makePeriod(t(), plan.planId, { start: '2026-10-01', close: true });
    await sleep(5);
    // A later run with a facility at C: the live value is 100 %, October stays at 40 %.
    const more = ok<LayerImportResult>(await importCsv(admin, `lng,lat\n${F[0]},${F[1]}\n${C[0]},${C[1]}\n`, { role: 'facility', kind }));
    const run2 = ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', { standardId: std.id, facilityLayerId: more.layer!.id, demandLayerId: dem.layer!.id }),
      201,
    );
    await sleep(5);
    const nov = await makePeriod(t(), plan.planId, { start: '2026-11-01', close: true });

    expect(ok<TargetCoverageValue>(await admin.get(`/api/coverage/targets/${targetId}`)).latest).toMatchObject({
      analysisId: run2.id,
      percent: 100,
    });
    const unit = await t().login('unit');
    const periods = ok<{ items: TargetPeriodValue[] }>(await unit.get(`/api/coverage/targets/${targetId}/periods`)).items;
    expect(periods.map((p) => [p.periodId, p.method, p.value?.analysisId ?? null, p.value?.percent ?? null])).toEqual([
      [sep.id, 'population', null, null],
      [oct.id, 'population', run1.id, 40],
      [nov.id, 'population', run2.id, 100],
    ]);
    expect(periods[1].value!.computedAt <= periods[1].closedAt).toBe(true);
  });
});
