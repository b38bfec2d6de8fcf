import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../../../shared/schemas/supervision.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { NOTIFICATION_POLL_MS } from '../api/notifications.api.ts';
import { NotificationBell } from './notification-bell.tsx';
import { NotificationsPage } from './notifications-page.tsx';

const T = { timeout: 10_000 };
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const note = (id: string, overrides: Partial<Notification> = {}): Notification => ({
  id: `00000000-0000-4000-8000-0000000000${id}`,
  kind: 'report_returned',
  title: `消息 ${id}`,
  body: '',
  link: null,
  readAt: null,
  createdAt: '2018-06-20T02:00:00Z',
  ...overrides,
});

describe('notifications', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('the bell shows the unread count and links to /notifications', async () => {
    renderWithApp(<NotificationBell />, {
      path: '/',
      url: '/',
      api: { '/api/notifications': { items: [note('n1'), note('n2')], unread: 2 } },
    });
    const bell = await screen.findByRole('link', { name: '消息，2 条未读' }, T);
    expect(bell.getAttribute('href')).toBe('/notifications');
    expect(bell.textContent).toContain('2');
    expect(NOTIFICATION_POLL_MS).toBe(60_000);
  });

  it('with nothing unread the bell says 消息 and shows no count', async () => {
    renderWithApp(<NotificationBell />, { path: '/', url: '/', api: { '/api/notifications': { items: [], unread: 0 } } });
    const bell = await screen.findByRole('link', { name: '消息' }, T);
    await waitFor(() => expect(document.querySelector('.ant-badge-count')).toBeNull(), T);
    expect(bell).toBeTruthy();
  });

  it('lists newest first; opening one marks it read and goes to its link', async () => {
    const older = note('n1', {
      title: '督办通知',
      body: '请于 6 月 30 日前反馈',
      createdAt: '2018-06-18T02:00:00Z',
      link: '/supervision/abc',
    });
    const newer = note('n2', {
      title: '报告已退回',
      body: '退回意见：请补充数据来源',
      createdAt: '2018-06-20T03:00:00Z',
      link: '/reports?planId=p&periodId=q',
    });
    const read = note('n3', { title: '报告已通过', createdAt: '2018-06-19T02:00:00Z', readAt: '2018-06-19T03:00:00Z' });
    let list = { items: [older, read, newer], unread: 2 };
    const { fetchMock, router } = renderWithApp(<NotificationsPage />, {
      path: '/notifications',
      url: '/notifications',
      api: { '/api/notifications': list },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      if (input === '/api/notifications') return json(list);
      if (input === `/api/notifications/${newer.id}/read` && init?.method === 'POST') {
        const marked = { ...newer, readAt: '2018-06-20T04:00:00Z' };
        list = { items: [older, read, marked], unread: 1 };
        return json(marked);
      }
      if (input === '/api/notifications/read-all' && init?.method === 'POST') {
        list = { items: list.items.map((n) => ({ ...n, readAt: n.readAt ?? '2018-06-20T05:00:00Z' })), unread: 0 };
        return json({ marked: 1 });
      }
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });

    expect(await screen.findByText('未读 2 条', undefined, T)).toBeTruthy();
    const titles = [...document.querySelectorAll('.notifications-item-title')].map((e) => e.textContent);
    expect(titles).toEqual(['报告已退回', '报告已通过', '督办通知']);
    expect(document.querySelectorAll('.notifications-dot')).toHaveLength(2);
    expect(screen.getByText('退回意见：请补充数据来源')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /报告已退回/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/reports'), T);
    expect(router.state.location.search).toBe('?planId=p&periodId=q');
    expect(fetchMock.mock.calls.some(([u, i]) => u === `/api/notifications/${newer.id}/read` && i?.method === 'POST')).toBe(true);
  });

  it('全部标为已读 marks everything and clears the dots', async () => {
    let list = { items: [note('n1'), note('n2', { createdAt: '2018-06-21T00:00:00Z' })], unread: 2 };
    const { fetchMock } = renderWithApp(<NotificationsPage />, {
      path: '/notifications',
      url: '/notifications',
      api: { '/api/notifications': list },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      if (input === '/api/notifications') return json(list);
      if (input === '/api/notifications/read-all' && init?.method === 'POST') {
        list = { items: list.items.map((n) => ({ ...n, readAt: '2018-06-21T05:00:00Z' })), unread: 0 };
        return json({ marked: 2 });
      }
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });
    const button = await screen.findByRole('button', { name: /全部标为已读/ }, T);
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false), T);
    fireEvent.click(button);
    expect(await screen.findByText('未读 0 条', undefined, T)).toBeTruthy();
    expect(document.querySelectorAll('.notifications-dot')).toHaveLength(0);
    expect(await screen.findByText('已将 2 条标为已读', undefined, T)).toBeTruthy();
  });
});
