import { describe, expect, it } from 'vitest';
import type { LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import type { PlanImport } from '../src/shared/schemas/plan-import.schema.ts';
import type { AuditEvent, Task } from '../src/shared/schemas/plan.schema.ts';
import type { PlanExtract } from '../src/shared/schemas/plan-extract.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { useDemoApp } from './helpers/demo-app.ts';
import { makePeriod } from './helpers/factories.ts';
import { multipartFile } from './helpers/multipart.ts';
import { HEBI_TEXT, importHebiPlan } from './helpers/plan-import.helper.ts';
import type { TestClient } from './helpers/test-app.ts';

type Draft = import('zod').infer<typeof PlanImport>;
type Event = import('zod').infer<typeof AuditEvent>;

const EDIT_FROM = '开工建设20公里地下综合管廊,其中淇滨区9公里、城乡一体化示范区5.5公里、开发区5.5公里';
const EDIT_TO = '开工建设24公里地下综合管廊,其中淇滨区11公里、城乡一体化示范区6.5公里、开发区6.5公里';
const REMOVED_START = '各县区结合“达标街道”建设';
const REMOVED_END = '配合单位:各县区政府、管委)';
const ADD_AFTER = '推进数字化城市管理向智慧化升级。(牵头单位:市住房和城乡建设局,责任单位:各县区政府、管委)';
const ADDED = '加快建设城市智慧停车系统,2018年底前建成市级智慧停车管理平台。(牵头单位:市公安局,责任单位:各县区政府、管委)';

/** The Hebi plan with one clause edited (the 管廊 figures), one deleted (缆线入地) and one added (智慧停车). */
function revisedHebiText(): string {
  const start = HEBI_TEXT.indexOf(REMOVED_START);
  const end = HEBI_TEXT.indexOf(REMOVED_END, start) + REMOVED_END.length;
  expect(start).toBeGreaterThan(0);
  let text = HEBI_TEXT.slice(0, start) + HEBI_TEXT.slice(end);
  expect(text).toContain(EDIT_FROM);
  text = text.replace(EDIT_FROM, EDIT_TO);
  expect(text).toContain(ADD_AFTER);
  return text.replace(ADD_AFTER, ADD_AFTER + ADDED);
}

async function tasksOf(client: TestClient, planId: string): Promise<Task[]> {
  const res = await client.get(`/api/plans/${planId}/tasks?limit=500`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Task[] }).items;
}

async function historyOf(client: TestClient, taskId: string): Promise<Event[]> {
  const res = await client.get(`/api/tasks/${taskId}/history`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Event[] }).items;
}

describeEachDialect('plan revisions', (ctx) => {
  const d = useDemoApp(ctx);

  /** A fresh import of the Hebi plan (on the demo registry) for one case, so no case revises another's plan. */
  const freshPlan = async (admin: TestClient) => (await importHebiPlan(admin)).planId;
  /** Task 1 edited (history the revision must keep), then the revision drafted against `planId`. */
  const draftRevision = async (admin: TestClient, planId: string): Promise<{ before: Task[]; draft: Draft }> => {
    const before = await tasksOf(admin, planId);
    const patched = await admin.patch(`/api/tasks/${before[0].id}`, { version: before[0].version, status: 'on_track' });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await admin.post('/api/plan-imports', { text: revisedHebiText(), filename: 'hebi-revised.txt', revisesPlanId: planId });
    expect(res.statusCode, res.body).toBe(201);
    return { before, draft: res.json() as Draft };
  };
  /** A fresh plan with the revision applied. */
  const revisedPlan = async (admin: TestClient): Promise<string> => {
    const planId = await freshPlan(admin);
    const { draft } = await draftRevision(admin, planId);
    expect((await admin.post(`/api/plan-imports/${draft.id}/confirm`)).statusCode).toBe(200);
    return planId;
  };

  describe('re-importing a revised Hebi plan', () => {
    it('matches the revised clauses to the existing tasks', async () => {
      const admin = await d().login('admin');
      const planId = await freshPlan(admin);
      const before = await tasksOf(admin, planId);
      expect(before).toHaveLength(27);
      // History that must survive the revision: an edit on a task the revision leaves alone.
      const patched = await admin.patch(`/api/tasks/${before[0].id}`, { version: before[0].version, status: 'on_track' });
      expect(patched.statusCode, patched.body).toBe(200);

      const res = await admin.post('/api/plan-imports', { text: revisedHebiText(), filename: 'hebi-revised.txt', revisesPlanId: planId });
      expect(res.statusCode, res.body).toBe(201);
      const draft = res.json() as Draft;
      expect(draft.revisesPlanId).toBe(planId);
      expect(draft.unresolved).toEqual([]);
      const diff = draft.diff!;
      expect(diff.planId).toBe(planId);
      // 27 tasks before: 1 edited + 1 removed + 25 unchanged; 27 clauses after: 25 + 1 edited + 1 added.
      expect(diff.edited).toHaveLength(1);
      expect(diff.removed).toHaveLength(1);
      expect(diff.added).toHaveLength(1);
      expect(diff.unchanged).toHaveLength(25);
      const pipes = before.find((t) => t.text.includes(EDIT_FROM))!;
      expect(diff.edited[0]).toMatchObject({ taskId: pipes.id });
      expect(diff.edited[0].after).toContain(EDIT_TO);
      expect(diff.edited[0].similarity).toBeGreaterThan(0.6);
      expect(diff.edited[0].similarity).toBeLessThan(1);
      expect(diff.removed[0]).toMatchObject({ taskId: before.find((t) => t.text.includes(REMOVED_START))!.id });
      expect(diff.added[0].text).toContain('智慧停车');
      const matched = new Set([...diff.unchanged, ...diff.edited].map((u) => u.taskId));
      expect(matched.size).toBe(26);
      expect((await admin.get(`/api/plan-imports/${draft.id}`)).json()).toMatchObject({ diff: { planId } });
    });

    it('applies the revision on confirm: ids and history kept, the edit audited, removed and added tasks', async () => {
      const admin = await d().login('admin');
      const planId = await freshPlan(admin);
      const { before, draft } = await draftRevision(admin, planId);
      const plansBefore = (await admin.get('/api/plans')).json() as { items: { id: string }[] };
      const res = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ planId, taskCount: 27 });
      // A revision changes the plan in place: no plan is added.
      const plans = (await admin.get('/api/plans')).json() as { items: { id: string }[] };
      expect(plans.items).toHaveLength(plansBefore.items.length);
      expect(plans.items.map((p) => p.id)).toContain(planId);

      const after = await tasksOf(admin, planId);
      expect(after.map((t) => t.seq)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
      const afterById = new Map(after.map((t) => [t.id, t]));
      for (const u of draft.diff!.unchanged) {
        const old = before.find((t) => t.id === u.taskId)!;
        const now = afterById.get(u.taskId);
        expect(now, old.text.slice(0, 20)).toBeDefined();
        expect(now!.text).toBe(old.text);
        expect(now!.assignments.map((a) => a.id)).toEqual(old.assignments.map((a) => a.id));
        expect(now!.targets.map((x) => x.id)).toEqual(old.targets.map((x) => x.id));
      }
      // The task edited before the revision keeps its edit, version and history.
      const first = afterById.get(before[0].id)!;
      expect(first).toMatchObject({ status: 'on_track', version: 2 });
      expect((await historyOf(admin, first.id)).map((e) => e.action)).toEqual(['task.update', 'task.import']);

      const pipesId = draft.diff!.edited[0].taskId;
      const pipes = afterById.get(pipesId)!;
      expect(pipes.text).toContain(EDIT_TO);
      expect(pipes.version).toBe(2);
      expect(pipes.targets.map((x) => [x.value, x.jurisdictionLabel])).toEqual([
        [24, null],
        [11, '淇滨区'],
        [6.5, '城乡一体化示范区'],
        [6.5, '开发区'],
      ]);
      expect(pipes.targets.slice(1).every((x) => x.parentTargetId === pipes.targets[0].id)).toBe(true);
      const pipesHistory = await historyOf(admin, pipesId);
      expect(pipesHistory.map((e) => e.action)).toEqual(['task.revise', 'task.import']);
      const revise = pipesHistory[0] as Event & { before: any; after: any };
      expect(revise.before.text).toContain(EDIT_FROM);
      expect(revise.after.text).toContain(EDIT_TO);
      expect(revise.before.targets.map((x: { value: number }) => x.value)).toEqual([20, 9, 5.5, 5.5]);
      expect(revise.after.targets.map((x: { value: number }) => x.value)).toEqual([24, 11, 6.5, 6.5]);

      const removedId = draft.diff!.removed[0].taskId;
      expect((await admin.get(`/api/tasks/${removedId}`)).statusCode).toBe(404);
      expect((await historyOf(admin, before[0].id)).length).toBeGreaterThan(0);
      const removedEvents = await d().db.selectFrom('audit_events').select('action').where('task_id', '=', removedId).execute();
      expect(removedEvents.map((e) => e.action).sort()).toEqual(['task.delete', 'task.import']);

      const added = after.find((t) => t.text.includes('智慧停车'))!;
      expect(added.assignments.map((a) => [a.orgName, a.role])).toContainEqual(['市公安局', 'lead']);
      expect((await historyOf(admin, added.id)).map((e) => e.action)).toEqual(['task.import']);

      expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
      const ledger = (await admin.get(`/api/ledger?planId=${planId}`)).json() as LedgerResponse;
      expect(new Set(ledger.rows.map((r) => r.taskId)).size).toBe(27);
      expect((await admin.post(`/api/plan-imports/${draft.id}/confirm`)).statusCode).toBe(409);
    });

    it('re-importing the same text again is all unchanged, also as a multipart upload', async () => {
      const admin = await d().login('admin');
      const planId = await revisedPlan(admin);
      const { payload, headers } = multipartFile('file', 'hebi-revised.txt', revisedHebiText(), 'text/plain');
      const boundary = headers['content-type'].split('boundary=')[1];
      // The plan id as a form field after the file.
      const field = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="revisesPlanId"\r\n\r\n${planId}\r\n--${boundary}--\r\n`,
      );
      const body = Buffer.concat([payload.subarray(0, payload.length - `--${boundary}--\r\n`.length), field]);
      const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload: body, headers });
      expect(res.statusCode, res.body).toBe(201);
      const again = res.json() as Draft;
      expect(again.revisesPlanId).toBe(planId);
      expect(again.diff).toMatchObject({ edited: [], added: [], removed: [] });
      expect(again.diff!.unchanged).toHaveLength(27);

      const bad = multipartFile('file', 'x.txt', HEBI_TEXT, 'text/plain');
      const badField = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="revisesPlanId"\r\n\r\nnot-an-id\r\n--${boundary}--\r\n`,
      );
      const badBoundary = bad.headers['content-type'].split('boundary=')[1];
      const badBody = Buffer.concat([
        bad.payload.subarray(0, bad.payload.length - `--${badBoundary}--\r\n`.length),
        Buffer.from(badField.toString().replaceAll(boundary, badBoundary)),
      ]);
      const refused = await admin.request({ method: 'POST', url: '/api/plan-imports', payload: badBody, headers: bad.headers });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([{ path: 'revisesPlanId', message: 'invalid id' }]);

      const unknown = await admin.post('/api/plan-imports', { text: HEBI_TEXT, revisesPlanId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().errors[0].path).toBe('revisesPlanId');
    });
  });

  describe('a revision once reporting has started', () => {
    it('refuses to delete reported progress, names the clause, and changes nothing', async () => {
      const [admin, qixian] = [await d().login('admin'), await d().login('qixian')];
      // A revised plan with reporting started: its June period open.
      const planId = await revisedPlan(admin);
      const period = await makePeriod(d(), planId, { start: '2018-06-01', open: true });
      const mine = (await qixian.get(`/api/periods/${period.id}/my-reports`)).json() as {
        items: { taskId: string; taskSeq: number; targetId: string | null; metric: string | null }[];
      };
      // 淇县 reports on the 管廊 clause's city-wide target (the clause the revision below rewrites).
      const pipes = mine.items.find((r) => r.targetId !== null && r.metric?.includes('管廊'))!;
      expect(pipes, 'a 管廊 target in 淇县’s rows').toBeDefined();
      const saved = await qixian.put(`/api/periods/${period.id}/reports`, {
        taskId: pipes.taskId,
        targetId: pipes.targetId,
        value: 2,
        narrative: '已开工 2 公里',
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const reportId = (saved.json() as { id: string }).id;
      const taskBefore = (await admin.get(`/api/tasks/${pipes.taskId}`)).json() as Task;

      const text = revisedHebiText().replace(EDIT_TO, EDIT_TO.replace('24公里', '26公里'));
      const res = await admin.post('/api/plan-imports', { text, filename: 'hebi-revised-2.txt', revisesPlanId: planId });
      expect(res.statusCode, res.body).toBe(201);
      const second = res.json() as Draft;
      expect(second.diff!.edited.map((e) => e.taskId)).toEqual([pipes.taskId]);

      const refused = await admin.post(`/api/plan-imports/${second.id}/confirm`);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const problem = refused.json() as { errors: { path: string; message: string }[] };
      expect(problem.errors).toEqual([
        { path: `tasks.${pipes.taskSeq}`, message: expect.stringContaining(`第${pipes.taskSeq}项已有1份进展报告`) },
      ]);

      // Nothing changed: the task, its targets and the report are all still there.
      const taskAfter = (await admin.get(`/api/tasks/${pipes.taskId}`)).json() as Task;
      expect(taskAfter.version).toBe(taskBefore.version);
      expect(taskAfter.targets.map((x) => x.id)).toEqual(taskBefore.targets.map((x) => x.id));
      expect((await qixian.get(`/api/reports/${reportId}`)).statusCode).toBe(200);
    });
  });

  describe('PUT /api/plan-imports/:id/extract', () => {
    it('refuses a malformed extraction with the field paths', async () => {
      const admin = await d().login('admin');
      const draft = (await admin.post('/api/plan-imports', { text: HEBI_TEXT })).json() as Draft;
      const extract = structuredClone(draft.extract) as PlanExtract;
      const broken = structuredClone(extract) as any;
      broken.title = 5;
      broken.tasks[0].text = '';
      broken.tasks[1].deadlines[0].date = '2018-6-30';
      broken.tasks[3].assignment.lead[0].name = '';
      broken.tasks[3].targets = [{ value: 'many' }];
      const res = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract: broken });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
      for (const p of [
        'extract.title',
        'extract.tasks.0.text',
        'extract.tasks.1.deadlines.0.date',
        'extract.tasks.3.assignment.lead.0.name',
        'extract.tasks.3.targets.0.value',
      ]) {
        expect(paths).toContain(p);
      }
      expect((await admin.put(`/api/plan-imports/${draft.id}/extract`, {})).statusCode).toBe(400);
      expect((await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract: { ...extract, tasks: [] } })).statusCode).toBe(400);

      const ghost = structuredClone(extract);
      ghost.tasks[3].assignment.lead[0].orgId = '00000000-0000-4000-8000-000000000000';
      const refused = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract: ghost });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors[0].path).toBe('extract.tasks.3.assignment.lead.0.orgId');
      const lead = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract });
      expect(lead.statusCode).toBe(200);
      const zhujian = await d().login('zhujian');
      expect((await zhujian.put(`/api/plan-imports/${draft.id}/extract`, { extract })).statusCode).toBe(403);
    });

    it('stores the edits, re-resolves units, keeps picked organisations, and confirms them into the plan', async () => {
      const admin = await d().login('admin');
      const draft = (await admin.post('/api/plan-imports', { text: HEBI_TEXT, filename: 'edited.txt' })).json() as Draft;
      const extract = structuredClone(draft.extract) as PlanExtract;
      const police = d().org('市公安局');
      extract.title = '鹤壁市2018年度百城建设提质工程工作实施方案（修订稿）';
      extract.tasks[0].assignment.responsible = [{ mention: '新设指挥部', name: '新设指挥部' }];
      extract.tasks[1].deadlines = [{ date: '2018-09-30', text: '9月底前', span: [0, 0] }];
      extract.tasks[3].assignment.lead = [{ mention: '交警', name: '交警支队', orgId: police }];
      extract.tasks[2].targets = extract.tasks[2].targets.slice(0, 1);

      const res = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract });
      expect(res.statusCode, res.body).toBe(200);
      const edited = res.json() as Draft;
      expect(edited.title).toBe(extract.title);
      expect(edited.unresolved.map((u) => u.name)).toEqual(['新设指挥部']);
      const stored = edited.extract as PlanExtract;
      expect(stored.tasks[3].assignment.lead).toEqual([{ mention: '交警', name: '交警支队', orgId: police }]);
      expect(stored.tasks[1].deadlines.map((x) => x.date)).toEqual(['2018-09-30']);
      // Mappings survive a later edit (mapping onto an existing body adds no alias to resolve by).
      const office = d().org('市百城办');
      const mapped = await admin.post(`/api/plan-imports/${draft.id}/mappings`, { mappings: [{ name: '新设指挥部', orgId: office }] });
      expect(mapped.statusCode, mapped.body).toBe(200);
      const again = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract });
      expect(again.json().unresolved).toEqual([expect.objectContaining({ name: '新设指挥部', orgId: office })]);

      const confirmed = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      const tasks = await tasksOf(admin, confirmed.json().planId);
      expect(tasks[0].assignments.filter((a) => a.role === 'responsible').map((a) => a.orgName)).toEqual(['市百城办']);
      expect(tasks[1].deadlines.map((x) => x.date)).toEqual(['2018-09-30']);
      expect(tasks[3].assignments.filter((a) => a.role === 'lead').map((a) => a.orgName)).toEqual(['市公安局']);
      expect(tasks[2].targets).toHaveLength(1);

      expect((await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract })).statusCode).toBe(409);
    });
  });
});
