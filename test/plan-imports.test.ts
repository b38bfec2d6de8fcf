import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src/shared/limits.ts';
import type { PlanImport } from '../src/shared/schemas/plan-import.schema.ts';
import type { PlanDetail, SectionNode, Task } from '../src/shared/schemas/plan.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { guessKind, HEBI_TEXT, multipartFile } from './helpers/plan-import.helper.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

type Draft = import('zod').infer<typeof PlanImport>;

function countSections(nodes: SectionNode[]): number {
  return nodes.reduce((n, s) => n + 1 + countSections(s.children), 0);
}

describeEachDialect('plan imports', (ctx) => {
  const t = useTestApp(ctx);

  describe('the Hebi 2018 plan, pasted as text', () => {
    // Each case imports its own draft (and maps and confirms it when it needs a plan), so any one
    // runs alone. Mapping creates organisations, so a later case of the file may find fewer
    // mentions unresolved: mapHebiMentions maps whatever is left.

    /** A fresh draft of the Hebi text, as the admin pastes it. */
    async function importHebi(admin: TestClient): Promise<Draft> {
      const res = await admin.post('/api/plan-imports', { text: HEBI_TEXT, filename: 'hebi-2018-baicheng.txt' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Draft;
    }

    /** Maps every unresolved mention: 市直有关单位 onto the seeded office, each other one to a new organisation. */
    async function mapHebiMentions(admin: TestClient, draft: Draft): Promise<Draft> {
      const res = await admin.post(`/api/plan-imports/${draft.id}/mappings`, {
        mappings: draft.unresolved.map((u) =>
          u.name === '市直有关单位'
            ? { name: u.name, orgId: t().orgs.office.id }
            : { name: u.name, create: { name: u.name, kind: guessKind(u.name) } },
        ),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Draft;
    }

    /** The Hebi plan imported, mapped and confirmed: its plan id. */
    async function confirmHebiPlan(admin: TestClient): Promise<string> {
      const draft = await mapHebiMentions(admin, await importHebi(admin));
      const res = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().planId;
    }

    it('parses into a draft with the unresolved unit mentions', async () => {
      const admin = await t().login('admin');
      const draft = await importHebi(admin);
      expect(draft.status).toBe('draft');
      expect(draft.title).toBe('鹤壁市2018年度百城建设提质工程工作实施方案');
      expect((draft.extract as { tasks: unknown[] }).tasks).toHaveLength(27);
      const names = draft.unresolved.map((u) => u.name);
      // Seeded: 市住房和城乡建设局 and the counties resolve; the registry lacks the rest.
      expect(names).not.toContain('市住房和城乡建设局');
      expect(names).toContain('各县区政府');
      expect(draft.unresolved.every((u) => u.orgId === null)).toBe(true);
      expect((await admin.get(`/api/plan-imports/${draft.id}`)).json()).toMatchObject({ id: draft.id, status: 'draft' });
    });

    it('refuses to confirm while mentions are unmapped', async () => {
      const admin = await t().login('admin');
      const draft = await importHebi(admin);
      const res = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().unmapped).toContain('各县区政府');
      const count = await t()
        .db.selectFrom('plans')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });

    it('maps mentions to existing organisations or new ones, then confirms into a plan', async () => {
      const admin = await t().login('admin');
      let draft = await importHebi(admin);
      const bad = await admin.post(`/api/plan-imports/${draft.id}/mappings`, {
        mappings: [{ name: '不存在的单位', orgId: t().orgs.office.id }],
      });
      expect(bad.statusCode).toBe(400);

      const [first, ...rest] = draft.unresolved;
      const mapped = await admin.post(`/api/plan-imports/${draft.id}/mappings`, {
        mappings: [
          { name: first.name, create: { name: first.name, kind: guessKind(first.name) } },
          ...rest.map((u) =>
            u.name === '市直有关单位'
              ? { name: u.name, orgId: t().orgs.office.id }
              : { name: u.name, create: { name: u.name, kind: guessKind(u.name) } },
          ),
        ],
      });
      expect(mapped.statusCode, mapped.body).toBe(200);
      draft = mapped.json() as Draft;
      expect(draft.unresolved.every((u) => u.orgId !== null)).toBe(true);
      expect(draft.unresolved.find((u) => u.name === '市直有关单位')?.orgId).toBe(t().orgs.office.id);

      const confirmed = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json().taskCount).toBe(27);
      const planId = confirmed.json().planId;

      const again = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(again.statusCode).toBe(409);
      expect((await admin.get(`/api/plan-imports/${draft.id}`)).json()).toMatchObject({ status: 'confirmed', planId });
    });

    it('stores the outline, tasks in document order, assignments per role and targets with jurisdictions', async () => {
      const planId = await confirmHebiPlan(await t().login('admin'));
      const reader = await t().login('leader');
      const detail = (await reader.get(`/api/plans/${planId}`)).json() as PlanDetail;
      expect(detail.title).toBe('鹤壁市2018年度百城建设提质工程工作实施方案');
      expect(detail.issuer).toBe('鹤壁市人民政府办公室');
      expect(detail.year).toBe(2018);
      expect(detail.taskCount).toBe(27);
      expect(detail.sections.map((s) => s.path)).toEqual([['一'], ['二'], ['三'], ['四'], ['五']]);
      expect(countSections(detail.sections)).toBeGreaterThan(20);
      const three = detail.sections[2];
      expect(three.children.map((c) => c.path.at(-1))).toContain('(三)');

      const list = await reader.get(`/api/plans/${planId}/tasks?limit=500`);
      const tasks = (list.json() as { items: Task[]; total: number }).items;
      expect(tasks.map((x) => x.seq)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));

      // Task 6: 开工建设20公里地下综合管廊,其中淇滨区9公里、城乡一体化示范区5.5公里、开发区5.5公里.
      const pipes = tasks[5];
      expect(pipes.sectionPath).toEqual(['三', '(三)', '1']);
      const byRole = (role: string) => pipes.assignments.filter((a) => a.role === role).map((a) => a.orgName);
      expect(byRole('lead')).toEqual(['市住房和城乡建设局', '市城乡规划管理局']);
      expect(byRole('responsible')).toEqual(expect.arrayContaining(['各县区政府']));
      const [total, ...parts] = pipes.targets;
      expect(total).toMatchObject({ value: 20, unit: '公里', parentTargetId: null, jurisdictionLabel: null });
      expect(parts.map((p) => [p.value, p.jurisdictionLabel, p.parentTargetId])).toEqual([
        [9, '淇滨区', total.id],
        [5.5, '城乡一体化示范区', total.id],
        [5.5, '开发区', total.id],
      ]);

      // Task 3: 淇县要打通70%的"断头路" → the 淇县 organisation, label kept.
      const roads = tasks[2].targets.find((x) => x.value === 70)!;
      expect(roads).toMatchObject({
        unit: '%',
        jurisdictionLabel: '淇县',
        jurisdictionOrgId: t().orgs.county.id,
        jurisdictionName: '淇县',
      });
      expect(tasks[2].targets.find((x) => x.value === 50)?.jurisdictionOrgId).toBeNull();
      expect(tasks.flatMap((x) => x.deadlines).length).toBeGreaterThan(10);

      const source = await t().db.selectFrom('plans').select('source_text').where('id', '=', planId).executeTakeFirstOrThrow();
      expect(source.source_text).toBe(HEBI_TEXT);
    });

    it('resolves the mentions on a second import, thanks to the organisations created by mapping', async () => {
      const admin = await t().login('admin');
      await mapHebiMentions(admin, await importHebi(admin));
      const res = await admin.post('/api/plan-imports', { text: HEBI_TEXT });
      expect(res.statusCode).toBe(201);
      // Only the mention mapped onto an existing body stays unknown: mapping does not invent aliases.
      expect((res.json() as Draft).unresolved.map((u) => u.name)).toEqual(['市直有关单位']);
    });
  });

  describe('uploads', () => {
    it('accepts a .txt plan as multipart field `file`', async () => {
      const admin = await t().login('admin');
      const { payload, headers } = multipartFile('file', 'hebi.txt', HEBI_TEXT, 'text/plain');
      const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload, headers });
      expect(res.statusCode, res.body).toBe(201);
      const draft = res.json() as Draft;
      expect(draft.filename).toBe('hebi.txt');
      expect(draft.text).toBe(HEBI_TEXT);
      expect((draft.extract as { tasks: unknown[] }).tasks).toHaveLength(27);
    });

    it('accepts a .docx plan', async () => {
      const admin = await t().login('admin');
      const docx = readFileSync(path.resolve('test/fixtures/sample-plan.docx'));
      const { payload, headers } = multipartFile('file', 'sample-plan.docx', docx);
      const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload, headers });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as Draft).filename).toBe('sample-plan.docx');
    });

    it('refuses a file over the upload limit with 413', async () => {
      const admin = await t().login('admin');
      const { payload, headers } = multipartFile('file', 'huge.txt', Buffer.alloc(LIMITS.uploadBytes + 1024, 0x41));
      const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload, headers });
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it.each([
      ['a PDF', 'plan.pdf', Buffer.from('%PDF-1.7\n...'), 415],
      ['a binary .txt', 'plan.txt', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]), 422],
      ['a corrupt .docx', 'plan.docx', Buffer.from('PK\u0003\u0004 not really a zip'), 422],
      ['a legacy Word .doc', 'plan.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 415],
      ['a .txt that is not a plan', 'notes.txt', Buffer.from('今天天气很好。\n明天开会。\n'), 422],
    ])('answers %s with a problem document, never 500', async (_what, filename, bytes, status) => {
      const admin = await t().login('admin');
      const { payload, headers } = multipartFile('file', filename, bytes);
      const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload, headers });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('rejects a multipart request without the file field, and an empty JSON text', async () => {
      const admin = await t().login('admin');
      const { payload, headers } = multipartFile('document', 'plan.txt', HEBI_TEXT);
      const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload, headers });
      expect(res.statusCode).toBe(400);
      expect((await admin.post('/api/plan-imports', { text: '' })).statusCode).toBe(400);
    });

    it('is for administrators only', async () => {
      const lead = await t().login('lead');
      expect((await lead.post('/api/plan-imports', { text: HEBI_TEXT })).statusCode).toBe(403);
      expect((await t().anonymous.post('/api/plan-imports', { text: HEBI_TEXT })).statusCode).toBe(401);
    });
  });
});
