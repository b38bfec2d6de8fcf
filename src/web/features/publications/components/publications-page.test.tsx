import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/reporting.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { PublicationsPage } from './publications-page.tsx';

const T = { timeout: 10_000 };
const PERIOD = '00000000-0000-4000-8000-00000000aa01';
const PUB = '00000000-0000-4000-8000-00000000bb01';
const live = {
  id: PUB,
  kind: 'period',
  sourceId: '00000000-0000-4000-8000-00000000aa00',
  title: '城市更新行动方案 · 2018年5月',
  scopeId: null,
  asOf: '2018-05-31',
  publishedAt: '2018-06-18T02:00:00.000Z',
  withdrawnAt: null,
  withdrawnReason: null,
  etag: 'e1',
  publishedBy: '百城办管理员',
  withdrawnBy: null,
};

describe('PublicationsPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists what can be published, and withdraws a publication only with a reason', async () => {
    const gets: Record<string, unknown> = {
      '/api/publications/sources': {
        items: [{ kind: 'period', sourceId: PERIOD, title: '城市更新行动方案 · 2018年6月', asOf: '2018-06-30', publicationId: null }],
      },
      '/api/publications': { items: [live] },
    };
    const { fetchMock } = renderWithApp(<PublicationsPage />, { path: '/publications', url: '/publications', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'POST' && path === `/api/publications/${PUB}/withdraw`) {
        return json({ ...live, withdrawnAt: '2018-06-19T00:00:00.000Z', withdrawnReason: JSON.parse(String(init.body)).reason });
      }
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    expect(await screen.findByText('城市更新行动方案 · 2018年6月', undefined, T)).toBeTruthy();
    expect(screen.getByText('未公布')).toBeTruthy();
    expect(screen.getByRole('button', { name: '预览' })).toBeTruthy();
    expect(await screen.findByText('城市更新行动方案 · 2018年5月', undefined, T)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '撤回' }));
    const dialog = await screen.findByRole('dialog', undefined, T);
    const ok = [...dialog.querySelectorAll('button')].find((b) => b.textContent?.replace(/\s/g, '') === '撤回') as HTMLButtonElement;
    fireEvent.click(ok);
    expect(await screen.findByText('请填写撤回原因', undefined, T)).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByLabelText('撤回原因'), { target: { value: '数据口径有误' } });
    fireEvent.click(ok);
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => (i as RequestInit | undefined)?.method === 'POST')).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST');
    expect(post?.[0]).toBe(`/api/publications/${PUB}/withdraw`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ reason: '数据口径有误' });
  });

  it('offers a final assessment and an issued bulletin, and previews the ranking as the public will see it', async () => {
    const ASSESSMENT = '00000000-0000-4000-8000-00000000cc01';
    const gets: Record<string, unknown> = {
      '/api/publications/sources': {
        items: [
          { kind: 'assessment', sourceId: ASSESSMENT, title: '2026年10月考核', asOf: '2026-10-31', publicationId: null },
          {
            kind: 'bulletin',
            sourceId: '00000000-0000-4000-8000-00000000cc02',
            title: '〔2026〕1号 考核通报',
            asOf: '2026-11-02',
            publicationId: null,
          },
        ],
      },
      '/api/publications': { items: [] },
    };
    const preview = {
      title: '2026年10月考核',
      asOf: '2026-10-31',
      summary: null,
      districts: [],
      sections: [],
      payload: {
        assessment: { id: ASSESSMENT, title: '2026年10月考核', start: '2026-10-01', end: '2026-10-31', finalisedAt: null },
        groups: [
          { id: 'counties', label: '县区', rows: [{ orgId: PERIOD, name: '淇县', rank: 1, total: 95, tierLabel: '优秀', roll: 'red' }] },
        ],
      },
    };
    const { fetchMock } = renderWithApp(<PublicationsPage />, { path: '/publications', url: '/publications', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'POST' && path === '/api/publications/preview') return json(preview);
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    expect(await screen.findByText('2026年10月考核', undefined, T)).toBeTruthy();
    expect(screen.getByText('考核排名')).toBeTruthy();
    expect(screen.getByText('考核通报')).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: '预览' })[0]!);
    const dialog = await screen.findByRole('dialog', undefined, T);
    await waitFor(() => expect(dialog.textContent).toContain('淇县'), T);
    expect(dialog.textContent).toContain('红榜');
    expect(dialog.textContent).toContain('县区');
  });
});
