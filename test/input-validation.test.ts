/**
 * Issue 9, items 3–5: input the schemas must refuse with a 400 naming the field, on both databases.
 * Bad calendar dates on every date path (they used to answer 500 "Invalid time value", or be
 * stored as a day that never was), bodies nested too deep for the recursive validation (a stack
 * overflow, a 500), and NUL characters below the old guard's 64 levels (stored by SQLite, a 500
 * from PostgreSQL).
 */
import { describe, expect, it } from 'vitest';
import type { PlanExtract } from '../src/shared/schemas/plan-extract.schema.ts';
import type { PlanImport } from '../src/shared/schemas/plan-import.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { insertTaskFixture } from './helpers/fixtures.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

type Draft = import('zod').infer<typeof PlanImport>;
type Section = PlanExtract['sections'][number];

const BAD_DATES = ['2018-13-01', '0000-00-00', '2018-02-30', '2019-02-29', '1900-02-29', '2018-04-31', '2018-6-30', '3000-01-01'];
const GOOD_DATES = ['2018-02-28', '2020-02-29', '2000-02-29', '2018-12-31'];

/** Asserts a 400 validation problem whose errors name `field` with the Chinese date message. */
function expectBadDate(
  res: { statusCode: number; headers: Record<string, unknown>; body: string; json(): any },
  field: string,
  value: string,
) {
  expect(res.statusCode, `${field}=${value}: ${res.body}`).toBe(400);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const problem = res.json();
  expect(problem.code).toBe('validation');
  const error = (problem.errors as { path: string; message: string }[]).find((e) => e.path === field);
  expect(error, res.body).toBeDefined();
  expect(error?.message).toContain(`不是有效日期：${value}`);
}

/** A chain of `depth` sections, each the only child of the one above; `title` on the deepest. */
function nestedSections(depth: number, title = '最深一级'): Section {
  let section: Section = { path: ['1'], title, span: [0, 1], children: [], deadlines: [], targets: [] };
  for (let level = depth - 1; level >= 1; level -= 1) {
    section = { path: ['1'], title: `第${level}级`, span: [0, 1], children: [section], deadlines: [], targets: [] };
  }
  return section;
}

describeEachDialect('input validation (issue 9)', (ctx) => {
  const t = useTestApp(ctx);

  describe('calendar dates', () => {
    it('refuses bad dates on the dashboard, the ledger, its export and the supervision proposals with 400 naming the field, and accepts real days', async () => {
      const admin = await t().login('admin');
      const unit = await t().login('unit');
      for (const value of BAD_DATES) {
        const q = encodeURIComponent(value);
        // Any signed-in user reached the 500 on the dashboard.
        expectBadDate(await unit.get(`/api/dashboard?asOf=${q}`), 'asOf', value);
        expectBadDate(await admin.get(`/api/dashboard?asOf=${q}`), 'asOf', value);
        expectBadDate(await admin.get(`/api/ledger?asOf=${q}`), 'asOf', value);
        expectBadDate(await admin.get(`/api/ledger/export.xlsx?asOf=${q}`), 'asOf', value);
        expectBadDate(await admin.get(`/api/ledger/export.xlsx?dueFrom=${q}`), 'dueFrom', value);
        expectBadDate(await admin.get(`/api/ledger/export.xlsx?dueTo=${q}`), 'dueTo', value);
        expectBadDate(await admin.get(`/api/supervision/proposals?asOf=${q}`), 'asOf', value);
      }
      // … while real days, month ends and 29 February of leap years pass on the same routes.
      await insertTaskFixture(t(), 'assigned');
      for (const value of GOOD_DATES) {
        const dashboard = await admin.get(`/api/dashboard?asOf=${value}`);
        expect(dashboard.statusCode, dashboard.body).toBe(200);
        expect(dashboard.json().asOf).toBe(value);
        const ledger = await admin.get(`/api/ledger?asOf=${value}`);
        expect(ledger.statusCode, ledger.body).toBe(200);
        expect(ledger.json().asOf).toBe(value);
        expect((await admin.get(`/api/ledger/export.xlsx?asOf=${value}&dueFrom=${value}&dueTo=${value}`)).statusCode).toBe(200);
        const proposals = await admin.get(`/api/supervision/proposals?asOf=${value}`);
        expect(proposals.statusCode, proposals.body).toBe(200);
        expect(proposals.json().asOf).toBe(value);
      }
    });

    it('refuses a bad deadline date and a bad notice due date on write, and stores nothing', async () => {
      const admin = await t().login('admin');
      const f = await insertTaskFixture(t(), 'assigned');
      const deadlinesOf = async () =>
        (await t().db.selectFrom('deadlines').select('date').where('task_id', '=', f.taskId).execute()).map((r) => r.date);
      const before = await deadlinesOf();
      const noticesBefore = await t().db.selectFrom('supervision_notices').select('id').execute();
      for (const value of BAD_DATES) {
        expectBadDate(await admin.post(`/api/tasks/${f.taskId}/deadlines`, { date: value, text: '测试' }), 'date', value);
        expectBadDate(
          await admin.post('/api/supervision', {
            rows: [{ taskId: f.taskId, orgId: t().orgs.county.id }],
            reason: '测试',
            requiredAction: '测试',
            dueDate: value,
          }),
          'dueDate',
          value,
        );
      }
      expect(await deadlinesOf()).toEqual(before);
      expect(await t().db.selectFrom('supervision_notices').select('id').execute()).toHaveLength(noticesBefore.length);

      const leap = await admin.post(`/api/tasks/${f.taskId}/deadlines`, { date: '2020-02-29', text: '测试' });
      expect(leap.statusCode, leap.body).toBe(201);
      expect(await deadlinesOf()).toContain('2020-02-29');
      const notice = await admin.post('/api/supervision', {
        rows: [{ taskId: f.taskId, orgId: t().orgs.county.id }],
        reason: '测试',
        requiredAction: '测试',
        dueDate: '2018-02-28',
      });
      expect(notice.statusCode, notice.body).toBe(201);
    });

    it('refuses a bad date inside a plan extract, naming its path', async () => {
      const admin = await t().login('admin');
      const { draft, extract } = await newDraft(admin);
      const edited = structuredClone(extract);
      edited.tasks[0].deadlines = [{ date: '2018-02-30', text: '2018年2月30日前', span: [0, 1] }];
      expectBadDate(
        await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract: edited }),
        'extract.tasks.0.deadlines.0.date',
        '2018-02-30',
      );
    });

    it('refuses to confirm a stored draft whose deadline is not a real day (a draft from before the check), storing no plan', async () => {
      const admin = await t().login('admin');
      const { draft, extract } = await newDraft(admin);
      const stale = structuredClone(extract);
      stale.tasks[0].deadlines = [{ date: '2018-06-00', text: '2018年6月0日前', span: [0, 1] }];
      await t()
        .db.updateTable('plan_imports')
        .set({ extract_json: JSON.stringify(stale) })
        .where('id', '=', draft.id)
        .execute();
      const plansBefore = await t().db.selectFrom('plans').select('id').execute();
      const res = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors[0]).toEqual({ path: 'extract.tasks.0.deadlines.0.date', message: '不是有效日期：2018-06-00' });
      expect(await t().db.selectFrom('plans').select('id').execute()).toHaveLength(plansBefore.length);
    });
  });

  /** A fresh draft import of a one-clause plan (its unit resolves to the seeded 淇县). */
  async function newDraft(admin: TestClient): Promise<{ draft: Draft; extract: PlanExtract }> {
    const res = await admin.post('/api/plan-imports', { text: '一、任务\n1.建设道路9公里，2018年6月底前完成。（责任单位：淇县）\n' });
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json() as Draft;
    return { draft, extract: structuredClone(draft.extract) as PlanExtract };
  }

  describe('nesting depth', () => {
    it('refuses sections nested 3,000 and 200 deep with 400 (not a stack overflow), and accepts a normal extract', async () => {
      const admin = await t().login('admin');
      const { draft, extract } = await newDraft(admin);
      for (const depth of [3000, 200]) {
        // Sent as text built without recursion: serialising 3,000 levels would overflow the client's stack first.
        const open = '{"path":["1"],"title":"x","span":[0,1],"deadlines":[],"targets":[],"children":[';
        const sections = `${open.repeat(depth - 1)}{"path":["1"],"title":"x","span":[0,1],"deadlines":[],"targets":[],"children":[]}${']}'.repeat(depth - 1)}`;
        const payload = JSON.stringify({ extract: { ...extract, sections: [] } }).replace('"sections":[]', `"sections":[${sections}]`);
        const res = await admin.request({
          method: 'PUT',
          url: `/api/plan-imports/${draft.id}/extract`,
          payload,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.statusCode, `depth ${depth}: ${res.body.slice(0, 300)}`).toBe(400);
        expect(res.json().code).toBe('validation');
        expect(res.json().detail).toContain('嵌套层级过深');
        expect(res.json().errors[0].path).toMatch(/^extract\.sections\.0\.children\.0\./);
      }
      const ok = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract });
      expect(ok.statusCode, ok.body).toBe(200);
    });

    it('bounds sections at 8 levels in the schema itself, naming the limit', async () => {
      const admin = await t().login('admin');
      const { draft, extract } = await newDraft(admin);
      const nine = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract: { ...extract, sections: [nestedSections(9)] } });
      expect(nine.statusCode, nine.body).toBe(400);
      const error = (nine.json().errors as { path: string; message: string }[])[0];
      expect(error.path).toBe(`extract.sections.0${'.children.0'.repeat(7)}.children`);
      expect(error.message).toContain('最多 8 级');

      const eight = await admin.put(`/api/plan-imports/${draft.id}/extract`, { extract: { ...extract, sections: [nestedSections(8)] } });
      expect(eight.statusCode, eight.body).toBe(200);
      const confirmed = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    });

    it('refuses any JSON body nested deeper than 32 levels, on any route', async () => {
      const admin = await t().login('admin');
      const deep = JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`);
      const res = await admin.post('/api/organisations', { name: '深层单位', kind: 'department', aliases: deep });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().detail).toContain('嵌套层级过深');
      expect(res.json().errors[0].path).toMatch(/^aliases(\.0)+$/);
    });
  });

  describe('NUL characters', () => {
    it('refuses a NUL byte 100 levels deep (and at any shallower level) with 400 and stores nothing; the draft still confirms', async () => {
      const admin = await t().login('admin');
      const { draft, extract } = await newDraft(admin);
      // 49 sections: the deepest title sits at JSON depth 100 (extract.sections.0.children.0…title).
      const res = await admin.put(`/api/plan-imports/${draft.id}/extract`, {
        extract: { ...extract, sections: [nestedSections(49, 'a\u0000b')] },
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
      expect(res.json().code).toBe('validation');
      const row = await t().db.selectFrom('plan_imports').select('extract_json').where('id', '=', draft.id).executeTakeFirstOrThrow();
      expect(String(row.extract_json)).not.toContain('\\u0000');
      expect(String(row.extract_json)).not.toContain('\u0000');
      // Within the depth limit the same walk names the NUL's path, at every level.
      const shallow = await admin.put(`/api/plan-imports/${draft.id}/extract`, {
        extract: { ...extract, sections: [nestedSections(8, 'a\u0000b')] },
      });
      expect(shallow.statusCode, shallow.body).toBe(400);
      expect(shallow.json().errors[0].path).toBe(`extract.sections.0${'.children.0'.repeat(7)}.title`);
      expect(shallow.json().errors[0].message).toContain('NUL');
      const confirmed = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    });
  });
});
