/**
 * Editing a confirmed plan (issue 11 item 2): sections created, renamed, moved and deleted when
 * empty; tasks moved, split and merged — each audited, versioned (stale → 409), reported progress
 * kept, and the office's only (every other role 403).
 */
import { describe, expect, it } from 'vitest';
import type { PlanDetail, Section, SectionNode, Task } from '../src/shared/schemas/plan.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makePeriod, makePlan, makeReport, makeSchedule, makeUser } from './helpers/factories.ts';
import { type TestApp, type TestClient, useTestApp } from './helpers/test-app.ts';

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

async function auditOf(t: TestApp, entityId: string) {
  return t.db.selectFrom('audit_events').selectAll().where('entity_id', '=', entityId).orderBy('seq').execute();
}

/** A plan of two root sections (一 with three tasks, 二 with one), each task led by 住建局 with 淇县 responsible and a target. */
async function editablePlan(t: TestApp) {
  const a = [
    { orgId: t.orgs.leadDept.id, role: 'lead' as const },
    { orgId: t.orgs.county.id, role: 'responsible' as const },
  ];
  return makePlan(t, {
    title: '某市2026年城市更新实施方案',
    sections: [
      { path: ['一'], title: '完善基础设施' },
      { path: ['二'], title: '提升城市管理' },
    ],
    tasks: [
      {
        text: '新建改造道路20公里。',
        section: 0,
        assignments: a,
        deadlines: [{ date: '2026-12-31', text: '年底前' }],
        targets: [{ metric: '道路', unit: '公里', value: 20 }],
      },
      { text: '新建公厕30座。', section: 0, assignments: a, targets: [{ metric: '公厕', unit: '座', value: 30 }] },
      { text: '改造老旧小区10个。', section: 0, assignments: a, targets: [{ metric: '老旧小区', unit: '个', value: 10 }] },
      { text: '推进数字化城市管理。', section: 1, assignments: [a[0]!] },
    ],
  });
}

const tasksOf = async (c: TestClient, planId: string) => ok<{ items: Task[] }>(await c.get(`/api/plans/${planId}/tasks?limit=500`)).items;
const outlineOf = async (c: TestClient, planId: string) => ok<PlanDetail>(await c.get(`/api/plans/${planId}`)).sections;
const flat = (nodes: SectionNode[]): SectionNode[] => nodes.flatMap((n) => [n, ...flat(n.children)]);

describeEachDialect('plan editing after import', (ctx) => {
  const t = useTestApp(ctx);

  describe('the plan itself', () => {
    it('renames the plan and fixes its issuer and year, audited, stale version 409', async () => {
      const admin = await t().login('admin');
      const p = await editablePlan(t());
      const plan = ok<PlanDetail>(await admin.get(`/api/plans/${p.planId}`));
      const renamed = ok<PlanDetail>(
        await admin.patch(`/api/plans/${p.planId}`, {
          version: plan.version,
          title: '某市城市更新行动实施方案',
          issuer: '某市人民政府',
          year: 2027,
        }),
      );
      expect(renamed).toMatchObject({ title: '某市城市更新行动实施方案', issuer: '某市人民政府', year: 2027, version: plan.version + 1 });
      const stale = await admin.patch(`/api/plans/${p.planId}`, { version: plan.version, title: '旧标题' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');
      const events = await auditOf(t(), p.planId);
      expect(events.map((e) => e.action)).toEqual(['plan.create', 'plan.update']);
    });
  });

  describe('sections', () => {
    it('creates, renames, moves and deletes sections, renumbering the outline and the tasks’ 序号', async () => {
      const admin = await t().login('admin');
      const p = await editablePlan(t());
      const created = ok<Section>(await admin.post(`/api/plans/${p.planId}/sections`, { title: '强化保障措施' }), 201);
      expect(created.path).toEqual(['三']);
      const sub = ok<Section>(await admin.post(`/api/plans/${p.planId}/sections`, { title: '道路', parentId: p.sectionIds[0] }), 201);
      expect(sub.path).toEqual(['一', '(一)']);

      const renamed = ok<Section>(await admin.patch(`/api/sections/${created.id}`, { version: created.version, title: '强化组织保障' }));
      expect(renamed).toMatchObject({ title: '强化组织保障', version: created.version + 1 });
      const stale = await admin.patch(`/api/sections/${created.id}`, { version: created.version, title: '别的' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');

      // 二 moves up above 一: numbers follow the new order, and so do the tasks' 序号.
      const second = flat(await outlineOf(admin, p.planId)).find((s) => s.id === p.sectionIds[1])!;
      const moved = ok<PlanDetail>(await admin.post(`/api/sections/${second.id}/move`, { version: second.version, direction: 'up' }));
      expect(moved.sections.map((s) => `${s.path.join('/')} ${s.title}`)).toEqual([
        '一 提升城市管理',
        '二 完善基础设施',
        '三 强化组织保障',
      ]);
      expect(moved.sections[1]!.children.map((c) => c.path)).toEqual([['二', '(一)']]);
      const tasks = await tasksOf(admin, p.planId);
      expect(tasks.map((x) => [x.seq, x.text])).toEqual([
        [1, '推进数字化城市管理。'],
        [2, '新建改造道路20公里。'],
        [3, '新建公厕30座。'],
        [4, '改造老旧小区10个。'],
      ]);
      const top = await admin.post(`/api/sections/${second.id}/move`, { version: second.version + 1, direction: 'up' });
      expect(top.statusCode).toBe(422);

      // Only an empty section can go.
      const full = flat(moved.sections).find((s) => s.id === p.sectionIds[0])!;
      const refused = await admin.delete(`/api/sections/${full.id}?version=${full.version}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('section_not_empty');
      expect(refused.json().detail).toMatch(/不能删除/);
      const gone = flat(moved.sections).find((s) => s.id === sub.id)!;
      const staleDelete = await admin.delete(`/api/sections/${gone.id}?version=${gone.version + 1}`);
      expect(staleDelete.statusCode).toBe(409);
      expect(staleDelete.json().code).toBe('version_conflict');
      ok(await admin.delete(`/api/sections/${gone.id}?version=${gone.version}`));
      expect(flat(await outlineOf(admin, p.planId)).map((s) => s.id)).not.toContain(sub.id);

      const actions = (await Promise.all([created.id, sub.id, second.id].map((id) => auditOf(t(), id)))).map((es) =>
        es.map((e) => e.action),
      );
      expect(actions).toEqual([['section.create', 'section.update'], ['section.create', 'section.delete'], ['section.move']]);
    });

    it('refuses a parent, section, target or task of another plan, and an unknown plan', async () => {
      const admin = await t().login('admin');
      const p = await editablePlan(t());
      const q = await editablePlan(t());
      const res = await admin.post(`/api/plans/${p.planId}/sections`, { title: '错位', parentId: q.sectionIds[0] });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toMatch(/不属于/);
      expect((await admin.post(`/api/plans/${crypto.randomUUID()}/sections`, { title: '无' })).statusCode).toBe(404);
      // Tasks and targets of another plan are refused the same way.
      const task = ok<Task>(await admin.get(`/api/tasks/${p.tasks[0]!.id}`));
      const move = await admin.post(`/api/tasks/${task.id}/move`, { version: task.version, sectionId: q.sectionIds[0] });
      expect(move.statusCode).toBe(422);
      const split = await admin.post(`/api/tasks/${task.id}/split`, {
        version: task.version,
        text: '甲',
        newText: '乙',
        targetIds: [q.tasks[0]!.targetIds[0]],
      });
      expect(split.statusCode).toBe(422);
      expect(split.json().detail).toBe('所选指标不属于该任务');
      const merge = await admin.post(`/api/tasks/${task.id}/merge`, {
        version: task.version,
        otherTaskId: q.tasks[0]!.id,
        otherVersion: 1,
      });
      expect(merge.statusCode).toBe(422);
      const nothing = await admin.post(`/api/tasks/${task.id}/move`, { version: task.version });
      expect(nothing.statusCode).toBe(400);
      expect(ok<Task>(await admin.get(`/api/tasks/${task.id}`)).version).toBe(task.version);
    });
  });

  describe('tasks', () => {
    it('moves a task to another section and up, keeping its reports and 督办', async () => {
      const admin = await t().login('admin');
      const unit = await t().login('unit');
      const p = await editablePlan(t());
      await makeSchedule(t(), p.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
      const period = await makePeriod(t(), p.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
      const report = await makeReport(
        unit,
        period.id,
        { taskId: p.tasks[1]!.id, targetId: p.tasks[1]!.targetIds[0], value: 12, narrative: '已建成12座' },
        { submit: true },
      );
      const notice = await makeNotice(admin, { rows: [{ taskId: p.tasks[1]!.id, orgId: t().orgs.county.id }] });

      const before = ok<Task>(await admin.get(`/api/tasks/${p.tasks[1]!.id}`));
      const moved = ok<Task>(await admin.post(`/api/tasks/${before.id}/move`, { version: before.version, sectionId: p.sectionIds[1] }));
      expect(moved).toMatchObject({ sectionId: p.sectionIds[1], seq: 4, version: before.version + 1 });
      const up = ok<Task>(await admin.post(`/api/tasks/${before.id}/move`, { version: moved.version, direction: 'up' }));
      expect(up.seq).toBe(3);
      expect((await tasksOf(admin, p.planId)).map((x) => x.text)).toEqual([
        '新建改造道路20公里。',
        '改造老旧小区10个。',
        '新建公厕30座。',
        '推进数字化城市管理。',
      ]);
      const stale = await admin.post(`/api/tasks/${before.id}/move`, { version: before.version, direction: 'down' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');

      expect(ok<{ id: string; value: number }>(await admin.get(`/api/reports/${report.id}`))).toMatchObject({ value: 12 });
      expect(ok<{ id: string }>(await admin.get(`/api/supervision/${notice.id}`)).id).toBe(notice.id);
      expect((await auditOf(t(), before.id)).map((e) => e.action)).toEqual(['task.import', 'task.move', 'task.move']);
    });

    it('splits a task: reports stay on the original, unreported targets may move, reported ones may not', async () => {
      const admin = await t().login('admin');
      const unit = await t().login('unit');
      const p = await makePlan(t(), {
        sections: [{ path: ['一'], title: '基础设施' }],
        tasks: [
          {
            text: '新建改造道路20公里，新建公厕30座。',
            section: 0,
            assignments: [
              { orgId: t().orgs.leadDept.id, role: 'lead' },
              { orgId: t().orgs.county.id, role: 'responsible' },
            ],
            deadlines: [{ date: '2026-12-31', text: '年底前' }],
            targets: [
              { metric: '道路', unit: '公里', value: 20 },
              { metric: '公厕', unit: '座', value: 30 },
            ],
          },
          { text: '后一项任务。', section: 0 },
        ],
      });
      const [task] = p.tasks;
      await makeSchedule(t(), p.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
      const period = await makePeriod(t(), p.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
      const report = await makeReport(
        unit,
        period.id,
        { taskId: task!.id, targetId: task!.targetIds[0], value: 5, narrative: '已完成5公里' },
        { submit: true },
      );
      const current = ok<Task>(await admin.get(`/api/tasks/${task!.id}`));

      const refused = await admin.post(`/api/tasks/${task!.id}/split`, {
        version: current.version,
        text: '新建改造道路20公里，',
        newText: '新建公厕30座。',
        targetIds: [task!.targetIds[0]],
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('target_has_reports');

      const split = ok<{ task: Task; created: Task }>(
        await admin.post(`/api/tasks/${task!.id}/split`, {
          version: current.version,
          text: '新建改造道路20公里。',
          newText: '新建公厕30座。',
          targetIds: [task!.targetIds[1]],
        }),
      );
      expect(split.task).toMatchObject({ id: task!.id, seq: 1, text: '新建改造道路20公里。', version: current.version + 1 });
      expect(split.task.targets.map((x) => x.id)).toEqual([task!.targetIds[0]]);
      expect(split.created).toMatchObject({ seq: 2, text: '新建公厕30座。', sectionId: p.sectionIds[0] });
      expect(split.created.targets.map((x) => x.id)).toEqual([task!.targetIds[1]]);
      expect(split.created.assignments.map((a) => [a.orgId, a.role])).toEqual([
        [t().orgs.leadDept.id, 'lead'],
        [t().orgs.county.id, 'responsible'],
      ]);
      expect(split.created.deadlines.map((d) => d.date)).toEqual(['2026-12-31']);
      expect((await tasksOf(admin, p.planId)).map((x) => x.seq)).toEqual([1, 2, 3]);
      expect(ok<{ taskId: string; value: number }>(await admin.get(`/api/reports/${report.id}`))).toMatchObject({
        taskId: task!.id,
        value: 5,
      });
      expect((await auditOf(t(), task!.id)).map((e) => e.action)).toEqual(['task.import', 'task.split']);
      expect((await auditOf(t(), split.created.id)).map((e) => e.action)).toEqual(['task.create']);
    });

    it('merges a task into another: the survivor keeps its reports; a task with reports cannot be merged away', async () => {
      const admin = await t().login('admin');
      const unit = await t().login('unit');
      const p = await editablePlan(t());
      await makeSchedule(t(), p.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
      const period = await makePeriod(t(), p.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
      const [first, second, third] = p.tasks;
      const report = await makeReport(
        unit,
        period.id,
        { taskId: first!.id, targetId: first!.targetIds[0], value: 8, narrative: '已完成8公里' },
        { submit: true },
      );
      const a = ok<Task>(await admin.get(`/api/tasks/${first!.id}`));
      const b = ok<Task>(await admin.get(`/api/tasks/${second!.id}`));

      // Merging the reported task away would delete its report: refused, in Chinese.
      const refused = await admin.post(`/api/tasks/${b.id}/merge`, { version: b.version, otherTaskId: a.id, otherVersion: a.version });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('task_has_progress');
      expect(refused.json().detail).toMatch(/第1项已有1份进展报告/);
      const stale = await admin.post(`/api/tasks/${a.id}/merge`, { version: a.version, otherTaskId: b.id, otherVersion: b.version + 5 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');

      const merged = ok<Task>(
        await admin.post(`/api/tasks/${a.id}/merge`, { version: a.version, otherTaskId: b.id, otherVersion: b.version }),
      );
      expect(merged).toMatchObject({ id: a.id, seq: 1, text: '新建改造道路20公里。新建公厕30座。', version: a.version + 1 });
      expect(merged.targets.map((x) => x.id).sort()).toEqual([first!.targetIds[0], second!.targetIds[0]].sort());
      // Same lead and responsible on both: no duplicate assignments.
      expect(merged.assignments).toHaveLength(2);
      expect((await admin.get(`/api/tasks/${b.id}`)).statusCode).toBe(404);
      expect((await tasksOf(admin, p.planId)).map((x) => [x.seq, x.id])).toEqual([
        [1, a.id],
        [2, third!.id],
        [3, p.tasks[3]!.id],
      ]);
      expect(ok<{ taskId: string; value: number }>(await admin.get(`/api/reports/${report.id}`))).toMatchObject({ taskId: a.id, value: 8 });
      expect((await auditOf(t(), a.id)).map((e) => e.action)).toEqual(['task.import', 'task.merge']);
      expect((await auditOf(t(), b.id)).map((e) => e.action)).toEqual(['task.import', 'task.delete']);
    });

    it('refuses to merge away a task with a 督办 notice', async () => {
      const admin = await t().login('admin');
      const p = await editablePlan(t());
      await makeNotice(admin, { rows: [{ taskId: p.tasks[2]!.id, orgId: t().orgs.county.id }] });
      const a = ok<Task>(await admin.get(`/api/tasks/${p.tasks[1]!.id}`));
      const c = ok<Task>(await admin.get(`/api/tasks/${p.tasks[2]!.id}`));
      const res = await admin.post(`/api/tasks/${a.id}/merge`, { version: a.version, otherTaskId: c.id, otherVersion: c.version });
      expect(res.statusCode).toBe(409);
      expect(res.json().detail).toMatch(/1件督办/);
      expect((await admin.get(`/api/tasks/${c.id}`)).statusCode).toBe(200);
    });
  });

  describe('authorization', () => {
    it('is the office’s alone: lead, unit and leader get 403 and nothing changes', async () => {
      const p = await editablePlan(t());
      const lead = await t().login('lead');
      const unit = await t().login('unit');
      const leader = await t().login('leader');
      const leadUser = await makeUser(t(), { orgId: t().orgs.leadDept.id, role: 'lead' });
      const task = ok<Task>(await lead.get(`/api/tasks/${p.tasks[0]!.id}`));
      const section = (await outlineOf(lead, p.planId))[0]!;
      for (const c of [lead, unit, leader, await leadUser.login()]) {
        const calls = [
          c.post(`/api/plans/${p.planId}/sections`, { title: '新章节' }),
          c.patch(`/api/sections/${section.id}`, { version: section.version, title: '改名' }),
          c.post(`/api/sections/${section.id}/move`, { version: section.version, direction: 'down' }),
          c.delete(`/api/sections/${section.id}?version=${section.version}`),
          c.post(`/api/tasks/${task.id}/move`, { version: task.version, sectionId: p.sectionIds[1] }),
          c.post(`/api/tasks/${task.id}/split`, { version: task.version, text: '甲', newText: '乙' }),
          c.post(`/api/tasks/${task.id}/merge`, { version: task.version, otherTaskId: p.tasks[1]!.id, otherVersion: 1 }),
        ];
        for (const res of await Promise.all(calls)) expect(res.statusCode, res.body).toBe(403);
      }
      expect(ok<Task>(await lead.get(`/api/tasks/${task.id}`))).toMatchObject({ version: task.version, sectionId: p.sectionIds[0] });
      expect((await outlineOf(lead, p.planId)).map((s) => s.title)).toEqual(['完善基础设施', '提升城市管理']);
    });
  });
});
