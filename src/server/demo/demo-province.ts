/**
 * The demo's province (issue 12): Hebi becomes one city of 河南省. A province office is declared
 * the province tenant with 鹤壁's office as a city under it, and a second, small city is added
 * beside Hebi so the province view has two cities with numbers and a newcomer sees the isolation
 * between them.
 *
 * The second city (许昌) is SYNTHETIC: a real city's and its districts' names, but its plan,
 * targets, reports and notice are invented for the demo (the README says so). Deterministic: fixed
 * names, numbers and dates; the month-by-month record is demo-history.ts's seeded generator.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { UserRole } from '../../shared/enums.ts';
import type { Db } from '../db/database.ts';
import type { TargetsTable } from '../db/database.types.ts';
import type { Actor } from '../core/actor.ts';
import { writeTx } from '../core/transaction.ts';
import { createOrganisation, declareTenant } from '../modules/organisations/organisations.service.ts';
import type { PlanGraph } from '../modules/plan-imports/plan-graph.mapping.ts';
import { createPlanFromGraph } from '../modules/plans/plans.service.ts';
import { putSchedule } from '../modules/reporting/periods.service.ts';
import { issueNotice } from '../modules/supervision/supervision.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import { seedDemoHistory } from './demo-history.ts';

/** The province office: the tenant above every city of the demo. */
export const DEMO_PROVINCE_OFFICE = '河南省百城建设提质工程工作领导小组办公室';
/** The second (synthetic) city's office. */
export const DEMO_SECOND_CITY_OFFICE = '许昌市百城办';

/** Demo-only accounts of the province and the second city (listed in the README with the Hebi ones). */
export const PROVINCE_DEMO_ACCOUNTS: readonly {
  username: string;
  password: string;
  displayName: string;
  role: UserRole;
  orgName: string;
}[] = [
  { username: 'sheng', password: 'luoshi-sheng-2018', displayName: '省百城办管理员', role: 'admin', orgName: DEMO_PROVINCE_OFFICE },
  {
    username: 'xuchang',
    password: 'luoshi-xuchang-2018',
    displayName: '许昌市百城办管理员（示例）',
    role: 'admin',
    orgName: DEMO_SECOND_CITY_OFFICE,
  },
  { username: 'yanling', password: 'luoshi-yanling-2018', displayName: '鄢陵县政府联络员（示例）', role: 'unit', orgName: '鄢陵县政府' },
];

/**
 * Declares the province office (created here) as the province tenant and `cityOfficeId` (鹤壁's
 * office) as a city under it, adopting every organisation not yet in a tenant (the Hebi registry
 * just imported). Runs before the Hebi plan is imported, so the plan is the city's from the start.
 * Returns the province office's id.
 */
export async function declareDemoProvince(db: Db, cityOfficeId: string): Promise<string> {
  const province = await createOrganisation(db, null, {
    name: DEMO_PROVINCE_OFFICE,
    aliases: ['省百城办'],
    kind: 'office',
    adminCode: '410000',
    parentId: null,
    memberIds: [],
  });
  await declareTenant(db, null, province.id, { level: 'province', parentOrgId: null });
  await declareTenant(db, null, cityOfficeId, { level: 'city', parentOrgId: province.id, adoptUntenanted: true });
  await createUser(db, null, accountBody(PROVINCE_DEMO_ACCOUNTS[0]!, province.id));
  return province.id;
}

function accountBody(a: (typeof PROVINCE_DEMO_ACCOUNTS)[number], orgId: string) {
  return { username: a.username, displayName: a.displayName, orgId, role: a.role, password: a.password };
}

// The second city's registry: three county-level divisions and four departments (real names).
const COUNTIES = [
  { name: '魏都区政府', adminCode: '411002' },
  { name: '禹州市政府', adminCode: '411081' },
  { name: '鄢陵县政府', adminCode: '411024' },
] as const;
// 市住房和城乡建设局 on purpose: a name Hebi's registry has too (names are unique per city).
const DEPARTMENTS = [
  { name: '市住房和城乡建设局', aliases: ['市住建局'] },
  { name: '市城市管理局', aliases: ['市城管局'] },
  { name: '市自然资源和规划局', aliases: ['市自然资源局'] },
  { name: '市生态环境局', aliases: [] },
] as const;

type County = (typeof COUNTIES)[number]['name'];
type Department = (typeof DEPARTMENTS)[number]['name'];

// Two sections, seven tasks; each quantified task has a target per district.
const PLAN: Array<{
  section: 0 | 1;
  text: string;
  lead: Department;
  deadline: string;
  targets?: { metric: string; unit: string; values: Record<County, number> };
}> = [
  {
    section: 0,
    text: '实施老旧小区改造，完善小区道路、管网、照明等配套设施。',
    lead: '市住房和城乡建设局',
    deadline: '2018-12-31',
    targets: { metric: '改造老旧小区', unit: '个', values: { 魏都区政府: 24, 禹州市政府: 16, 鄢陵县政府: 10 } },
  },
  {
    section: 0,
    text: '新建和改造城市道路，打通断头路。',
    lead: '市住房和城乡建设局',
    deadline: '2018-12-31',
    targets: { metric: '新建改造道路', unit: '公里', values: { 魏都区政府: 12, 禹州市政府: 9, 鄢陵县政府: 6 } },
  },
  {
    section: 0,
    text: '新建城市公厕，实现主次干道公厕全覆盖。',
    lead: '市城市管理局',
    deadline: '2018-12-31',
    targets: { metric: '新建公厕', unit: '座', values: { 魏都区政府: 30, 禹州市政府: 20, 鄢陵县政府: 12 } },
  },
  { section: 0, text: '完成城市总体规划修编和控制性详细规划全覆盖。', lead: '市自然资源和规划局', deadline: '2018-12-31' },
  {
    section: 1,
    text: '新建改造城市游园和街头绿地，提升绿化覆盖率。',
    lead: '市城市管理局',
    deadline: '2018-12-31',
    targets: { metric: '新建游园', unit: '个', values: { 魏都区政府: 15, 禹州市政府: 10, 鄢陵县政府: 8 } },
  },
  { section: 1, text: '开展黑臭水体整治，建立长效管护机制。', lead: '市生态环境局', deadline: '2018-12-31' },
  { section: 1, text: '推进生活垃圾分类试点，完善收运体系。', lead: '市城市管理局', deadline: '2018-12-31' },
];

/** The second city's schedule: as Hebi's, from September, so three months are closed by December. */
const SECOND_CITY_SCHEDULE = { frequency: 'monthly', dueDay: 5, graceDays: 2, closeAfterDays: 10, startDate: '2018-09-01' } as const;

export interface SecondCityResult {
  officeId: string;
  planId: string;
  taskCount: number;
  closedPeriods: number;
  reports: number;
  notices: number;
}

/**
 * The second city under `provinceId`: its office (declared a city), registry, accounts, a short
 * plan owned by it, a monthly schedule from September with the months closed up to `today`
 * (reported and reviewed, demo-history.ts) and one 督办 notice. Without `history` only the
 * period containing `today` is opened, as for Hebi.
 */
export async function seedSecondCity(db: Db, provinceId: string, today: string, options: { history: boolean }): Promise<SecondCityResult> {
  const office = await createOrganisation(db, null, {
    name: DEMO_SECOND_CITY_OFFICE,
    aliases: ['许昌市百城建设提质工程工作领导小组办公室'],
    kind: 'office',
    adminCode: null,
    parentId: null,
    memberIds: [],
  });
  await declareTenant(db, null, office.id, { level: 'city', parentOrgId: provinceId });
  const adminUser = await createUser(db, null, accountBody(PROVINCE_DEMO_ACCOUNTS[1]!, office.id));
  const admin: Actor = { userId: adminUser.id, orgId: office.id, role: 'admin', displayName: adminUser.displayName };
  const orgIdByName = new Map<string, string>([[DEMO_SECOND_CITY_OFFICE, office.id]]);
  // Created by the city's admin: every row belongs to the city.
  for (const c of COUNTIES) {
    const o = await createOrganisation(db, admin, {
      name: c.name,
      aliases: [c.name.replace(/政府$/, '')],
      kind: 'jurisdiction',
      adminCode: c.adminCode,
      parentId: null,
      memberIds: [],
    });
    orgIdByName.set(c.name, o.id);
  }
  for (const d of DEPARTMENTS) {
    const o = await createOrganisation(db, admin, {
      name: d.name,
      aliases: [...d.aliases],
      kind: 'department',
      adminCode: null,
      parentId: null,
      memberIds: [],
    });
    orgIdByName.set(d.name, o.id);
  }
  const unitUser = await createUser(db, null, accountBody(PROVINCE_DEMO_ACCOUNTS[2]!, orgIdByName.get('鄢陵县政府')!));
  const byOrg = new Map<string, Actor>([
    [unitUser.orgId, { userId: unitUser.id, orgId: unitUser.orgId, role: 'unit', displayName: unitUser.displayName }],
  ]);

  const planId = await createSecondCityPlan(db, office.id, admin, orgIdByName);
  // A demo day before September starts the schedule with Hebi's (April), so it is never in the future.
  const schedule = {
    ...SECOND_CITY_SCHEDULE,
    startDate: today > SECOND_CITY_SCHEDULE.startDate ? SECOND_CITY_SCHEDULE.startDate : '2018-04-01',
  };
  const replay = options.history && schedule.startDate < today;
  await putSchedule(db, planId, schedule, admin, { today: replay ? schedule.startDate : today });
  const history = replay
    ? await seedDemoHistory(db, planId, today, admin, { byOrg, orgIdByName })
    : { closedPeriods: 0, reports: 0, notices: 0 };
  if (!replay) return { officeId: office.id, planId, taskCount: PLAN.length, ...history };
  // One 督办 on the district furthest behind on its public toilets, unless the record issued one.
  let notices = history.notices;
  if (notices === 0) {
    const task = await db.selectFrom('tasks').select('id').where('plan_id', '=', planId).where('seq', '=', 3).executeTakeFirstOrThrow();
    const notice = await issueNotice(
      db,
      {
        rows: [{ taskId: task.id, orgId: orgIdByName.get('禹州市政府')! }],
        reason: '公厕建设进度滞后于年度计划',
        requiredAction: '说明原因，限期整改，按周报送进展',
        dueDate: '2018-12-28',
      },
      admin,
    );
    // Issued on the demo's own day (as demo-history.ts dates its notices), not when the seed ran.
    const issued = new Date('2018-12-07T10:00:00+08:00').toISOString();
    await db.updateTable('supervision_notices').set({ created_at: issued, updated_at: issued }).where('id', '=', notice.id).execute();
    notices = 1;
  }
  return { officeId: office.id, planId, taskCount: PLAN.length, closedPeriods: history.closedPeriods, reports: history.reports, notices };
}

async function createSecondCityPlan(db: Db, ownerOrgId: string, admin: Actor, orgIdByName: Map<string, string>): Promise<string> {
  const now = new Date().toISOString();
  const planId = randomUUID();
  const sectionIds = [randomUUID(), randomUUID()];
  const graph: PlanGraph = {
    plan: {
      id: planId,
      title: '许昌市2018年百城建设提质工程实施方案（示例）',
      issuer: '许昌市人民政府',
      year: 2018,
      status: 'active',
      source_text: '演示数据：许昌市方案为虚构示例，仅用于展示省、市两级管理。',
      owner_org_id: ownerOrgId,
      version: 1,
      created_at: now,
      updated_at: now,
    },
    sections: ['一、完善城市基础设施', '二、改善城市生态环境'].map((title, i) => ({
      id: sectionIds[i]!,
      plan_id: planId,
      parent_id: null,
      path: JSON.stringify([['一', '二'][i]]),
      title: title.slice(2),
      ordinal: i + 1,
      span_start: 0,
      span_end: 0,
    })),
    tasks: [],
    assignments: [],
    deadlines: [],
    targets: [],
  };
  PLAN.forEach((spec, i) => {
    const taskId = randomUUID();
    graph.tasks.push({
      id: taskId,
      plan_id: planId,
      section_id: sectionIds[spec.section]!,
      seq: i + 1,
      text: spec.text,
      span_start: null,
      span_end: null,
      assignment_text: `牵头单位：${spec.lead}；责任单位：各县（市、区）政府`,
      status: 'not_started',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    graph.assignments.push({ id: randomUUID(), task_id: taskId, org_id: orgIdByName.get(spec.lead)!, role: 'lead', mention: spec.lead });
    for (const c of COUNTIES) {
      graph.assignments.push({ id: randomUUID(), task_id: taskId, org_id: orgIdByName.get(c.name)!, role: 'responsible', mention: c.name });
    }
    graph.deadlines.push({ id: randomUUID(), task_id: taskId, date: spec.deadline, text: '2018年底前', span_start: null, span_end: null });
    if (!spec.targets) return;
    for (const c of COUNTIES) {
      const row: Insertable<TargetsTable> = {
        id: randomUUID(),
        task_id: taskId,
        metric: spec.targets.metric,
        unit: spec.targets.unit,
        comparator: '>=',
        value: spec.targets.values[c.name],
        max_value: null,
        baseline: 0,
        jurisdiction_org_id: orgIdByName.get(c.name)!,
        jurisdiction_label: c.name.replace(/政府$/, ''),
        deadline: spec.deadline,
        parent_target_id: null,
        text: `${c.name.replace(/政府$/, '')}${spec.targets.metric}${spec.targets.values[c.name]}${spec.targets.unit}`,
        span_start: null,
        span_end: null,
        status: 'not_started',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      graph.targets.push(row);
    }
  });
  await writeTx(db, (trx) => createPlanFromGraph(trx, graph, admin.userId));
  return planId;
}
