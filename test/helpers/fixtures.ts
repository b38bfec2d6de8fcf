/**
 * Rows for tests that need a plan, a task and its assignments, deadline and target without going
 * through the plan parser. Inserted directly (no audit events), version 1.
 *
 * ```ts
 * const f = await insertTaskFixture(t(), 'assigned');  // lead: leadDept, responsible: county (alone)
 * const g = await insertTaskFixture(t(), 'other');     // lead: office, responsible: county2; target in county
 * f.taskId; f.targetId; f.deadlineId; f.assignmentId; f.planId; f.sectionId
 * ```
 *
 * 'assigned': the seeded lead user's org leads the task and the unit user's county is its only
 * responsible unit, so lead and unit may write it (a task shared through a group is the unit's
 * to read, not to write: see "task write" in src/server/http/policy.ts); its target names no
 * jurisdiction, so it follows the task. 'other': neither may write the task, but the
 * target's jurisdiction is the unit user's county, so unit may write that target.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.ts';

export type TaskScenario = 'assigned' | 'other';

export interface TaskFixture {
  planId: string;
  sectionId: string;
  taskId: string;
  assignmentId: string;
  deadlineId: string;
  targetId: string;
}

export async function insertTaskFixture(t: TestApp, scenario: TaskScenario): Promise<TaskFixture> {
  const now = new Date().toISOString();
  const db = t.db;
  const planId = randomUUID();
  const sectionId = randomUUID();
  const taskId = randomUUID();
  const assignmentId = randomUUID();
  const deadlineId = randomUUID();
  const targetId = randomUUID();
  await db
    .insertInto('plans')
    .values({ id: planId, title: `测试方案 ${scenario}`, issuer: '市政府', year: 2026, status: 'active', source_text: '一、测试', version: 1, created_at: now, updated_at: now })
    .execute();
  await db
    .insertInto('sections')
    .values({ id: sectionId, plan_id: planId, parent_id: null, path: JSON.stringify(['一']), title: '测试', ordinal: 1, span_start: 0, span_end: 4 })
    .execute();
  await db
    .insertInto('tasks')
    .values({
      id: taskId,
      plan_id: planId,
      section_id: sectionId,
      seq: 1,
      text: '完成测试任务',
      span_start: null,
      span_end: null,
      assignment_text: null,
      status: 'not_started',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const leadOrg = scenario === 'assigned' ? t.orgs.leadDept.id : t.orgs.office.id;
  const responsibleOrg = scenario === 'assigned' ? t.orgs.county.id : t.orgs.county2.id;
  await db
    .insertInto('assignments')
    .values([
      { id: assignmentId, task_id: taskId, org_id: leadOrg, role: 'lead', mention: null },
      { id: randomUUID(), task_id: taskId, org_id: responsibleOrg, role: 'responsible', mention: null },
    ])
    .execute();
  await db.insertInto('deadlines').values({ id: deadlineId, task_id: taskId, date: '2026-12-31', text: '年底前', span_start: null, span_end: null }).execute();
  await db
    .insertInto('targets')
    .values({
      id: targetId,
      task_id: taskId,
      metric: '道路',
      unit: '公里',
      comparator: '>=',
      value: 9,
      max_value: null,
      baseline: null,
      jurisdiction_org_id: scenario === 'assigned' ? null : t.orgs.county.id,
      jurisdiction_label: null,
      deadline: '2026-12-31',
      parent_target_id: null,
      text: '',
      span_start: null,
      span_end: null,
      status: 'not_started',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { planId, sectionId, taskId, assignmentId, deadlineId, targetId };
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
 * group 两县, a target each in 淇县 and 浚县), taskB qualitative (responsible 淇县). Inserted directly
 * (no audit events). `deadlines: false` leaves the tasks without deadlines; `taskAText` sets the
 * clause text (the Excel template strips an assignment bracket from it).
 */
export async function insertReportingFixture(
  t: TestApp,
  options: { title?: string; taskAText?: string; deadlines?: boolean } = {},
): Promise<ReportingFixture> {
  const now = new Date().toISOString();
  const db = t.db;
  const f: ReportingFixture = { planId: randomUUID(), taskA: randomUUID(), taskB: randomUUID(), targetCounty: randomUUID(), targetCounty2: randomUUID() };
  await db
    .insertInto('plans')
    .values({ id: f.planId, title: options.title ?? '报送测试方案', issuer: '市政府', year: 2026, status: 'active', source_text: '', version: 1, created_at: now, updated_at: now })
    .execute();
  const task = (id: string, seq: number, text: string) => ({
    id,
    plan_id: f.planId,
    section_id: null,
    seq,
    text,
    span_start: null,
    span_end: null,
    assignment_text: null,
    status: 'not_started',
    version: 1,
    created_at: now,
    updated_at: now,
  });
  await db.insertInto('tasks').values([task(f.taskA, 1, options.taskAText ?? '新建公厕'), task(f.taskB, 2, '完成总体规划修编')]).execute();
  await db
    .insertInto('assignments')
    .values([
      { id: randomUUID(), task_id: f.taskA, org_id: t.orgs.leadDept.id, role: 'lead', mention: null },
      { id: randomUUID(), task_id: f.taskA, org_id: t.orgs.group.id, role: 'responsible', mention: null },
      { id: randomUUID(), task_id: f.taskB, org_id: t.orgs.leadDept.id, role: 'lead', mention: null },
      { id: randomUUID(), task_id: f.taskB, org_id: t.orgs.county.id, role: 'responsible', mention: null },
    ])
    .execute();
  if (options.deadlines !== false) {
    await db
      .insertInto('deadlines')
      .values([
        { id: randomUUID(), task_id: f.taskA, date: '2030-12-31', text: '2030年底前', span_start: null, span_end: null },
        { id: randomUUID(), task_id: f.taskB, date: '2030-12-31', text: '2030年底前', span_start: null, span_end: null },
      ])
      .execute();
  }
  const target = (id: string, orgId: string, value: number) => ({
    id,
    task_id: f.taskA,
    metric: '公厕',
    unit: '座',
    comparator: '>=',
    value,
    max_value: null,
    baseline: 0,
    jurisdiction_org_id: orgId,
    jurisdiction_label: null,
    deadline: null,
    parent_target_id: null,
    text: '',
    span_start: null,
    span_end: null,
    status: 'not_started',
    version: 1,
    created_at: now,
    updated_at: now,
  });
  await db.insertInto('targets').values([target(f.targetCounty, t.orgs.county.id, 100), target(f.targetCounty2, t.orgs.county2.id, 50)]).execute();
  return f;
}
