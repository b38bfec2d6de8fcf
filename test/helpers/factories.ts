/**
 * Factories: each test case builds the state it needs, so any single case runs by itself.
 *
 * ```ts
 * const t = useTestApp(ctx);                         // one app per file, for speed
 * it('…', async () => {
 *   const f = await makeReportingPlan(t());          // a fresh plan: nothing shared with other cases
 *   const jan = await makePeriod(t(), f.planId, { start: '2026-01-01', open: true });
 *   const xun = await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit' });
 *   const unit2 = await xun.login();
 * });
 * ```
 *
 * Everything is written through the services (so it is valid and audited, and the audit chain
 * verifies) or, where a test acts as a user, through the HTTP API. Names are made unique with a
 * counter, so cases of one file never collide; the seeded organisations and users of
 * createTestApp (t().orgs.county, t().users.unit …) stay as they are and are shared read-only.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { expect } from 'vitest';
import type { Comparator, UserRole } from '../../src/shared/enums.ts';
import type { Organisation } from '../../src/shared/schemas/organisation.schema.ts';
import type { z } from 'zod';
import {
  CreatePeriodBody,
  type ProgressReport,
  PutReportingScheduleBody,
  type ReportingPeriod,
} from '../../src/shared/schemas/reporting.schema.ts';
import type { SupervisionNotice } from '../../src/shared/schemas/supervision.schema.ts';
import type { User } from '../../src/shared/schemas/user.schema.ts';
import type { TargetsTable } from '../../src/server/db/database.types.ts';
import { writeTx } from '../../src/server/core/transaction.ts';
import { createOrganisation } from '../../src/server/modules/organisations/organisations.service.ts';
import type { PlanGraph } from '../../src/server/modules/plan-imports/plan-graph.mapping.ts';
import { createPlanFromGraph } from '../../src/server/modules/plans/plans.service.ts';
import { closePeriod } from '../../src/server/modules/reporting/period-close.service.ts';
import { createPeriod, putSchedule } from '../../src/server/modules/reporting/periods.service.ts';
import { createUser } from '../../src/server/modules/users/users.service.ts';
import type { TestApp, TestClient } from './test-app.ts';

let counter = 0;
/** A suffix unique within the test process (names must be unique per table). */
export function unique(): string {
  counter += 1;
  return `${counter}${randomUUID().slice(0, 4)}`;
}

/** An organisation, created through the organisations service (audited). */
export async function makeOrg(
  t: TestApp,
  o: {
    name?: string;
    kind?: Organisation['kind'];
    aliases?: string[];
    adminCode?: string | null;
    parentId?: string | null;
    memberIds?: string[];
  } = {},
): Promise<Organisation> {
  return createOrganisation(t.db, null, {
    name: o.name ?? `测试单位${unique()}`,
    kind: o.kind ?? 'department',
    aliases: o.aliases ?? [],
    adminCode: o.adminCode ?? null,
    parentId: o.parentId ?? null,
    memberIds: o.memberIds ?? [],
  });
}

export interface MadeUser {
  user: User;
  username: string;
  password: string;
  /** Signs in as this user. */
  login(): Promise<TestClient>;
}

/** A user of `orgId` with `role`, created through the users service (audited), with a unique username. */
export async function makeUser(
  t: TestApp,
  u: { orgId: string; role: UserRole; username?: string; displayName?: string; password?: string },
): Promise<MadeUser> {
  const username = u.username ?? `user.${unique()}`;
  const password = u.password ?? `pass-${unique()}-01`;
  const user = await createUser(t.db, null, {
    username,
    displayName: u.displayName ?? `测试${username}`,
    orgId: u.orgId,
    role: u.role,
    password,
  });
  return { user, username, password, login: () => t.loginAs(username, password) };
}

export interface TargetSpec {
  metric: string;
  unit: string;
  value: number;
  comparator?: Comparator;
  baseline?: number | null;
  jurisdictionOrgId?: string | null;
  /** The label the plan text gave the jurisdiction (淇县, 市城区、浚县); null by default. */
  jurisdictionLabel?: string | null;
  deadline?: string | null;
}

export interface TaskSpec {
  text: string;
  /** Index into PlanSpec.sections; none: the task sits outside any section. */
  section?: number;
  assignments?: Array<{ orgId: string; role: 'lead' | 'responsible' | 'cooperating' }>;
  deadlines?: Array<{ date: string; text: string }>;
  targets?: TargetSpec[];
}

export interface PlanSpec {
  title?: string;
  issuer?: string;
  year?: number;
  sourceText?: string;
  sections?: Array<{ path: string[]; title: string }>;
  tasks: TaskSpec[];
  /** The tenant that issued the plan (issue 12); none: the plan follows createPlanFromGraph's rule. */
  ownerOrgId?: string | null;
}

export interface MadePlan {
  planId: string;
  sectionIds: string[];
  /** Per task (in spec order): its id and the ids of its rows, in spec order. */
  tasks: Array<{ id: string; assignmentIds: string[]; deadlineIds: string[]; targetIds: string[] }>;
}

/**
 * A plan with sections, tasks, assignments, deadlines and targets, inserted as one confirmed
 * import would be (createPlanFromGraph, in one transaction, audited `plan.create` and one
 * `task.import` per task) — without going through the plan parser.
 */
export async function makePlan(t: Pick<TestApp, 'db'>, spec: PlanSpec): Promise<MadePlan> {
  const now = new Date().toISOString();
  const planId = randomUUID();
  const sectionIds = (spec.sections ?? []).map(() => randomUUID());
  const graph: PlanGraph = {
    plan: {
      id: planId,
      title: spec.title ?? `测试方案${unique()}`,
      issuer: spec.issuer ?? '市政府',
      year: spec.year ?? 2026,
      status: 'active',
      source_text: spec.sourceText ?? '',
      ...(spec.ownerOrgId !== undefined ? { owner_org_id: spec.ownerOrgId } : {}),
      version: 1,
      created_at: now,
      updated_at: now,
    },
    sections: (spec.sections ?? []).map((s, i) => ({
      id: sectionIds[i]!,
      plan_id: planId,
      parent_id: null,
      path: JSON.stringify(s.path),
      title: s.title,
      ordinal: i + 1,
      span_start: 0,
      span_end: 0,
    })),
    tasks: [],
    assignments: [],
    deadlines: [],
    targets: [],
  };
  const made: MadePlan = { planId, sectionIds, tasks: [] };
  spec.tasks.forEach((task, i) => {
    const taskId = randomUUID();
    const ids = { id: taskId, assignmentIds: [] as string[], deadlineIds: [] as string[], targetIds: [] as string[] };
    graph.tasks.push({
      id: taskId,
      plan_id: planId,
      section_id: task.section === undefined ? null : sectionIds[task.section]!,
      seq: i + 1,
      text: task.text,
      span_start: null,
      span_end: null,
      assignment_text: null,
      status: 'not_started',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    for (const a of task.assignments ?? []) {
      const id = randomUUID();
      ids.assignmentIds.push(id);
      graph.assignments.push({ id, task_id: taskId, org_id: a.orgId, role: a.role, mention: null });
    }
    for (const d of task.deadlines ?? []) {
      const id = randomUUID();
      ids.deadlineIds.push(id);
      graph.deadlines.push({ id, task_id: taskId, date: d.date, text: d.text, span_start: null, span_end: null });
    }
    for (const g of task.targets ?? []) {
      const id = randomUUID();
      ids.targetIds.push(id);
      const row: Insertable<TargetsTable> = {
        id,
        task_id: taskId,
        metric: g.metric,
        unit: g.unit,
        comparator: g.comparator ?? '>=',
        value: g.value,
        max_value: null,
        baseline: g.baseline ?? null,
        jurisdiction_org_id: g.jurisdictionOrgId ?? null,
        jurisdiction_label: g.jurisdictionLabel ?? null,
        deadline: g.deadline ?? null,
        parent_target_id: null,
        text: '',
        span_start: null,
        span_end: null,
        status: 'not_started',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      graph.targets.push(row);
    }
    made.tasks.push(ids);
  });
  await writeTx(t.db, (trx) => createPlanFromGraph(trx, graph, null));
  return made;
}

export type TaskScenario = 'assigned' | 'other';

export interface TaskFixture {
  planId: string;
  sectionId: string;
  taskId: string;
  assignmentId: string;
  deadlineId: string;
  targetId: string;
}

/**
 * A plan with one task in one section, with a lead, one responsible unit, a deadline and a target.
 *
 * 'assigned': the seeded lead user's org (leadDept) leads the task and the unit user's county is its
 * only responsible unit, so lead and unit may write it (a task shared through a group is the unit's
 * to read, not to write: see "task write" in src/server/modules/plans/plans.policy.ts); its target names no
 * jurisdiction, so it follows the task. 'other': lead office, responsible county2 — neither lead nor
 * unit may write the task, but the target's jurisdiction is the unit user's county, so unit may
 * write that target. `assignmentId` is the lead assignment.
 */
export async function makeTaskPlan(t: TestApp, scenario: TaskScenario): Promise<TaskFixture> {
  const assigned = scenario === 'assigned';
  const p = await makePlan(t, {
    title: `测试方案 ${scenario}`,
    sourceText: '一、测试',
    sections: [{ path: ['一'], title: '测试' }],
    tasks: [
      {
        text: '完成测试任务',
        section: 0,
        assignments: [
          { orgId: assigned ? t.orgs.leadDept.id : t.orgs.office.id, role: 'lead' },
          { orgId: assigned ? t.orgs.county.id : t.orgs.county2.id, role: 'responsible' },
        ],
        deadlines: [{ date: '2026-12-31', text: '年底前' }],
        targets: [
          { metric: '道路', unit: '公里', value: 9, jurisdictionOrgId: assigned ? null : t.orgs.county.id, deadline: '2026-12-31' },
        ],
      },
    ],
  });
  const task = p.tasks[0]!;
  return {
    planId: p.planId,
    sectionId: p.sectionIds[0]!,
    taskId: task.id,
    assignmentId: task.assignmentIds[0]!,
    deadlineId: task.deadlineIds[0]!,
    targetId: task.targetIds[0]!,
  };
}

export interface ReportingFixture {
  planId: string;
  /** Quantified: lead 市住建局, responsible 两县 (淇县 and 浚县); 100 in 淇县, 50 in 浚县 by 2030. */
  taskA: string;
  targetCounty: string;
  targetCounty2: string;
  /** Qualitative: lead 市住建局, responsible 淇县, by 2030. */
  taskB: string;
}

/**
 * A plan with two tasks for the reporting tests: taskA quantified (lead 市住建局, responsible the
 * group 两县, a target each in 淇县 and 浚县), taskB qualitative (responsible 淇县). `deadlines:
 * false` leaves the tasks without deadlines; `taskAText` sets the clause text (the Excel template
 * strips an assignment bracket from it).
 */
export async function makeReportingPlan(
  t: TestApp,
  options: { title?: string; taskAText?: string; deadlines?: boolean } = {},
): Promise<ReportingFixture> {
  const deadlines = options.deadlines === false ? [] : [{ date: '2030-12-31', text: '2030年底前' }];
  const p = await makePlan(t, {
    title: options.title ?? '报送测试方案',
    tasks: [
      {
        text: options.taskAText ?? '新建公厕',
        assignments: [
          { orgId: t.orgs.leadDept.id, role: 'lead' },
          { orgId: t.orgs.group.id, role: 'responsible' },
        ],
        deadlines,
        targets: [
          { metric: '公厕', unit: '座', value: 100, baseline: 0, jurisdictionOrgId: t.orgs.county.id },
          { metric: '公厕', unit: '座', value: 50, baseline: 0, jurisdictionOrgId: t.orgs.county2.id },
        ],
      },
      {
        text: '完成总体规划修编',
        assignments: [
          { orgId: t.orgs.leadDept.id, role: 'lead' },
          { orgId: t.orgs.county.id, role: 'responsible' },
        ],
        deadlines,
      },
    ],
  });
  const [a, b] = p.tasks;
  return { planId: p.planId, taskA: a!.id, targetCounty: a!.targetIds[0]!, targetCounty2: a!.targetIds[1]!, taskB: b!.id };
}

/** Stores the plan's reporting schedule through the periods service (audited). */
export async function makeSchedule(t: Pick<TestApp, 'db'>, planId: string, body: z.input<typeof PutReportingScheduleBody>): Promise<void> {
  await putSchedule(t.db, planId, PutReportingScheduleBody.parse(body), null);
}

/**
 * A reporting period of the plan through the periods service (audited): the schedule's period
 * containing `start` unless given otherwise, opened with `open: true`, and closed (snapshots
 * frozen, as an admin would close it) with `close: true`.
 */
export async function makePeriod(
  t: Pick<TestApp, 'db'>,
  planId: string,
  body: z.input<typeof CreatePeriodBody> & { close?: boolean },
): Promise<ReportingPeriod> {
  const { close, open, ...rest } = body;
  const period = await createPeriod(t.db, planId, CreatePeriodBody.parse({ ...rest, open: open === true || close === true }), null);
  return close ? closePeriod(t.db, period.id, period.version, null) : period;
}

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

/**
 * A progress report filed by `client` (as that user would, through the API): saved as a draft,
 * then submitted with `submit: true`, then approved by `approveBy` when given (implies submit).
 */
export async function makeReport(
  client: TestClient,
  periodId: string,
  body: Record<string, unknown>,
  opts: { submit?: boolean; approveBy?: TestClient; returnBy?: { client: TestClient; comment: string } } = {},
): Promise<ProgressReport> {
  let report = ok<ProgressReport>(await client.put(`/api/periods/${periodId}/reports`, body));
  if (!opts.submit && !opts.approveBy && !opts.returnBy) return report;
  report = ok<ProgressReport>(await client.post(`/api/reports/${report.id}/submit`, { version: report.version }));
  if (opts.approveBy)
    report = ok<ProgressReport>(await opts.approveBy.post(`/api/reports/${report.id}/approve`, { version: report.version }));
  else if (opts.returnBy) {
    report = ok<ProgressReport>(
      await opts.returnBy.client.post(`/api/reports/${report.id}/return`, { version: report.version, comment: opts.returnBy.comment }),
    );
  }
  return report;
}

/** A supervision notice issued by the office (`admin` client) through the API; 201 expected. */
export async function makeNotice(
  admin: TestClient,
  body: { rows: Array<{ taskId: string; orgId: string }>; reason?: string; requiredAction?: string; dueDate?: string } & Record<
    string,
    unknown
  >,
): Promise<SupervisionNotice> {
  return ok<SupervisionNotice>(
    await admin.post('/api/supervision', {
      reason: '道路建设进度滞后',
      requiredAction: '说明原因并提出整改措施',
      dueDate: '2026-12-10',
      ...body,
    }),
    201,
  );
}
