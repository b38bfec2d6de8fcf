/**
 * Units that are groups (issue 11 item 3): in the import review an unresolved mention such as
 * "各区政府" is mapped to an existing group or to a new group created there with its members; a
 * task assigned to the group gives one ledger row (and one "my reports" row) per member. And the
 * plan is titled by its own title, never by the uploaded file's name.
 */
import { expect, it } from 'vitest';
import type { LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import type { Organisation } from '../src/shared/schemas/organisation.schema.ts';
import type { PlanImport } from '../src/shared/schemas/plan-import.schema.ts';
import type { PlanDetail } from '../src/shared/schemas/plan.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makePeriod, makeSchedule, unique } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

type Draft = import('zod').infer<typeof PlanImport>;

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

/** A two-clause plan whose responsible units are written `group` (each case its own wording: a mapped one resolves next time). */
function planText(title: string, group: string): string {
  return [
    title,
    '一、重点任务',
    `1.新建改造城市公厕60座,2026年9月底前全部建成投入使用。(牵头单位:市住房和城乡建设局,责任单位:${group})`,
    `2.整治背街小巷80条,2026年10月底前完成。(牵头单位:市住房和城乡建设局,责任单位:${group}、淇县)`,
  ].join('\n');
}

async function draftOf(admin: TestClient, text: string, filename = '扫描件(3).txt'): Promise<Draft> {
  return ok<Draft>(await admin.post('/api/plan-imports', { text, filename }), 201);
}

describeEachDialect('plan imports: groups', (ctx) => {
  const t = useTestApp(ctx);

  it('maps a mention to a new group with its members; the ledger has one row per member', async () => {
    const admin = await t().login('admin');
    const group = '各区政府';
    const draft = await draftOf(admin, planText('某市2026年城市品质提升工作实施方案', group));
    expect(draft.unresolved.map((u) => u.name)).toEqual([group]);

    const mapped = ok<Draft>(
      await admin.post(`/api/plan-imports/${draft.id}/mappings`, {
        mappings: [{ name: group, create: { name: group, kind: 'group', memberIds: [t().orgs.county.id, t().orgs.county2.id] } }],
      }),
    );
    const groupId = mapped.unresolved[0]!.orgId!;
    const org = ok<Organisation>(await admin.get(`/api/organisations/${groupId}`));
    expect(org).toMatchObject({ name: group, kind: 'group' });
    expect([...(org.memberIds ?? [])].sort()).toEqual([t().orgs.county.id, t().orgs.county2.id].sort());

    const { planId } = ok<{ planId: string }>(await admin.post(`/api/plan-imports/${draft.id}/confirm`));
    const plan = ok<PlanDetail>(await admin.get(`/api/plans/${planId}`));
    expect(plan.title).toBe('某市2026年城市品质提升工作实施方案');

    const ledger = ok<LedgerResponse>(await admin.get(`/api/ledger?planId=${planId}`));
    const rows = ledger.rows.map((r) => `${r.seq} ${r.responsible?.name}${r.viaGroup ? ` ← ${r.viaGroup.name}` : ''}`).sort();
    // 淇县 is named on task 2 both itself and through the group: one row, not two.
    expect(rows).toEqual([`1 浚县 ← ${group}`, `1 淇县 ← ${group}`, `2 浚县 ← ${group}`, '2 淇县']);

    // A member reports on the group's task: it is in 淇县's "my reports".
    await makeSchedule(t(), planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    const period = await makePeriod(t(), planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    const unit = await t().login('unit');
    const mine = ok<{ items: Array<{ taskId: string }> }>(await unit.get(`/api/periods/${period.id}/my-reports`));
    const taskIds = new Set(ledger.rows.map((r) => r.taskId));
    expect(mine.items.filter((i) => taskIds.has(i.taskId)).length).toBeGreaterThanOrEqual(2);
  });

  it('maps a mention to an existing group', async () => {
    const admin = await t().login('admin');
    const existing = await makeOrg(t(), { name: `两区${unique()}`, kind: 'group', memberIds: [t().orgs.county.id, t().orgs.county2.id] });
    const group = '各城区政府';
    const draft = await draftOf(admin, planText('某市2026年城市更新实施方案', group));
    ok(await admin.post(`/api/plan-imports/${draft.id}/mappings`, { mappings: [{ name: group, orgId: existing.id }] }));
    const { planId } = ok<{ planId: string }>(await admin.post(`/api/plan-imports/${draft.id}/confirm`));
    const ledger = ok<LedgerResponse>(await admin.get(`/api/ledger?planId=${planId}`));
    expect(
      ledger.rows
        .filter((r) => r.seq === 1)
        .map((r) => `${r.responsible?.name} ← ${r.viaGroup?.name}`)
        .sort(),
    ).toEqual([`浚县 ← ${existing.name}`, `淇县 ← ${existing.name}`]);
  });

  it('refuses members for a non-group and unknown members — in Chinese, nothing created', async () => {
    const admin = await t().login('admin');
    const group = '各市辖区政府';
    const draft = await draftOf(admin, planText('某市2026年城市更新实施方案', group));
    const cases = [
      { name: group, create: { name: group, kind: 'department', memberIds: [t().orgs.county.id] } },
      { name: group, create: { name: group, kind: 'group', memberIds: ['00000000-0000-4000-8000-000000000000'] } },
    ];
    const messages = [];
    for (const mapping of cases) {
      const res = await admin.post(`/api/plan-imports/${draft.id}/mappings`, { mappings: [mapping] });
      expect(res.statusCode, res.body).toBe(400);
      messages.push(res.json().errors[0].message);
    }
    expect(messages).toEqual(['只有"组"类单位可以有成员', '成员单位不存在']);
    const orgs = ok<{ items: Organisation[] }>(await admin.get('/api/organisations'));
    expect(orgs.items.map((o) => o.name)).not.toContain(group);
  });

  it('titles a plan without an extracted title plainly, never by the file name', async () => {
    const admin = await t().login('admin');
    const text = '1.整治背街小巷80条,2026年10月底前完成。(牵头单位:市住房和城乡建设局,责任单位:淇县)';
    const draft = await draftOf(admin, text, '扫描件(7).txt');
    const { planId } = ok<{ planId: string }>(await admin.post(`/api/plan-imports/${draft.id}/confirm`));
    const plan = ok<PlanDetail>(await admin.get(`/api/plans/${planId}`));
    expect(plan.title).not.toContain('扫描件');
    expect(plan.title).toBe(draft.title?.trim() ? draft.title : '未命名实施方案');
  });
});
