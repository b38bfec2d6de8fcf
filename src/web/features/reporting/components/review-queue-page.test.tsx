import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, PERIOD_ID, period, REPORT_ID, report } from '../../../testing/reporting.fixtures.ts';
import { ReviewQueuePage } from './review-queue-page.tsx';

const T = { timeout: 10_000 };
const PLAN_ID = period.planId;

describe('ReviewQueuePage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists submitted reports of the open period; returning needs a comment', async () => {
    const submitted = report({ status: 'submitted', version: 4, submittedAt: '2018-06-20T02:00:00Z' });
    const gets: Record<string, unknown> = {
      '/api/plans': { items: [{ id: PLAN_ID, title: '城市更新行动方案', status: 'active' }], total: 1 },
      [`/api/plans/${PLAN_ID}/periods`]: { items: [period] },
      [`/api/periods/${PERIOD_ID}/reports`]: { items: [submitted] },
    };
    const { fetchMock } = renderWithApp(<ReviewQueuePage />, { path: '/reviews', url: '/reviews', role: 'lead', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (path === `/api/reports/${REPORT_ID}/return` && init?.method === 'POST')
        return json({ ...submitted, status: 'returned', version: 5, reviewComment: JSON.parse(String(init.body)).comment });
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    fireEvent.click(await screen.findByRole('button', { name: '退回：淇县' }, T));
    // Only the submitted reports of the period were asked for.
    expect(fetchMock.mock.calls.some(([url]) => url === `/api/periods/${PERIOD_ID}/reports?status=submitted`)).toBe(true);
    const dialog = await screen.findByRole('dialog', undefined, T);
    const ok = [...dialog.querySelectorAll('button')].find((b) => /退\s?回/.test(b.textContent ?? ''));
    expect(ok).toBeTruthy();
    fireEvent.click(ok as HTMLButtonElement);
    expect(await screen.findByText('退回须填写意见', undefined, T)).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByLabelText('退回意见'), { target: { value: '  请补充数据来源  ' } });
    fireEvent.click(ok as HTMLButtonElement);
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST');
    expect(post?.[0]).toBe(`/api/reports/${REPORT_ID}/return`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ version: 4, comment: '请补充数据来源' });
  });

  it('?orgId= narrows the queue to one organisation and shows each report’s evidence', async () => {
    const ORG_ID = '00000000-0000-4000-8000-0000000000o1';
    const submitted = report({ status: 'submitted', version: 4, submittedAt: '2018-06-20T02:00:00Z' });
    const { fetchMock } = renderWithApp(<ReviewQueuePage />, {
      path: '/reviews',
      url: `/reviews?planId=${PLAN_ID}&periodId=${PERIOD_ID}&orgId=${ORG_ID}`,
      role: 'admin',
      api: {
        '/api/plans': { items: [{ id: PLAN_ID, title: '城市更新行动方案', status: 'active' }], total: 1 },
        [`/api/plans/${PLAN_ID}/periods`]: { items: [period] },
        [`/api/periods/${PERIOD_ID}/reports`]: { items: [submitted] },
        [`/api/reports/${REPORT_ID}/evidence`]: {
          items: [
            {
              id: '00000000-0000-4000-8000-0000000000e1',
              reportId: REPORT_ID,
              orgId: ORG_ID,
              filename: '验收报告.pdf',
              contentType: 'application/pdf',
              sizeBytes: 1000,
              sha256: 'ab',
              createdBy: null,
              createdAt: '2018-06-12T02:00:00Z',
            },
          ],
        },
      },
    });
    const link = await screen.findByRole('link', { name: '下载证明材料：验收报告.pdf' }, T);
    expect(link.getAttribute('href')).toBe('/api/evidence/00000000-0000-4000-8000-0000000000e1');
    expect(fetchMock.mock.calls.some(([url]) => url === `/api/periods/${PERIOD_ID}/reports?status=submitted&orgId=${ORG_ID}`)).toBe(true);
    expect(screen.getByText('仅显示：淇县')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '显示全部单位' }));
    await waitFor(
      () => expect(fetchMock.mock.calls.some(([url]) => url === `/api/periods/${PERIOD_ID}/reports?status=submitted`)).toBe(true),
      T,
    );
    expect(screen.queryByText('仅显示：淇县')).toBeNull();
  });

  it('?status=approved reads the reviewed reports, without review buttons', async () => {
    const approved = report({ status: 'approved', version: 5, submittedAt: '2018-06-20T02:00:00Z' });
    const { fetchMock } = renderWithApp(<ReviewQueuePage />, {
      path: '/reviews',
      url: `/reviews?planId=${PLAN_ID}&periodId=${PERIOD_ID}&status=approved`,
      role: 'lead',
      api: {
        '/api/plans': { items: [{ id: PLAN_ID, title: '城市更新行动方案', status: 'active' }], total: 1 },
        [`/api/plans/${PLAN_ID}/periods`]: { items: [period] },
        [`/api/periods/${PERIOD_ID}/reports`]: { items: [approved] },
      },
    });
    expect(await screen.findByText('共 1 份', undefined, T)).toBeTruthy();
    expect(fetchMock.mock.calls.some(([url]) => url === `/api/periods/${PERIOD_ID}/reports?status=approved`)).toBe(true);
    expect(screen.getByText('已通过', { selector: '.ant-tag' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^通过：|^退回：/ })).toBeNull();
  });
});
