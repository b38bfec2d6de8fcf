import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../ledger/test-utils.tsx';
import { PERIOD_ID, period, report, row, TARGET_ID, TASK_ID } from '../reporting.fixtures.ts';
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
    const empty = { ...row(null), targetId: null, metric: null, unit: null, targetValue: null, basis: 'lead' as const };
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
});
