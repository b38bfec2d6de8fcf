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
