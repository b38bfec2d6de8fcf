/**
 * 转为项目储备: suggested sites become draft projects in the project library, on both dialects —
 * category from the facility kind, location stored in GCJ-02, owner = the district's jurisdiction,
 * the smallest valid investment (1 元), audited; all or nothing; office only.
 */
import gcoord from 'gcoord';
import { expect, it } from 'vitest';
import { locateInAreas } from '../src/coverage/area-locator.ts';
import { readHebiDistricts } from '../src/coverage/hebi-geo.node.ts';
import { categoryFor } from '../src/server/modules/coverage/coverage-projects.service.ts';
import type { CoverageAnalysis, CoverageStandard, LayerImportResult, SuggestionResult } from '../src/shared/schemas/coverage.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { unique } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const districts = readHebiDistricts();
const F: [number, number] = [114.2, 35.61];
const C: [number, number] = [F[0], F[1] - 800 / 110_950];

/** A WGS-84 point inside the named district (a grid walk over its bounding box). */
function pointIn(name: string): [number, number] {
  const d = districts.features.findIndex((f) => f.properties.name === name);
  for (let lng = 113.9; lng < 114.8; lng += 0.02)
    for (let lat = 35.4; lat < 36.1; lat += 0.02) {
      const w = locateInAreas({ datum: 'WGS84', lng: Float64Array.of(lng), lat: Float64Array.of(lat) }, districts.features);
      if (w[0] === d) return [lng, lat];
    }
  throw new Error(`no point in ${name}`);
}

it('categoryFor: same name, then containment, then 其他', () => {
  const cats = [
    { code: 'public_toilet', name: '公厕' },
    { code: 'park', name: '公园游园' },
    { code: 'other', name: '其他' },
  ];
  expect(categoryFor('公厕', cats)).toBe('public_toilet');
  expect(categoryFor('游园', cats)).toBe('park');
  expect(categoryFor('小学', cats)).toBe('other');
  expect(categoryFor('小学', cats.slice(0, 2))).toBeNull();
});

describeEachDialect('coverage → projects: suggested sites as draft projects', (ctx) => {
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

  async function analysis(admin: TestClient): Promise<CoverageAnalysis> {
    const fac = ok<LayerImportResult>(await importCsv(admin, `lng,lat\n${F[0]},${F[1]}\n`, { role: 'facility', kind: '公厕' }));
    const dem = ok<LayerImportResult>(
      await importCsv(admin, `经度,纬度,人口\n${F[0]},${F[1]},100\n${C.join(',')},600\n`, { role: 'demand', kind: '居住人口' }),
    );
    const std = ok<CoverageStandard>(
      await admin.post('/api/coverage/standards', { name: `标准${unique()}`, facilityKind: '公厕', radiusM: 500 }),
      201,
    );
    return ok<CoverageAnalysis>(
      await admin.post('/api/coverage/analyses', { standardId: std.id, facilityLayerId: fac.layer!.id, demandLayerId: dem.layer!.id }),
      201,
    );
  }

  it('turns selected sites into drafts of the district, in GCJ-02, with the smallest valid investment, audited', async () => {
    const admin = await t().login('admin');
    const a = await analysis(admin);
    const s = ok<SuggestionResult>(
      await admin.post(`/api/coverage/analyses/${a.id}/suggestions`, { district: '淇县', count: 1, gridSpacing: 200 }),
    );
    const site = s.greedy.sites[0];
    const res = ok<{ items: { projectId: string; name: string; orgId: string; district: string }[] }>(
      await admin.post(`/api/coverage/analyses/${a.id}/projects`, { sites: [{ seq: 1, lng: site.lng, lat: site.lat }] }),
      201,
    );
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).toMatchObject({ name: '新建公厕（选址建议1）', orgId: t().orgs.county.id, district: '淇县' });
    const p = ok<{
      status: string;
      categoryCode: string;
      orgId: string;
      totalInvestment: number;
      location: { lng: number; lat: number; datum: string };
      funding: { sourceCode: string; planned: number }[];
    }>(await admin.get(`/api/projects/${res.items[0].projectId}`));
    expect(p).toMatchObject({ status: 'draft', categoryCode: 'public_toilet', orgId: t().orgs.county.id, totalInvestment: 1 });
    expect(p.funding).toMatchObject([{ sourceCode: 'county', planned: 1 }]);
    const [glng, glat] = gcoord.transform([site.lng, site.lat], gcoord.WGS84, gcoord.GCJ02);
    expect(p.location.datum).toBe('GCJ02');
    expect(Math.abs(p.location.lng - glng)).toBeLessThan(2e-6);
    expect(Math.abs(p.location.lat - glat)).toBeLessThan(2e-6);
    // The conversion moved the point (GCJ-02 is offset by hundreds of metres in China).
    expect(Math.abs(p.location.lng - site.lng)).toBeGreaterThan(1e-4);
    // The county's unit sees its new draft in its own library.
    const unit = await t().login('unit');
    expect((await unit.get(`/api/projects/${res.items[0].projectId}`)).statusCode).toBe(200);
    const audit = await t()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('action', 'in', ['coverage_suggestion.accept', 'project.create'])
      .where('entity_id', 'in', [a.id, res.items[0].projectId])
      .orderBy('action')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(['coverage_suggestion.accept', 'project.create']);
  });

  it('all or nothing: a site in a district without its organisation, or outside every district, creates nothing', async () => {
    const admin = await t().login('admin');
    const a = await analysis(admin);
    const before = Number(
      (
        await t()
          .db.selectFrom('projects')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const inQibin = pointIn('淇滨区');
    const noOrg = await admin.post(`/api/coverage/analyses/${a.id}/projects`, {
      sites: [
        { seq: 1, lng: C[0], lat: C[1] },
        { seq: 2, lng: inQibin[0], lat: inQibin[1] },
      ],
    });
    expect(noOrg.statusCode, noOrg.body).toBe(422);
    expect(noOrg.json().detail).toContain('淇滨区');
    const outside = await admin.post(`/api/coverage/analyses/${a.id}/projects`, { sites: [{ seq: 1, lng: 116.4, lat: 39.9 }] });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().detail).toContain('选址建议1不在任何区县内');
    expect((await admin.post(`/api/coverage/analyses/${a.id}/projects`, { sites: [] })).statusCode).toBe(400);
    expect(
      (
        await admin.post(`/api/coverage/analyses/${a.id.slice(0, -1)}${a.id.endsWith('0') ? '1' : '0'}/projects`, {
          sites: [{ seq: 1, lng: C[0], lat: C[1] }],
        })
      ).statusCode,
    ).toBe(404);
    const after = Number(
      (
        await t()
          .db.selectFrom('projects')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after).toBe(before);
    for (const role of ['unit', 'lead', 'leader'] as const) {
      const c = await t().login(role);
      expect((await c.post(`/api/coverage/analyses/${a.id}/projects`, { sites: [{ seq: 1, lng: C[0], lat: C[1] }] })).statusCode).toBe(403);
    }
  });
});
