import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReportingPeriod } from '../../../../shared/schemas/reporting.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, period } from '../../../testing/reporting.fixtures.ts';
import { PeriodsPage } from './periods-page.tsx';

const T = { timeout: 10_000 };
const PLAN_ID = period.planId;
const may: ReportingPeriod = {
  ...period,
  id: '00000000-0000-4000-8000-0000000000p0',
  label: '2018年5月',
  start: '2018-05-01',
  end: '2018-05-31',
  dueDate: '2018-06-05',
  status: 'closed',
  closedAt: '2018-06-17T00:00:00Z',
};

describe('PeriodsPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the schedule, closes the open period after confirmation and opens a closed period’s snapshot', async () => {
    const gets: Record<string, unknown> = {
      '/api/plans': { items: [{ id: PLAN_ID, title: '城市更新行动方案', status: 'active' }], total: 1 },
      [`/api/plans/${PLAN_ID}/periods`]: { items: [may, period] },
      [`/api/plans/${PLAN_ID}/reporting-schedule`]: {
        planId: PLAN_ID,
        frequency: 'monthly',
        dueDay: 5,
        graceDays: 2,
        closeAfterDays: 10,
        startDate: '2018-04-01',
        isStored: true,
        version: 1,
      },
      [`/api/periods/${may.id}/snapshots`]: { items: [] },
      '/api/ledger': { asOf: '2018-06-20', rows: [] },
      '/api/organisations': { items: [], total: 0 },
      '/api/users': { items: [], total: 0 },
    };
    const { fetchMock } = renderWithApp(<PeriodsPage />, { path: '/periods', url: '/periods', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'POST' && path === `/api/periods/${period.id}/close`) return json({ ...period, status: 'closed', version: 3 });
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    expect(await screen.findByText('已保存的安排', undefined, T)).toBeTruthy();
    // The example follows the open period (June), not today.
    expect(await screen.findByText(/2018年6月1日至2018年6月30日这一期的报告须于 2018年7月5日 前报送/, undefined, T)).toBeTruthy();

    fireEvent.click(await screen.findByRole('button', { name: '关闭：2018年6月' }, T));
    const title = await screen.findByText('关闭“2018年6月”？', { selector: '.ant-modal-confirm-title' }, T);
    const confirm = title.closest('.ant-modal') as HTMLElement;
    const ok = [...confirm.querySelectorAll('button')].find((b) => b.textContent === '关闭') as HTMLButtonElement;
    fireEvent.click(ok);
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST');
    expect(post?.[0]).toBe(`/api/periods/${period.id}/close`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ version: 2 });

    fireEvent.click(screen.getByRole('button', { name: '查看快照：2018年5月' }));
    expect(await screen.findByText('2018年5月 快照', undefined, T)).toBeTruthy();
    expect(await screen.findByText('该周期没有快照行。', undefined, T)).toBeTruthy();
  });
});
