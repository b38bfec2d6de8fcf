import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LedgerRow } from '../../../../shared/schemas/ledger.schema.ts';
import { makeLedgerRows } from '../../../testing/ledger.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json } from '../../../testing/reporting.fixtures.ts';
import { NOTICE_ID, notice } from '../supervision.fixtures.ts';
import { IssueNoticeDialog, noticeableRows } from './issue-notice-dialog.tsx';

const T = { timeout: 10_000 };

describe('IssueNoticeDialog', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('keeps the rows with a responsible unit, at most 200', () => {
    const rows = makeLedgerRows(230);
    const withUnit = rows.filter((r) => r.responsible).length;
    const picked = noticeableRows(rows);
    expect(picked.rows.length).toBe(Math.min(200, withUnit));
    expect(picked.rows.every((r) => r.responsible)).toBe(true);
    expect(picked.total).toBe(withUnit);
    expect(picked.skipped).toBe(rows.length - withUnit);
  });

  it('from the ledger: says when capped, requires the matter and the action, then issues and opens the notice', async () => {
    const rows: LedgerRow[] = makeLedgerRows(260).map((r, i) => (i === 0 ? { ...r, responsible: null } : r));
    const eligible = rows.filter((r) => r.responsible);
    expect(eligible.length).toBeGreaterThan(200);
    const { fetchMock, router } = renderWithApp(<IssueNoticeDialog open onClose={() => {}} prefill={rows} />, {
      path: '/ledger',
      url: '/ledger',
      role: 'admin',
      api: {},
    });
    fetchMock.mockImplementation(async (_input: string, init?: RequestInit) =>
      init?.method === 'POST' ? json(notice(), 201) : json({ status: 404, code: 'not_found', title: 'Not found' }, 404),
    );
    expect(await screen.findByText('已选 200 行', undefined, T)).toBeTruthy();
    expect(screen.getByText(`筛选结果有责任单位的共 ${eligible.length} 行，一次最多督办 200 行，已取前 200 行。`)).toBeTruthy();
    expect(screen.getByText('1 行没有责任单位，不能督办，已略去。')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '下发' }));
    expect(await screen.findByText('请填写督办事项', undefined, T)).toBeTruthy();
    expect(await screen.findByText('请填写督办要求', undefined, T)).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByLabelText('督办事项'), { target: { value: ' 进度滞后 ' } });
    fireEvent.change(screen.getByLabelText('要求'), { target: { value: '限期整改' } });
    fireEvent.click(screen.getByRole('button', { name: '下发' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/supervision/${NOTICE_ID}`), T);
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST');
    expect(post?.[0]).toBe('/api/supervision');
    const body = JSON.parse(String(post?.[1]?.body));
    expect(body.rows).toEqual(eligible.slice(0, 200).map((r) => ({ taskId: r.taskId, orgId: r.responsible?.id })));
    expect(body.reason).toBe('进度滞后');
    expect(body.requiredAction).toBe('限期整改');
    expect(body.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("defaults the due date to a week after the server's today (LUOSHI_TODAY), and issues with the date typed", async () => {
    const rows: LedgerRow[] = makeLedgerRows(3);
    const settings = { name: '某市台账', officeName: '市督查室', today: '2018-06-20', version: 1, updatedAt: '2018-06-01T00:00:00.000Z' };
    const { fetchMock } = renderWithApp(<IssueNoticeDialog open onClose={() => {}} prefill={rows} />, {
      path: '/ledger',
      url: '/ledger',
      role: 'admin',
      api: { '/api/settings': settings },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      if (init?.method === 'POST') return json(notice(), 201);
      if (input === '/api/settings') return json(settings);
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });
    const due = (await screen.findByLabelText('办理时限', undefined, T)) as HTMLInputElement;
    await waitFor(() => expect(due.value).toBe('2018-06-27'), T);
    fireEvent.change(screen.getByLabelText('督办事项'), { target: { value: '进度滞后' } });
    fireEvent.change(screen.getByLabelText('要求'), { target: { value: '限期整改' } });
    fireEvent.change(due, { target: { value: '2018-07-15' } });
    fireEvent.click(screen.getByRole('button', { name: '下发' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body)).dueDate).toBe('2018-07-15');
  });
});
