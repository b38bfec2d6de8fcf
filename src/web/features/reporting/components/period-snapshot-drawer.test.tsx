import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LedgerRow } from '../../../../shared/schemas/ledger.schema.ts';
import type { PeriodSnapshot, ReportingPeriod } from '../../../../shared/schemas/reporting.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, PERIOD_ID, period, REPORT_ID, TARGET_ID, TASK_ID } from '../../../testing/reporting.fixtures.ts';
import { PeriodSnapshotDrawer } from './period-snapshot-drawer.tsx';

const T = { timeout: 10_000 };
const PLAN_ID = period.planId;
const QIXIAN = '00000000-0000-4000-8000-0000000000o1';
const XUNXIAN = '00000000-0000-4000-8000-0000000000o2';
const ADMIN = '00000000-0000-4000-8000-0000000000u9';
const closed: ReportingPeriod = { ...period, status: 'closed', closedAt: '2018-07-20T02:00:00Z', version: 3 };

function snapshot(overrides: Partial<PeriodSnapshot> = {}): PeriodSnapshot {
  const base: PeriodSnapshot = {
    id: '00000000-0000-4000-8000-0000000000s1',
    periodId: PERIOD_ID,
    taskId: TASK_ID,
    targetId: TARGET_ID,
    orgId: QIXIAN,
    reportId: REPORT_ID,
    reportStatus: 'approved',
    isLate: false,
    reportedValue: 10,
    reportedStatus: 'on_track',
    completionPercent: 20,
    computedStatus: 'on_track',
    reason: '完成 10 / 50 公里，进度正常',
    progress: 0.2,
    createdAt: '2018-07-20T02:00:00Z',
    amendments: [],
    effective: {
      reportedValue: 10,
      reportedStatus: 'on_track',
      completionPercent: 20,
      computedStatus: 'on_track',
      reason: '完成 10 / 50 公里，进度正常',
    },
  };
  return { ...base, ...overrides };
}

const amended = snapshot({
  amendments: [
    {
      id: '00000000-0000-4000-8000-0000000000m1',
      snapshotId: '00000000-0000-4000-8000-0000000000s1',
      actorId: ADMIN,
      actorName: '市百城办管理员',
      reason: '县区报送单位有误，经核实为 12 公里',
      before: { reportedValue: 10 },
      after: { reportedValue: 12 },
      createdAt: '2018-07-21T03:00:00Z',
    },
  ],
  effective: {
    reportedValue: 12,
    reportedStatus: 'on_track',
    completionPercent: 20,
    computedStatus: 'on_track',
    reason: '完成 10 / 50 公里，进度正常',
  },
});
const missingLate = snapshot({
  id: '00000000-0000-4000-8000-0000000000s2',
  targetId: '00000000-0000-4000-8000-0000000000g2',
  orgId: XUNXIAN,
  reportId: null,
  reportStatus: null,
  isLate: false,
  reportedValue: null,
  reportedStatus: null,
  completionPercent: null,
  computedStatus: 'not_started',
  reason: '未报送',
  effective: { reportedValue: null, reportedStatus: null, completionPercent: null, computedStatus: 'not_started', reason: '未报送' },
});
const lateRow = snapshot({
  id: '00000000-0000-4000-8000-0000000000s3',
  targetId: null,
  orgId: XUNXIAN,
  reportStatus: 'submitted',
  isLate: true,
});

const ledgerRow = (orgId: string, name: string, targetId: string): LedgerRow => ({
  key: `${TASK_ID}:${orgId}`,
  taskId: TASK_ID,
  planId: PLAN_ID,
  planTitle: '城市更新行动方案',
  seq: 7,
  sectionId: null,
  sectionIds: [],
  sectionPath: [],
  sectionTitle: null,
  topSectionTitle: null,
  text: '实施城市道路改造提升工程。',
  lead: [],
  responsible: { id: orgId, name },
  viaGroup: null,
  cooperating: [],
  deadlines: [],
  targets: [
    {
      id: targetId,
      metric: name === '淇县政府' ? '改造城市道路' : '新建公园',
      unit: name === '淇县政府' ? '公里' : '个',
      comparator: '>=',
      value: 50,
      maxValue: null,
      jurisdictionLabel: null,
      jurisdictionOrgId: orgId,
    },
  ],
  status: 'on_track',
  latestProgress: null,
  isMine: false,
  canEdit: true,
});

function renderDrawer(items: PeriodSnapshot[]) {
  const gets: Record<string, unknown> = {
    [`/api/periods/${PERIOD_ID}/snapshots`]: { items },
    '/api/ledger': {
      asOf: '2018-07-21',
      rows: [ledgerRow(QIXIAN, '淇县政府', TARGET_ID), ledgerRow(XUNXIAN, '浚县政府', '00000000-0000-4000-8000-0000000000g2')],
    },
    '/api/organisations': { items: [], total: 0 },
  };
  const result = renderWithApp(<PeriodSnapshotDrawer planId={PLAN_ID} period={closed} onClose={() => {}} />, {
    path: '/periods',
    url: '/periods',
    api: gets,
  });
  return { ...result, gets };
}

const posts = (fetchMock: ReturnType<typeof vi.fn>) =>
  fetchMock.mock.calls.filter(([, i]) => (i as RequestInit | undefined)?.method === 'POST');

describe('PeriodSnapshotDrawer', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the effective values beside the frozen ones, the 已更正 mark and the amendment history', async () => {
    renderDrawer([amended, missingLate]);
    expect(await screen.findByText('2018年6月 快照', undefined, T)).toBeTruthy();
    expect(await screen.findByText('12 公里', undefined, T)).toBeTruthy();
    // The frozen value, struck through beside the effective one.
    expect(screen.getByText('10').tagName).toBe('DEL');
    expect(screen.getByText('已更正')).toBeTruthy();
    expect(screen.getByText('第 7 项 · 改造城市道路')).toBeTruthy();
    expect(screen.getByText('淇县政府')).toBeTruthy();
    expect(screen.getByText('已通过')).toBeTruthy();
    expect(screen.getByText(/原始冻结值永不修改/)).toBeTruthy();
    expect(screen.getByText('共 2 行 · 逾期提交 0 · 未报送 1 · 已更正 1')).toBeTruthy();

    // The history: who, when, why, before → after.
    fireEvent.click(screen.getAllByRole('button', { name: /展开/ })[0] as HTMLElement);
    expect(await screen.findByText('原因：县区报送单位有误，经核实为 12 公里', undefined, T)).toBeTruthy();
    expect(screen.getByText(/2018\/07\/21 11:00 · 市百城办管理员/)).toBeTruthy();
    expect(screen.getByText('10 公里 → 12 公里')).toBeTruthy();
  });

  it('filters by unit, late and missing reports', async () => {
    renderDrawer([amended, missingLate, lateRow]);
    await screen.findByText('12 公里', undefined, T);
    const table = () => document.querySelector('.period-snapshot-table') as HTMLElement;
    const rowCount = () => table().querySelectorAll('.ant-table-row').length;
    expect(rowCount()).toBe(3);

    fireEvent.click(screen.getByLabelText('仅逾期提交'));
    await waitFor(() => expect(rowCount()).toBe(1), T);
    expect(within(table()).getByText('任务总体', { exact: false })).toBeTruthy();

    fireEvent.click(screen.getByLabelText('仅未报送'));
    await waitFor(() => expect(rowCount()).toBe(1), T);
    expect(within(table()).getByText('第 7 项 · 新建公园')).toBeTruthy();
    expect(within(table()).getByText('未填报')).toBeTruthy();

    fireEvent.click(screen.getByLabelText('全部'));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '按单位筛选' }));
    fireEvent.click(await screen.findByTitle('淇县政府', undefined, T));
    await waitFor(() => expect(rowCount()).toBe(1), T);
    expect(within(table()).getByText('12 公里')).toBeTruthy();
  });

  it('更正 needs a reason, sends only the changed values, and shows the new effective value and amendment', async () => {
    const { fetchMock, gets } = renderDrawer([snapshot()]);
    const after = snapshot({
      amendments: [{ ...amended.amendments[0]!, reason: '经核实为 15 公里', before: { reportedValue: 10 }, after: { reportedValue: 15 } }],
      effective: { ...snapshot().effective, reportedValue: 15 },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'POST' && path === `/api/snapshots/${after.id}/amendments`) return json(after, 201);
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    fireEvent.click(await screen.findByRole('button', { name: '更正：第 7 项 · 改造城市道路（淇县政府）' }, T));
    const dialog = (await screen.findByText('更正快照：第 7 项 · 改造城市道路（淇县政府）', undefined, T)).closest(
      '.ant-modal',
    ) as HTMLElement;
    expect(within(dialog).getByText(/原冻结值不会被修改/)).toBeTruthy();
    const ok = within(dialog).getByRole('button', { name: '保存更正' });

    // No reason: refused before anything is sent.
    fireEvent.change(within(dialog).getByLabelText('完成值'), { target: { value: '15' } });
    fireEvent.click(ok);
    expect(await within(dialog).findByText('请填写更正原因', undefined, T)).toBeTruthy();
    expect(posts(fetchMock)).toHaveLength(0);

    // A reason but nothing changed: refused too.
    fireEvent.change(within(dialog).getByLabelText('完成值'), { target: { value: '10' } });
    fireEvent.change(within(dialog).getByLabelText('更正原因'), { target: { value: '  经核实为 15 公里 ' } });
    fireEvent.click(ok);
    expect(await within(dialog).findByText('请至少修改一项数值', undefined, T)).toBeTruthy();
    expect(posts(fetchMock)).toHaveLength(0);

    fireEvent.change(within(dialog).getByLabelText('完成值'), { target: { value: '15' } });
    fireEvent.click(ok);
    await waitFor(() => expect(posts(fetchMock)).toHaveLength(1), T);
    const [url, init] = posts(fetchMock)[0]!;
    expect(url).toBe(`/api/snapshots/${after.id}/amendments`);
    expect(JSON.parse(String((init as RequestInit).body))).toEqual({ reason: '经核实为 15 公里', reportedValue: 15 });

    // The row now shows the effective value, the frozen one struck through, and the history.
    expect(await screen.findByText('15 公里', undefined, T)).toBeTruthy();
    expect(screen.getByText('10').tagName).toBe('DEL');
    expect(await screen.findByText('原因：经核实为 15 公里', undefined, T)).toBeTruthy();
    expect(screen.getByText('10 公里 → 15 公里')).toBeTruthy();
  });
});
