import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, PERIOD_ID, period, report, row, TARGET_ID, TASK_ID } from '../../../testing/reporting.fixtures.ts';
import { MyReportsPage } from './my-reports-page.tsx';

const T = { timeout: 10_000 };
const PLAN_ID = period.planId;

describe('MyReportsPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('defaults to the open period and shows progress, statuses and the reviewer’s comment', async () => {
    const closed = { ...period, id: '00000000-0000-4000-8000-0000000000p0', label: '2018年5月', status: 'closed', start: '2018-05-01' };
    const returned = row(report({ status: 'returned', reviewComment: '请补充数据来源', isLate: true }));
    const empty = {
      ...row(null),
      targetId: null,
      metric: null,
      unit: null,
      targetValue: null,
      jurisdictionLabel: null,
      basis: 'lead' as const,
    };
    renderWithApp(<MyReportsPage />, {
      path: '/reports',
      url: '/reports',
      role: 'unit',
      api: {
        '/api/plans': { items: [{ id: PLAN_ID, title: '城市更新行动方案', status: 'active' }], total: 1 },
        [`/api/plans/${PLAN_ID}/periods`]: { items: [closed, period] },
        [`/api/periods/${PERIOD_ID}/my-reports`]: { period, items: [returned, empty] },
        [`/api/periods/${closed.id}/snapshots`]: {
          items: [
            {
              taskId: TASK_ID,
              targetId: TARGET_ID,
              orgId: '00000000-0000-4000-8000-0000000000o1',
              reportStatus: 'approved',
              effective: { reportedValue: 8 },
            },
          ],
        },
      },
    });
    expect(await screen.findByText('已填 1 / 共 2，已提交 0', undefined, T)).toBeTruthy();
    expect(screen.getByText('已退回')).toBeTruthy();
    expect(screen.getByText('逾期提交')).toBeTruthy();
    expect(screen.getByText('未填报')).toBeTruthy();
    expect(screen.getByText('退回意见：请补充数据来源')).toBeTruthy();
    // 上次通过值 from the previous closed period's snapshot.
    expect(await screen.findByText('8 公里', undefined, T)).toBeTruthy();
    expect(screen.getByRole('combobox', { name: '填报周期' })).toBeTruthy();
  });

  it('提交全部草稿: counts the complete drafts, submits them one by one and lists the failures per row', async () => {
    const TARGET_2 = '00000000-0000-4000-8000-0000000000g2';
    const TARGET_3 = '00000000-0000-4000-8000-0000000000g3';
    const REPORT_2 = '00000000-0000-4000-8000-0000000000r2';
    const ready = row(report());
    const failing = { ...row(report({ id: REPORT_2, targetId: TARGET_2 })), targetId: TARGET_2, metric: '新建口袋公园' };
    const incomplete = {
      ...row(report({ id: '00000000-0000-4000-8000-0000000000r3', targetId: TARGET_3, value: null })),
      targetId: TARGET_3,
      metric: '雨污分流',
    };
    const gets: Record<string, unknown> = {
      '/api/plans': { items: [{ id: PLAN_ID, title: '城市更新行动方案', status: 'active' }], total: 1 },
      [`/api/plans/${PLAN_ID}/periods`]: { items: [period] },
      [`/api/periods/${PERIOD_ID}/my-reports`]: { period, items: [ready, failing, incomplete] },
    };
    const { fetchMock } = renderWithApp(<MyReportsPage />, { path: '/reports', url: '/reports', role: 'unit', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'POST' && path.endsWith(`${REPORT_2}/submit`))
        return json({ status: 409, code: 'conflict', title: 'Conflict', detail: 'a submitted report cannot be submitted' }, 409);
      if (init?.method === 'POST') return json(report({ status: 'submitted', version: 4 }));
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    expect((await screen.findByRole('link', { name: /下载填报模板/ }, T)).getAttribute('href')).toBe(
      `/api/periods/${PERIOD_ID}/my-report-template.xlsx`,
    );
    fireEvent.click(screen.getByRole('button', { name: '提交全部草稿' }));
    const dialog = await screen.findByRole('dialog', undefined, T);
    expect(within(dialog).getByText(/将提交 2 份已填完的草稿/)).toBeTruthy();
    expect(within(dialog).getByText('另有 1 份未填完（缺完成值或进展情况），不会提交。')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /^提\s?交$/ }));
    expect(await within(dialog).findByText('已提交 1 份，1 份未能提交：', undefined, T)).toBeTruthy();
    expect(within(dialog).getByText('第 7 项 · 新建口袋公园：该报告当前状态不能提交')).toBeTruthy();
    const posts = fetchMock.mock.calls.filter(([, i]) => (i as RequestInit | undefined)?.method === 'POST').map(([u]) => u);
    expect(posts).toHaveLength(2);
    await waitFor(() => expect(posts.every((u) => String(u).endsWith('/submit'))).toBe(true), T);
  });
});
