import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json } from '../../../testing/reporting.fixtures.ts';
import { NOTICE_ID, notice } from '../supervision.fixtures.ts';
import { matchesNoticeFilter, parseNoticeFilter, SupervisionPage } from './supervision-page.tsx';

const T = { timeout: 10_000 };
const SECOND = '00000000-0000-4000-8000-0000000000n2';
const THIRD = '00000000-0000-4000-8000-0000000000n3';

const notices = [
  notice({ id: NOTICE_ID, reason: '道路改造滞后', status: 'open', escalationStep: 'urging', dueDate: '2000-01-01' }),
  notice({ id: SECOND, reason: '绿化未达标', status: 'answered', escalationStep: null }),
  notice({ id: THIRD, reason: '棚改已完成', status: 'closed', escalationStep: 'red_card', dueDate: '2000-01-01' }),
];

describe('SupervisionPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists every notice with its status and rung; a past due date is marked unless closed', async () => {
    renderWithApp(<SupervisionPage />, {
      path: '/supervision',
      url: '/supervision',
      role: 'leader',
      api: { '/api/supervision': { items: notices } },
    });
    const first = (await screen.findByRole('link', { name: '道路改造滞后' }, T)).closest('tr') as HTMLElement;
    expect(within(first).getByText('待办理')).toBeTruthy();
    expect(within(first).getByText('催办')).toBeTruthy();
    expect(within(first).getByText('已超期')).toBeTruthy();
    expect(within(first).getByText('1 项任务 · 2 个单位')).toBeTruthy();
    const second = screen.getByRole('link', { name: '绿化未达标' }).closest('tr') as HTMLElement;
    expect(within(second).getByText('已回复')).toBeTruthy();
    expect(within(second).getByText('未升级')).toBeTruthy();
    const third = screen.getByRole('link', { name: '棚改已完成' }).closest('tr') as HTMLElement;
    expect(within(third).getByText('已办结')).toBeTruthy();
    expect(within(third).getByText('红牌')).toBeTruthy();
    expect(within(third).queryByText('已超期')).toBeNull();
    expect(screen.getByText('共 3 件')).toBeTruthy();
    // Leadership reads; it neither issues nor sees the rules' proposals.
    expect(screen.queryByRole('button', { name: /下发督办/ })).toBeNull();
    expect(screen.queryByText('规则建议')).toBeNull();
  });

  it('filters by ?status= and ?step= from the URL; units read their inbox', async () => {
    const { fetchMock } = renderWithApp(<SupervisionPage />, {
      path: '/supervision',
      url: '/supervision?status=closed&step=red_card',
      role: 'unit',
      api: { '/api/supervision/inbox': { items: notices } },
    });
    expect(await screen.findByRole('link', { name: '棚改已完成' }, T)).toBeTruthy();
    expect(screen.queryByRole('link', { name: '道路改造滞后' })).toBeNull();
    expect(screen.queryByRole('link', { name: '绿化未达标' })).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: '督办事项' })).toBeTruthy();
    expect(fetchMock.mock.calls.some(([url]) => String(url).startsWith('/api/supervision/inbox'))).toBe(true);
    expect(screen.getByText('共 1 件')).toBeTruthy();
  });

  it('reads the dashboard’s filter names and drops unknown values', () => {
    expect(parseNoticeFilter(new URLSearchParams('status=answered&step=none'))).toEqual({ status: 'answered', step: 'none' });
    expect(parseNoticeFilter(new URLSearchParams('status=bogus&step=yellow_card'))).toEqual({ status: undefined, step: 'yellow_card' });
    expect(parseNoticeFilter(new URLSearchParams('step=red_card&active=1'))).toEqual({ step: 'red_card', active: true });
    expect(parseNoticeFilter(new URLSearchParams('overdue=1&active=yes'))).toEqual({ overdue: true });
  });

  it('keeps, for the dashboard’s ladder and overdue links, only the notices not closed', () => {
    const closedRed = { ...notices[0], status: 'closed' as const, escalationStep: 'red_card' as const, dueDate: '2018-06-01' };
    const openRed = { ...closedRed, status: 'open' as const };
    const answeredLate = { ...openRed, status: 'answered' as const, escalationStep: null };
    const today = '2018-07-01';
    expect(matchesNoticeFilter(closedRed, { step: 'red_card' }, today)).toBe(true);
    expect(matchesNoticeFilter(closedRed, { step: 'red_card', active: true }, today)).toBe(false);
    expect(matchesNoticeFilter(openRed, { step: 'red_card', active: true }, today)).toBe(true);
    // Overdue: not closed and past due, answered or not (as the server counts it).
    expect(matchesNoticeFilter(answeredLate, { overdue: true }, today)).toBe(true);
    expect(matchesNoticeFilter(closedRed, { overdue: true }, today)).toBe(false);
    expect(matchesNoticeFilter({ ...openRed, dueDate: '2018-07-02' }, { overdue: true }, today)).toBe(false);
  });

  it('confirming a proposal posts exactly the proposed rung with the notice version', async () => {
    const gets: Record<string, unknown> = {
      '/api/supervision': { items: notices },
      '/api/supervision/proposals': {
        asOf: '2018-07-01',
        items: [
          {
            noticeId: NOTICE_ID,
            currentStep: 'urging',
            proposedStep: 'yellow_card',
            reasons: [
              { code: 'overdue', count: 30, text: '已逾期 30 天' },
              { code: 'missed_reports', count: 2, text: '连续 2 期未报送' },
            ],
            version: 4,
          },
        ],
      },
    };
    const { fetchMock } = renderWithApp(<SupervisionPage />, { path: '/supervision', url: '/supervision', role: 'admin', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'POST') return json({ ...notices[0], escalationStep: 'yellow_card', version: 5 });
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });
    // Each reason in the catalogue's words, from its code.
    expect(await screen.findByText('已超过办理时限 30 天', undefined, T)).toBeTruthy();
    expect(screen.getByText('连续 2 期未报送进度')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '确认将“道路改造滞后”升级为黄牌' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST');
    expect(post?.[0]).toBe(`/api/supervision/${NOTICE_ID}/escalations`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      version: 4,
      step: 'yellow_card',
      note: '已超过办理时限 30 天；连续 2 期未报送进度',
    });
  });
});
