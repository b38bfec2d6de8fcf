import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../shared/schemas/ledger.schema.ts';
import { buildLedgerWorkbook } from './ledger.xlsx.ts';
import { stripAssignmentText } from './task-breakdown.format.ts';

describe('stripAssignmentText', () => {
  it('drops the trailing assignment bracket and keeps brackets inside the clause', () => {
    expect(stripAssignmentText('建成13个社区卫生服务站(站)。(牵头单位:市卫计委,责任单位:各县区政府)')).toBe('建成13个社区卫生服务站(站)。');
    expect(stripAssignmentText('完善街头游园(广场)')).toBe('完善街头游园(广场)');
    expect(stripAssignmentText('推进改造。（责任单位：各县区政府（管委））')).toBe('推进改造。');
  });
});

const section = (id: string, path: string[], title: string) => ({ id, path, title });

function row(taskId: string, seq: number, responsible: string): LedgerRow {
  return {
    key: `${taskId}:${responsible}`,
    taskId,
    planId: 'p',
    planTitle: '方案',
    seq,
    sectionId: 's2',
    sectionIds: ['s1', 's2'],
    sectionPath: ['三', '(一)'],
    sectionTitle: '完善规划',
    topSectionTitle: '重点任务',
    text: `第${seq}项任务的内容。(牵头单位:市住建局,责任单位:各县区政府)`,
    lead: [{ id: 'l', name: '市住建局' }],
    responsible: { id: responsible, name: `${responsible}政府` },
    viaGroup: { id: 'g', name: '各县区政府' },
    cooperating: [],
    deadlines: ['2018-06-30'],
    targets: [
      {
        id: 't',
        metric: '管廊',
        unit: '公里',
        comparator: '>=',
        value: 20,
        maxValue: null,
        jurisdictionLabel: null,
        jurisdictionOrgId: null,
      },
    ],
    status: 'overdue',
    latestProgress: null,
    isMine: false,
    canEdit: false,
  };
}

describe('buildLedgerWorkbook', () => {
  it('writes section rows, one row per unit, and merges the shared cells of a task', async () => {
    const sections = [section('s1', ['三'], '重点任务'), section('s2', ['三', '(一)'], '完善规划')];
    const rows = [row('a', 1, '淇县'), row('a', 1, '浚县'), row('b', 2, '淇县')].map((r) => ({ row: r, sections, statusLabel: '已逾期' }));
    const buffer = await buildLedgerWorkbook({ title: '方案台账', subtitle: '全部任务', rows, showPlan: false });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('台账')!;
    expect(sheet.getCell('A4').value).toBe('三、重点任务');
    expect(sheet.getCell('A5').value).toBe('(一)完善规划');
    expect([sheet.getCell('A6').value, sheet.getCell('A7').value, sheet.getCell('A8').value]).toEqual([1, 2, 3]);
    expect(sheet.getCell('C6').value).toBe('第1项任务的内容。');
    expect(sheet.getCell('C7').isMerged).toBe(true);
    expect(sheet.getCell('C8').isMerged).toBe(false);
    expect(sheet.getCell('E6').value).toBe('淇县政府\n（各县区政府）');
    expect(sheet.getCell('G6').value).toBe('2018年6月30日');
    expect(sheet.getCell('H6').value).toBe('管廊 不低于20公里');
  });
});
