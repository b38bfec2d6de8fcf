import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildTaskBreakdownFixture } from './task-breakdown.fixture.ts';
import { buildTaskBreakdownWorkbook } from './task-breakdown.xlsx.ts';

async function load(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook.worksheets[0];
}

const HEADER = ['序号', '所属章节', '任务内容', '牵头单位', '责任单位', '配合单位', '完成时限', '量化指标'];

describe('buildTaskBreakdownWorkbook', () => {
  it('writes a merged title, the header and one row per task', async () => {
    const extract = buildTaskBreakdownFixture();
    const sheet = await load(await buildTaskBreakdownWorkbook(extract));
    expect(sheet.getCell('A1').value).toBe('鹤壁市2018年度百城建设提质工程工作实施方案任务分解表');
    expect(sheet.getCell('H1').isMerged).toBe(true);
    expect(sheet.getRow(2).values).toEqual([undefined, ...HEADER]);
    expect(sheet.rowCount).toBe(2 + extract.tasks.length);
  });

  it('fills a task row with section, units per role, Chinese dates and worded targets', async () => {
    const sheet = await load(await buildTaskBreakdownWorkbook(buildTaskBreakdownFixture()));
    const row = (n: number) => sheet.getRow(2 + n);
    expect(row(1).getCell(1).value).toBe(1);
    expect(row(1).getCell(2).value).toBe('三(一) 完善规划体系,深化城市设计');
    expect(row(1).getCell(7).value).toBe('2018年6月30日\n2018年12月31日');
    expect(row(2).getCell(2).value).toBe('三(三)1 改善城市道路环境,提高交通出行效率');
    expect(String(row(2).getCell(3).value)).toMatch(/^1\.改善城市道路环境/);
    expect(row(2).getCell(4).value).toBeNull();
    expect(row(2).getCell(8).value).toBe('淇县：断头路卡脖路打通比例 70%\n市各城区、浚县：断头路卡脖路打通比例 50%');
    // The assignment is in the role columns, so the clause is shown without it.
    expect(row(3).getCell(3).value).toMatch(/绿色出行分担率达到85%以上。$/);
    expect(row(3).getCell(4).value).toBe('市交通运输局');
    expect(row(3).getCell(5).value).toBe('各县区政府\n各县区管委');
    expect(row(3).getCell(6).value).toBe('市财政局\n市城乡规划管理局');
    expect(row(3).getCell(8).value).toBe('市城区：城市公共交通出行分担率 不低于25%\n公交换乘枢纽 1—2个');
  });

  it('is set up for printing: frozen header, A4 landscape fitted to width, header repeated', async () => {
    const sheet = await load(await buildTaskBreakdownWorkbook(buildTaskBreakdownFixture(), { title: '某市方案' }));
    expect(sheet.getCell('A1').value).toBe('某市方案任务分解表');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 });
    expect(sheet.pageSetup.printTitlesRow).toBe('2:2');
    const cell = sheet.getCell('C3');
    expect(cell.alignment?.wrapText).toBe(true);
    expect(cell.border?.left?.style).toBe('thin');
    // Wrapped clauses need rows taller than one line, or they print clipped.
    expect(sheet.getRow(3).height).toBeGreaterThan(30);
  });

  it('sizes columns by display width, CJK counting double', async () => {
    const sheet = await load(await buildTaskBreakdownWorkbook(buildTaskBreakdownFixture()));
    // 市城乡规划管理局: 8 CJK characters = 16 units, plus padding.
    expect(sheet.getColumn(6).width).toBe(18);
    expect(sheet.getColumn(3).width).toBeLessThanOrEqual(54);
  });

  it('builds a valid, empty table for an extraction without tasks', async () => {
    const extract = { ...buildTaskBreakdownFixture(), title: null, tasks: [] };
    const sheet = await load(await buildTaskBreakdownWorkbook(extract));
    expect(sheet.getCell('A1').value).toBe('实施方案任务分解表');
    expect(sheet.rowCount).toBe(2);
  });
});
