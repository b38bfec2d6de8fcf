import { beforeAll, expect, it } from 'vitest';
import type { AuditEvent, Plan, PlanDetail, Target, Task } from '../src/shared/schemas/plan.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { importHebiPlan } from './helpers/plan-import.helper.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

type Event = import('zod').infer<typeof AuditEvent>;

describeEachDialect('plans, tasks and targets', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  const seqsOf = (res: { json(): unknown }) => (res.json() as { items: Task[] }).items.map((x) => x.seq);

  beforeAll(async () => {
    admin = await t().login('admin');
    // 淇县 belongs to this group, so tasks assigned to "有关县区政府" are 淇县's tasks too.
    const group = await admin.post('/api/organisations', { name: '有关县区政府', kind: 'group', memberIds: [t().orgs.county.id] });
    expect(group.statusCode, group.body).toBe(201);
  });

  /** A fresh import of the Hebi plan for one case: its id, its tasks and `seq(n)`, task n. */
  const freshPlan = async () => {
    const { planId, tasks } = await importHebiPlan(admin);
    return { planId, tasks, seq: (n: number) => tasks[n - 1]! };
  };

  it('lists plans with their task count and edits a plan with a version check', async () => {
    const { planId } = await freshPlan();
    const leader = await t().login('leader');
    const list = (await leader.get('/api/plans')).json() as { items: Plan[]; total: number };
    // Every case imports its own plan: the list holds all of them.
    const { n } = await t()
      .db.selectFrom('plans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(list.total).toBe(Number(n));
    expect(list.items.find((p) => p.id === planId)).toMatchObject({ id: planId, taskCount: 27, status: 'active', version: 1 });
    const ok = await admin.patch(`/api/plans/${planId}`, { version: 1, title: '鹤壁市2018年度百城建设提质工程实施方案' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, taskCount: 27 });
    const stale = await admin.patch(`/api/plans/${planId}`, { version: 1, status: 'archived' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current: { version: 2 } });
    expect((await (await t().login('lead')).patch(`/api/plans/${planId}`, { version: 2, year: 2019 })).statusCode).toBe(403);
    expect((await leader.get('/api/plans/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('filters tasks by organisation, directly or through a group it belongs to, and by role', async () => {
    const { planId, tasks } = await freshPlan();
    const unit = await t().login('unit');
    const county = t().orgs.county.id;
    // 10: 浚县政府、淇县政府… are responsible; 21 and 22: 有关县区政府 (a group with 淇县).
    expect(seqsOf(await unit.get(`/api/plans/${planId}/tasks?orgId=${county}`))).toEqual([10, 21, 22]);
    expect(seqsOf(await unit.get(`/api/plans/${planId}/tasks?orgId=${county}&role=responsible`))).toEqual([10, 21, 22]);
    expect(seqsOf(await unit.get(`/api/plans/${planId}/tasks?orgId=${county}&role=lead`))).toEqual([]);
    const lead = t().orgs.leadDept.id;
    const expected = tasks.filter((x) => x.assignments.some((a) => a.orgId === lead && a.role === 'lead')).map((x) => x.seq);
    expect(expected.length).toBeGreaterThan(5);
    expect(seqsOf(await unit.get(`/api/plans/${planId}/tasks?orgId=${lead}&role=lead&limit=500`))).toEqual(expected);
  });

  it('filters by section including its descendants, by text and pages in document order', async () => {
    const { planId, tasks, seq } = await freshPlan();
    const detail = (await admin.get(`/api/plans/${planId}`)).json() as PlanDetail;
    const three = detail.sections[2].children.find((c) => c.path.at(-1) === '(三)')!;
    const expected = tasks.filter((x) => x.sectionPath[0] === '三' && x.sectionPath[1] === '(三)').map((x) => x.seq);
    expect(expected.length).toBe(13);
    const bySection = await admin.get(`/api/plans/${planId}/tasks?sectionId=${three.id}&limit=500`);
    expect(seqsOf(bySection)).toEqual(expected);
    expect(bySection.json().total).toBe(13);

    const q = await admin.get(`/api/plans/${planId}/tasks?q=${encodeURIComponent('综合管廊')}`);
    expect(seqsOf(q)).toEqual(tasks.filter((x) => x.text.includes('综合管廊')).map((x) => x.seq));
    // LIKE wildcards in q are literal characters.
    const percent = await admin.get(`/api/plans/${planId}/tasks?q=${encodeURIComponent('%')}&limit=500`);
    expect(seqsOf(percent)).toEqual(tasks.filter((x) => x.text.includes('%')).map((x) => x.seq));
    expect(seqsOf(await admin.get(`/api/plans/${planId}/tasks?q=${encodeURIComponent('_')}`))).toEqual([]);

    const page = await admin.get(`/api/plans/${planId}/tasks?limit=5&offset=5`);
    expect(seqsOf(page)).toEqual([6, 7, 8, 9, 10]);
    expect(page.json().total).toBe(27);
    expect((await admin.get(`/api/plans/${planId}/tasks?limit=0`)).statusCode).toBe(400);

    const one = await admin.get(`/api/tasks/${seq(6).id}`);
    expect(one.json()).toEqual(seq(6));
  });

  it('lets exactly one of two concurrent edits at the same version win', async () => {
    const { planId, seq } = await freshPlan();
    const task = seq(2);
    const [a, b] = await Promise.all([
      admin.patch(`/api/tasks/${task.id}`, { version: task.version, status: 'on_track' }),
      admin.patch(`/api/tasks/${task.id}`, { version: task.version, status: 'at_risk' }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    const winner = a.statusCode === 200 ? a : b;
    expect(loser.headers['content-type']).toContain('application/problem+json');
    expect(loser.json()).toMatchObject({ code: 'version_conflict', current: { id: task.id, version: 2 } });
    expect(loser.json().current.status).toBe(winner.json().status);
    const byStatus = await admin.get(`/api/plans/${planId}/tasks?status=${winner.json().status}`);
    expect(seqsOf(byStatus)).toEqual([2]);
  });

  it('keeps district shares within their city total for additive units', async () => {
    const { seq } = await freshPlan();
    const lead = await t().login('lead');
    const [total, part9] = seq(6).targets;
    const tooBig = await lead.patch(`/api/targets/${part9.id}`, { version: part9.version, value: 10 });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json().detail).toMatch(/21 公里.*20 公里/);
    const smallerTotal = await lead.patch(`/api/targets/${total.id}`, { version: total.version, value: 19 });
    expect(smallerTotal.statusCode).toBe(422);

    const bigger = await lead.patch(`/api/targets/${total.id}`, { version: total.version, value: 25 });
    expect(bigger.statusCode, bigger.body).toBe(200);
    const share = { metric: '地下综合管廊', unit: '公里', value: 5, jurisdictionLabel: '淇县', parentTargetId: total.id };
    const added = await lead.post(`/api/tasks/${seq(6).id}/targets`, share);
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ jurisdictionOrgId: t().orgs.county.id, jurisdictionLabel: '淇县', parentTargetId: total.id });
    expect((await lead.post(`/api/tasks/${seq(6).id}/targets`, { ...share, value: 1 })).statusCode).toBe(422);
    // Percentages do not add up across districts: no check.
    const pct = (await lead.post(`/api/tasks/${seq(6).id}/targets`, { metric: '覆盖率', unit: '%', value: 80 })).json() as Target;
    const pctPart = await lead.post(`/api/tasks/${seq(6).id}/targets`, { metric: '覆盖率', unit: '%', value: 90, parentTargetId: pct.id });
    expect(pctPart.statusCode).toBe(201);
    // A share of another task's total is refused.
    expect((await lead.post(`/api/tasks/${seq(7).id}/targets`, { ...share, value: 1 })).statusCode).toBe(403);
    expect((await admin.post(`/api/tasks/${seq(7).id}/targets`, { ...share, value: 1 })).statusCode).toBe(422);

    const created = added.json() as Target;
    const stale = await lead.delete(`/api/targets/${created.id}?version=7`);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({ id: created.id, version: 1 });
    expect((await lead.delete(`/api/targets/${created.id}?version=1`)).statusCode).toBe(200);
    expect((await lead.get(`/api/tasks/${seq(6).id}`)).json().targets).toHaveLength(6);
  });

  it('authorises writes per row: unit users their own targets and tasks, leaders nothing', async () => {
    const { seq } = await freshPlan();
    const unit = await t().login('unit');
    const own = seq(3).targets.find((x) => x.jurisdictionLabel === '淇县')!;
    const ownEdit = await unit.patch(`/api/targets/${own.id}`, { version: own.version, status: 'on_track' });
    expect(ownEdit.statusCode, ownEdit.body).toBe(200);
    const other = seq(13).targets.find((x) => x.jurisdictionLabel === '浚县')!;
    expect(other.jurisdictionOrgId).toBe(t().orgs.county2.id);
    expect((await unit.patch(`/api/targets/${other.id}`, { version: other.version, value: 1 })).statusCode).toBe(403);

    // Shared tasks (淇县 with three other counties on 10; through 有关县区政府 on 21) are one record for
    // all their counties: a county may not change their status for the others.
    expect((await unit.patch(`/api/tasks/${seq(10).id}`, { version: seq(10).version, status: 'on_track' })).statusCode).toBe(403);
    expect((await unit.patch(`/api/tasks/${seq(21).id}`, { version: seq(21).version, status: 'on_track' })).statusCode).toBe(403);
    expect((await unit.patch(`/api/tasks/${seq(1).id}`, { version: seq(1).version, status: 'on_track' })).statusCode).toBe(403);
    expect((await unit.post(`/api/tasks/${seq(6).id}/deadlines`, { date: '2018-09-30' })).statusCode).toBe(403);

    const leader = await t().login('leader');
    expect((await leader.patch(`/api/tasks/${seq(10).id}`, { version: 2, status: 'done' })).statusCode).toBe(403);
    expect((await leader.patch(`/api/targets/${own.id}`, { version: 2, status: 'done' })).statusCode).toBe(403);
    expect((await leader.get(`/api/tasks/${seq(10).id}`)).statusCode).toBe(200);

    // An admin makes 淇县 the only responsible unit of task 1: now its unit user may edit it;
    // with the group back on the task, it may not.
    const shared = seq(1).assignments.filter((a) => a.role === 'responsible');
    expect(shared.length).toBeGreaterThan(0);
    for (const a of shared) expect((await admin.delete(`/api/assignments/${a.id}`)).statusCode).toBe(200);
    const assigned = await admin.post(`/api/tasks/${seq(1).id}/assignments`, { orgId: t().orgs.county.id, role: 'responsible' });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect((await admin.post(`/api/tasks/${seq(1).id}/assignments`, { orgId: t().orgs.county.id, role: 'responsible' })).statusCode).toBe(
      409,
    );
    expect((await unit.patch(`/api/tasks/${seq(1).id}`, { version: 1, status: 'on_track' })).statusCode).toBe(200);
    expect((await admin.post(`/api/tasks/${seq(1).id}/assignments`, { orgId: shared[0].orgId, role: 'responsible' })).statusCode).toBe(201);
    expect((await unit.patch(`/api/tasks/${seq(1).id}`, { version: 2, status: 'done' })).statusCode).toBe(403);
    expect((await unit.post(`/api/tasks/${seq(1).id}/assignments`, { orgId: t().orgs.county.id, role: 'lead' })).statusCode).toBe(403);
  });

  it('maps a jurisdiction label to its organisation on edit, and keeps the label when unset', async () => {
    const { seq } = await freshPlan();
    const target = seq(4).targets.find((x) => x.jurisdictionLabel === '市城区' && x.value === 25)!;
    expect(target.jurisdictionOrgId).toBeNull();
    const relabelled = await admin.patch(`/api/targets/${target.id}`, { version: target.version, jurisdictionLabel: '浚县' });
    expect(relabelled.json()).toMatchObject({
      jurisdictionLabel: '浚县',
      jurisdictionOrgId: t().orgs.county2.id,
      jurisdictionName: '浚县',
    });
    const unset = await admin.patch(`/api/targets/${target.id}`, { version: target.version + 1, jurisdictionOrgId: null });
    expect(unset.json()).toMatchObject({ jurisdictionLabel: '浚县', jurisdictionOrgId: null, value: 25, unit: '%', comparator: '>=' });
  });

  it('adds and removes deadlines', async () => {
    const { seq } = await freshPlan();
    const lead = await t().login('lead');
    const res = await lead.post(`/api/tasks/${seq(6).id}/deadlines`, { date: '2018-09-30', text: '9月底前' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await lead.get(`/api/tasks/${seq(6).id}`)).json().deadlines.map((d: { date: string }) => d.date)).toContain('2018-09-30');
    expect((await lead.delete(`/api/deadlines/${res.json().id}`)).statusCode).toBe(200);
    expect((await lead.delete(`/api/deadlines/${res.json().id}`)).statusCode).toBe(404);
  });

  it('shows the import and later edits in the task history, with actor names', async () => {
    const { seq } = await freshPlan();
    // Later edits by the lead unit: a target changed, one added and removed, a deadline added.
    const lead = await t().login('lead');
    const [total] = seq(6).targets;
    expect((await lead.patch(`/api/targets/${total!.id}`, { version: total!.version, value: 25 })).statusCode).toBe(200);
    const added = await lead.post(`/api/tasks/${seq(6).id}/targets`, { metric: '覆盖率', unit: '%', value: 80 });
    expect(added.statusCode, added.body).toBe(201);
    expect((await lead.delete(`/api/targets/${added.json().id}?version=1`)).statusCode).toBe(200);
    expect((await lead.post(`/api/tasks/${seq(6).id}/deadlines`, { date: '2018-09-30', text: '9月底前' })).statusCode).toBe(201);

    const leader = await t().login('leader');
    const res = await leader.get(`/api/tasks/${seq(6).id}/history`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Event[] }).items;
    const actions = items.map((e) => e.action);
    expect(actions).toContain('task.import');
    expect(actions).toContain('target.update');
    expect(actions).toContain('target.create');
    expect(actions).toContain('target.delete');
    expect(actions).toContain('deadline.create');
    expect(items.find((e) => e.action === 'target.update')?.actorName).toBe('测试lead');
    expect(items.find((e) => e.action === 'task.import')?.actorName).toBe('测试admin');
    // Newest first.
    expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));

    const verify = await admin.get('/api/audit/verify');
    expect(verify.json()).toMatchObject({ ok: true });
  });
});
