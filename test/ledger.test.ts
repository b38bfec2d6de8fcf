import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { stripAssignmentText } from '../src/server/documents/task-breakdown.format.ts';
import { filterLedgerRows } from '../src/shared/ledger-filter.ts';
import { addDays } from '../src/shared/china-date.ts';
import { type Dashboard, type LedgerFilter, LedgerResponse, type LedgerRow } from '../src/shared/schemas/ledger.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { useDemoApp } from './helpers/demo-app.ts';
import type { TestClient } from './helpers/test-app.ts';

// Mid-2018: the June deadlines have passed, the year-end ones have not.
const AS_OF = '2018-07-01';

async function ledgerOf(client: TestClient, planId: string): Promise<LedgerRow[]> {
  const res = await client.get(`/api/ledger?planId=${planId}&asOf=${AS_OF}`);
  expect(res.statusCode, res.body).toBe(200);
  // The route skips zod on the way out (speed at 10,000 rows): hold it to the contract here.
  const body = LedgerResponse.parse(res.json());
  expect(body.asOf).toBe(AS_OF);
  return body.rows;
}

function query(filter: Record<string, string | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) params.set(k, v === true ? '1' : String(v));
  return params.toString();
}

/** The exported sheet's data rows (序号 is a number; section rows are merged text). */
async function readExport(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('台账')!;
  const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? '' : String(v));
  const header = (sheet.getRow(3).values as ExcelJS.CellValue[]).slice(1).map(text);
  const data: { n: number; text: string; responsible: string; status: string }[] = [];
  const sectionRows: string[] = [];
  sheet.eachRow((row, r) => {
    if (r <= 3) return;
    const first = row.getCell(1).value;
    if (typeof first === 'number') {
      data.push({
        n: first,
        text: text(row.getCell(3).value),
        responsible: text(row.getCell(5).value).split('\n')[0],
        status: text(row.getCell(9).value),
      });
    } else sectionRows.push(text(first));
  });
  return { sheet, title: text(sheet.getCell(1, 1).value), subtitle: text(sheet.getCell(2, 1).value), header, data, sectionRows };
}

describeEachDialect('ledger', (ctx) => {
  const d = useDemoApp(ctx);

  describe('rows of the Hebi plan', () => {
    it('has one row per task × responsible unit, groups expanded into their members', async () => {
      const rows = await ledgerOf(await d().login('admin'), d().planId);
      const tasks = new Set(rows.map((r) => r.taskId));
      expect(tasks.size).toBe(27);
      expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
      for (const r of rows) expect(r.key).toBe(`${r.taskId}:${r.responsible?.id ?? '-'}`);

      // Task 6 (地下综合管廊): 各县区政府、管委 → five governments and two 管委会, each its own row.
      const pipes = rows.filter((r) => r.seq === 6);
      expect(pipes).toHaveLength(7);
      const qixian = pipes.find((r) => r.responsible?.name === '淇县政府')!;
      expect(qixian.viaGroup?.name).toBe('各县区政府');
      expect(pipes.find((r) => r.responsible?.name === '鹤壁经济技术开发区管委会')?.viaGroup?.name).toBe('各县区管委');
      expect(qixian.lead.map((o) => o.name)).toEqual(['市住房和城乡建设局', '市城乡规划管理局']);
      // The city total and no district share of 淇县; 淇滨区 gets its 9 公里 on its own row.
      expect(qixian.targets.map((t) => [t.value, t.jurisdictionLabel])).toEqual([[20, null]]);
      const qibin = pipes.find((r) => r.responsible?.name === '淇滨区政府')!;
      expect(qibin.targets.map((t) => [t.value, t.jurisdictionLabel])).toEqual([
        [20, null],
        [9, '淇滨区'],
      ]);
      expect(qixian.sectionPath).toEqual(['三', '(三)', '1']);
      expect(qixian.sectionIds).toHaveLength(3);
      expect(qixian.topSectionTitle).toBe('重点任务');

      // Named one by one (浚县、淇县、山城区、鹤山区政府): direct rows, no group.
      const streets = rows.filter((r) => r.text.includes('历史文化精品特色街区'));
      expect(streets.map((r) => r.responsible?.name).sort()).toEqual(['山城区政府', '浚县政府', '淇县政府', '鹤山区政府'].sort());
      expect(streets.every((r) => r.viaGroup === null)).toBe(true);

      // 淇县要打通70%: the 70% is 淇县's alone.
      const roads = rows.filter((r) => r.seq === 3);
      expect(roads.find((r) => r.responsible?.name === '淇县政府')!.targets.some((t) => t.value === 70)).toBe(true);
      expect(roads.find((r) => r.responsible?.name === '浚县政府')!.targets.some((t) => t.value === 70)).toBe(false);

      // Statuses for mid-2018: a June deadline has passed.
      expect(qixian.deadlines).toEqual([...qixian.deadlines].sort());
      for (const r of rows) expect(r.status).toBe(r.deadlines.some((x) => x < AS_OF) ? 'overdue' : 'not_started');
      // Document order for a reader with no rows of its own.
      const seqs = rows.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('lists every active plan without planId, and 404s an unknown plan', async () => {
      const admin = await d().login('admin');
      const all = await admin.get(`/api/ledger?asOf=${AS_OF}`);
      expect(all.statusCode).toBe(200);
      expect((all.json() as LedgerResponse).rows.length).toBe((await ledgerOf(admin, d().planId)).length);
      expect((await admin.get('/api/ledger?planId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
      expect((await admin.get('/api/ledger?asOf=2018-7-1')).statusCode).toBe(400);
      expect((await d().app.inject({ method: 'GET', url: '/api/ledger' })).statusCode).toBe(401);
    });

    it('marks a unit user’s own rows, first, and canEdit as the task write policy decides', async () => {
      const qixian = await d().login('qixian');
      const me = d().org('淇县政府');
      const rows = await ledgerOf(qixian, d().planId);
      for (const r of rows) expect(r.isMine, r.key).toBe(r.responsible?.id === me || r.lead.some((o) => o.id === me));
      const firstOther = rows.findIndex((r) => !r.isMine);
      expect(firstOther).toBeGreaterThan(20);
      expect(rows.slice(firstOther).some((r) => r.isMine)).toBe(false);

      // canEdit is per task; the API's PATCH /api/tasks/:id must agree for every task.
      const byTask = new Map<string, boolean>();
      for (const r of rows) {
        if (byTask.has(r.taskId)) expect(r.canEdit).toBe(byTask.get(r.taskId));
        byTask.set(r.taskId, r.canEdit);
      }
      // 缆线入地: the counties only cooperate, so 淇县 may not edit it.
      const cables = rows.find((r) => r.text.includes('缆线入地'))!;
      expect(cables.canEdit).toBe(false);
      expect(cables.isMine).toBe(false);
      for (const [taskId, canEdit] of byTask) {
        const res = await qixian.patch(`/api/tasks/${taskId}`, { version: 999_999, status: 'on_track' });
        // Allowed callers reach the version check (409); others are refused before it (403).
        expect(res.statusCode, taskId).toBe(canEdit ? 409 : 403);
      }
    });

    it('marks a lead user’s tasks, and gives a leader a read-only ledger', async () => {
      const zhujian = await d().login('zhujian');
      const dept = d().org('市住房和城乡建设局');
      const rows = await ledgerOf(zhujian, d().planId);
      for (const r of rows) {
        const leads = r.lead.some((o) => o.id === dept);
        expect(r.isMine).toBe(leads);
        expect(r.canEdit).toBe(leads);
      }
      expect(rows[0].isMine).toBe(true);
      const leader = await ledgerOf(await d().login('leader'), d().planId);
      expect(leader.every((r) => !r.canEdit)).toBe(true);
    });
  });

  describe('the Excel export', () => {
    const filters: Array<[string, () => LedgerFilter]> = [
      ['a district’s overdue rows', () => ({ orgId: d().org('淇县政府'), status: 'overdue' })],
      ['a text search', () => ({ q: '管廊' })],
      ['a lead unit and a due window', () => ({ leadOrgId: d().org('市住房和城乡建设局'), dueFrom: '2018-12-01', dueTo: '2018-12-31' })],
    ];

    it.each(filters)('holds exactly the rows filterLedgerRows keeps: %s', async (_name, make) => {
      const qixian = await d().login('qixian');
      const filter = { planId: d().planId, ...make() };
      const expected = filterLedgerRows(await ledgerOf(qixian, d().planId), filter);
      expect(expected.length).toBeGreaterThan(0);
      const res = await qixian.request({ method: 'GET', url: `/api/ledger/export.xlsx?${query({ ...filter, asOf: AS_OF })}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const disposition = String(res.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="[^"]+\.xlsx"; filename\*=UTF-8''/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe(`鹤壁市2018年度百城建设提质工程工作实施方案台账-${AS_OF}.xlsx`);

      const sheet = await readExport(res.rawPayload);
      expect(sheet.title).toBe('鹤壁市2018年度百城建设提质工程工作实施方案台账');
      expect(sheet.subtitle).toContain('筛选条件');
      expect(sheet.subtitle).toContain('导出时间');
      expect(sheet.header).toEqual([
        '序号',
        '章节',
        '任务内容',
        '牵头单位',
        '责任单位',
        '配合单位',
        '完成时限',
        '量化指标',
        '状态',
        '最新进展',
      ]);
      expect(sheet.data.map((r) => r.n)).toEqual(expected.map((_, i) => i + 1));
      // Document order in the file; compare as sets of (clause, unit).
      const pairs = (list: { text: string; responsible: string }[]) => list.map((r) => `${r.text}|${r.responsible}`).sort();
      expect(pairs(sheet.data)).toEqual(
        pairs(expected.map((r) => ({ text: stripAssignmentText(r.text), responsible: r.responsible?.name ?? '' }))),
      );
      expect(sheet.sectionRows.length).toBeGreaterThan(0);
      expect(sheet.sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      expect(sheet.sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, printTitlesRow: '3:3' });
    });

    it('exports every row without filters, and refuses a bad filter', async () => {
      const admin = await d().login('admin');
      const res = await admin.request({ method: 'GET', url: `/api/ledger/export.xlsx?planId=${d().planId}&asOf=${AS_OF}` });
      expect(res.statusCode).toBe(200);
      const sheet = await readExport(res.rawPayload);
      expect(sheet.data).toHaveLength((await ledgerOf(admin, d().planId)).length);
      expect(sheet.subtitle).toContain('全部任务');
      expect((await admin.get('/api/ledger/export.xlsx?status=late')).statusCode).toBe(400);
      expect((await admin.get('/api/ledger/export.xlsx?mine=maybe')).statusCode).toBe(400);
    });
  });

  describe('the dashboard', () => {
    it('counts exactly what the ledger filter shows for each number', async () => {
      const zhujian = await d().login('zhujian');
      const rows = await ledgerOf(zhujian, d().planId);
      const res = await zhujian.get(`/api/dashboard?planId=${d().planId}&asOf=${AS_OF}`);
      expect(res.statusCode, res.body).toBe(200);
      const dash = res.json() as Dashboard;
      const count = (f: LedgerFilter) => filterLedgerRows(rows, f).length;

      expect(dash.totals.rows).toBe(rows.length);
      expect(dash.totals.tasks).toBe(27);
      expect(dash.byStatus.overdue).toBe(count({ status: 'overdue' }));
      expect(dash.byStatus.overdue).toBeGreaterThan(0);
      expect(Object.values(dash.byStatus).reduce((a, b) => a + b, 0)).toBe(rows.length);

      expect(dash.byDistrict.map((x) => x.org.name)).toContain('淇县政府');
      expect(dash.byDistrict.map((x) => x.org.name)).not.toContain('鹤壁供电公司');
      for (const district of dash.byDistrict) {
        const total = Object.values(district.counts).reduce((a, b) => a + b, 0);
        expect(total, district.org.name).toBe(count({ orgId: district.org.id }));
        expect(district.counts.overdue).toBe(count({ orgId: district.org.id, status: 'overdue' }));
      }
      for (const lead of dash.byLead) {
        expect(Object.values(lead.counts).reduce((a, b) => a + b, 0)).toBe(count({ leadOrgId: lead.org.id }));
      }

      expect(dash.heatmap.sections.map((s) => s.title)).toEqual(['三、重点任务', expect.stringMatching(/^四、/)]);
      expect(dash.heatmap.cells).toHaveLength(dash.heatmap.districts.length * dash.heatmap.sections.length);
      for (const cell of dash.heatmap.cells) {
        const f = { sectionId: dash.heatmap.sections[cell.section].id, orgId: dash.heatmap.districts[cell.district].id };
        expect(cell.rows).toBe(count(f));
        expect(cell.overdue).toBe(count({ ...f, status: 'overdue' }));
      }
      expect(dash.heatmap.cells.some((c) => c.rows > 0)).toBe(true);

      const until = addDays(AS_OF, 30);
      for (const r of dash.upcoming) expect(r.deadlines.some((x) => x >= AS_OF && x <= until)).toBe(true);
      expect(dash.upcoming.length).toBe(
        Math.min(100, filterLedgerRows(rows, { dueFrom: AS_OF, dueTo: until }).filter((r) => r.status !== 'done').length),
      );
      expect(dash.overdue.every((r) => r.status === 'overdue')).toBe(true);
      expect(dash.overdue.length).toBe(Math.min(100, dash.byStatus.overdue));
    });

    it('is due-window aware: nothing is overdue before the first deadline', async () => {
      const admin = await d().login('admin');
      const dash = (await admin.get(`/api/dashboard?planId=${d().planId}&asOf=2018-01-01`)).json() as Dashboard;
      expect(dash.byStatus.overdue).toBe(0);
      expect(dash.asOf).toBe('2018-01-01');
    });
  });
});
