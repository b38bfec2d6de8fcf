/**
 * A province with two cities of its own (issue 12, docs/decisions/0006-tenancy.md), for the
 * tenancy tests: each city an office tenant under the province, a county below it, an admin and
 * a county `unit` user, and a small plan of its own whose first task the county is responsible
 * for. The seeded organisations and users of the test app stay untenanted.
 */
import { declareTenant } from '../../src/server/modules/organisations/organisations.service.ts';
import { makeOrg, makePlan, makeUser, unique } from './factories.ts';
import type { TestApp } from './test-app.ts';

/** One city tenant under `provinceId`: office, county, admin, county unit user and a plan. */
export async function makeCity(t: TestApp, provinceId: string) {
  const office = await makeOrg(t, { name: `城市办${unique()}`, kind: 'office' });
  await declareTenant(t.db, null, office.id, { level: 'city', parentOrgId: provinceId });
  const county = await makeOrg(t, { name: `县${unique()}`, kind: 'jurisdiction', parentId: office.id });
  const admin = await makeUser(t, { orgId: office.id, role: 'admin', displayName: `城市管理员${unique()}` });
  const unit = await makeUser(t, { orgId: county.id, role: 'unit' });
  const plan = await makePlan(t, {
    title: `城市方案${unique()}`,
    ownerOrgId: office.id,
    sections: [{ path: ['一'], title: '总体要求' }],
    tasks: [
      { text: `任务${unique()}`, section: 0, assignments: [{ orgId: county.id, role: 'responsible' }] },
      { text: `任务${unique()}`, section: 0 },
    ],
  });
  return { office, county, admin, unit, plan };
}

/** A province tenant (its office and admin) with two cities `a` and `b` below it. */
export async function makeProvince(t: TestApp) {
  const office = await makeOrg(t, { name: `省办${unique()}`, kind: 'office' });
  await declareTenant(t.db, null, office.id, { level: 'province', parentOrgId: null });
  const admin = await makeUser(t, { orgId: office.id, role: 'admin' });
  const a = await makeCity(t, office.id);
  const b = await makeCity(t, office.id);
  return { office, admin, a, b };
}

export type MadeCity = Awaited<ReturnType<typeof makeCity>>;
export type MadeProvince = Awaited<ReturnType<typeof makeProvince>>;
