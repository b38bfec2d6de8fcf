/**
 * Two cities and their province in one test app (issue 12): the test app's own world (市百城办,
 * 市住建局, 淇县, 浚县, their accounts and every plan made so far) becomes city A under a new
 * province, and city B is built beside it with organisations of the same names (names are
 * unique per tenant) and accounts of its own. For the cross-city matrix and canary suites.
 */
import { adoptUntenantedPlans } from '../../src/server/modules/plans/plans.service.ts';
import { declareTenant } from '../../src/server/modules/organisations/organisations.service.ts';
import type { Organisation } from '../../src/shared/schemas/organisation.schema.ts';
import { type MadePlan, type MadeUser, makeOrg, makePlan, makeUser } from './factories.ts';
import type { TestApp } from './test-app.ts';

export interface CityB {
  office: Organisation;
  leadDept: Organisation;
  county: Organisation;
  admin: MadeUser;
  lead: MadeUser;
  unit: MadeUser;
  plan: MadePlan;
  /** The plan's one task: lead leadDept, responsible county, one target in county. */
  taskId: string;
  targetId: string;
}

export interface TwoCities {
  province: Organisation;
  provinceAdmin: MadeUser;
  /** City A's tenant: the test app's office. */
  officeA: Organisation;
  b: CityB;
}

/**
 * Declares the province and city A (adopting every untenanted organisation and plan), then city
 * B. `names` sets what of B carries a canary (its county's name, its accounts' display names,
 * its plan's title and task text).
 */
export async function makeTwoCities(
  t: TestApp,
  names: { county?: string; admin?: string; unit?: string; lead?: string; planTitle?: string; taskText?: string } = {},
): Promise<TwoCities> {
  const province = await makeOrg(t, { name: '省百城办', kind: 'office' });
  await declareTenant(t.db, null, province.id, { level: 'province', parentOrgId: null });
  const provinceAdmin = await makeUser(t, { orgId: province.id, role: 'admin', displayName: '省百城办管理员' });
  await declareTenant(t.db, null, t.orgs.office.id, { level: 'city', parentOrgId: province.id, adoptUntenanted: true });
  await adoptUntenantedPlans(t.db, null, t.orgs.office.id);

  // City B: its office first (declared), then its registry under it, so every row is B's.
  const office = await makeOrg(t, { name: '市百城办', kind: 'office' });
  await declareTenant(t.db, null, office.id, { level: 'city', parentOrgId: province.id });
  const leadDept = await makeOrg(t, { name: '市住房和城乡建设局', kind: 'department', parentId: office.id, aliases: ['市住建局'] });
  const county = await makeOrg(t, { name: names.county ?? '乙县', kind: 'jurisdiction', parentId: office.id, adminCode: '410621' });
  const admin = await makeUser(t, { orgId: office.id, role: 'admin', displayName: names.admin ?? '乙市管理员' });
  const lead = await makeUser(t, { orgId: leadDept.id, role: 'lead', displayName: names.lead ?? '乙市住建局联络员' });
  const unit = await makeUser(t, { orgId: county.id, role: 'unit', displayName: names.unit ?? '乙县联络员' });
  const plan = await makePlan(t, {
    title: names.planTitle ?? '乙市实施方案',
    ownerOrgId: office.id,
    sections: [{ path: ['一'], title: '重点任务' }],
    tasks: [
      {
        text: names.taskText ?? '乙市新建公厕',
        section: 0,
        assignments: [
          { orgId: leadDept.id, role: 'lead' },
          { orgId: county.id, role: 'responsible' },
        ],
        deadlines: [{ date: '2030-12-31', text: '2030年底前' }],
        targets: [{ metric: '公厕', unit: '座', value: 40, baseline: 0, jurisdictionOrgId: county.id }],
      },
    ],
  });
  const task = plan.tasks[0]!;
  return {
    province,
    provinceAdmin,
    officeA: t.orgs.office,
    b: { office, leadDept, county, admin, lead, unit, plan, taskId: task.id, targetId: task.targetIds[0]! },
  };
}
