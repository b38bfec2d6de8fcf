import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json } from '../../../testing/reporting.fixtures.ts';
import { NOTICE_ID, notice, ORG_ID, OTHER_ORG_ID, TASK_ID } from '../supervision.fixtures.ts';
import { NoticePage } from './notice-page.tsx';

const T = { timeout: 10_000 };
const isPost = (init?: RequestInit) => init?.method === 'POST';

// Addressed to 淇县 only: the test session's organisation (the office, here) is not a receiver.
const answered = notice({
  rows: [{ taskId: TASK_ID, taskText: '实施城市道路改造提升工程。', orgId: OTHER_ORG_ID, orgName: '淇县政府' }],
  status: 'answered',
  escalationStep: 'reminder',
  version: 3,
  responses: [
    {
      id: '00000000-0000-4000-8000-0000000000r1',
      orgId: ORG_ID,
      orgName: '淇县政府',
      text: '已完成道路改造 10 公里。',
      evidenceIds: ['00000000-0000-4000-8000-0000000000f1'],
      evidence: [
        {
          id: '00000000-0000-4000-8000-0000000000f1',
          noticeId: NOTICE_ID,
          orgId: ORG_ID,
          filename: '现场照片.png',
          contentType: 'image/png',
          sizeBytes: 68,
          sha256: 'x',
          createdBy: null,
          createdAt: '2018-06-02T02:00:00Z',
        },
      ],
      answeredBy: null,
      at: '2018-06-02T02:00:00Z',
    },
  ],
  escalations: [{ step: 'reminder', note: '请加快进度', actorId: null, at: '2018-06-03T02:00:00Z' }],
  actions: [
    { action: 'close', note: '整改到位', actorId: null, at: '2018-06-04T02:00:00Z' },
    { action: 'reopen', note: '复查未通过', actorId: null, at: '2018-06-05T02:00:00Z' },
  ],
});

const ledger = { asOf: '2018-06-10', rows: [{ taskId: TASK_ID, seq: 7 }] };

describe('NoticePage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('a receiving unit must say what was done before the answer is sent', async () => {
    const gets: Record<string, unknown> = { [`/api/supervision/${NOTICE_ID}`]: notice({ version: 2 }), '/api/ledger': ledger };
    const { fetchMock } = renderWithApp(<NoticePage />, {
      path: '/supervision/:noticeId',
      url: `/supervision/${NOTICE_ID}`,
      role: 'unit',
      api: gets,
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (isPost(init)) return json({ ...notice({ version: 3, status: 'answered' }) });
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });
    const submit = await screen.findByRole('button', { name: /提交回复/ }, T);
    // Issued only: the timeline says nothing happened yet; the task carries its number from the ledger.
    expect(screen.getByText('尚无回复或升级记录')).toBeTruthy();
    expect((await screen.findAllByText(/第 7 项/, undefined, T)).length).toBe(2);
    // No admin controls for a unit.
    expect(screen.queryByRole('button', { name: /办\s?结/ })).toBeNull();

    fireEvent.click(submit);
    expect(await screen.findByText('请填写办理情况', undefined, T)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('办理情况'), { target: { value: '   ' } });
    fireEvent.click(submit);
    expect(fetchMock.mock.calls.some(([, i]) => isPost(i as RequestInit))).toBe(false);

    fireEvent.change(screen.getByLabelText('办理情况'), { target: { value: '  已整改完毕  ' } });
    fireEvent.click(submit);
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => isPost(i as RequestInit))).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => isPost(i as RequestInit));
    expect(post?.[0]).toBe(`/api/supervision/${NOTICE_ID}/answer`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ version: 2, text: '已整改完毕', evidenceIds: [] });
  });

  it('shows answers with evidence and escalation steps in one timeline; the office is offered only the next rung', async () => {
    const gets: Record<string, unknown> = { [`/api/supervision/${NOTICE_ID}`]: answered, '/api/ledger': ledger };
    const { fetchMock } = renderWithApp(<NoticePage />, {
      path: '/supervision/:noticeId',
      url: `/supervision/${NOTICE_ID}`,
      role: 'admin',
      api: gets,
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (isPost(init))
        return json({ status: 409, code: 'version_conflict', title: 'Conflict', current: { ...answered, version: 4 } }, 409);
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });
    expect(await screen.findByText('已完成道路改造 10 公里。', undefined, T)).toBeTruthy();
    expect(screen.getByText('升级为提醒')).toBeTruthy();
    expect(screen.getByText('请加快进度')).toBeTruthy();
    const file = screen.getByRole('link', { name: '下载 现场照片.png' });
    expect(file.getAttribute('href')).toBe('/api/supervision/evidence/00000000-0000-4000-8000-0000000000f1');
    // The answer (June 2) comes before the escalation (June 3).
    const items = [...document.querySelectorAll('.notice-timeline .ant-timeline-item')].map((el) => el.textContent ?? '');
    expect(items.findIndex((s) => s.includes('淇县政府 回复'))).toBeLessThan(items.findIndex((s) => s.includes('升级为提醒')));
    // The office's close and re-open follow, each with its note.
    expect(items.slice(-2)).toEqual([expect.stringContaining('整改到位'), expect.stringContaining('复查未通过')]);
    expect(items.at(-1)).toContain('重新办理');

    // The receiving-unit form is not the office's; the next rung after 提醒 is 催办, and only it.
    expect(screen.queryByRole('button', { name: /提交回复/ })).toBeNull();
    const escalate = screen.getByRole('button', { name: '升级为催办' });
    expect(screen.queryByRole('button', { name: /升级为黄牌/ })).toBeNull();
    fireEvent.change(screen.getByLabelText('升级为催办'), { target: { value: '仍未整改' } });
    fireEvent.click(escalate);
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => isPost(i as RequestInit))).toBe(true), T);
    const post = fetchMock.mock.calls.find(([, i]) => isPost(i as RequestInit));
    expect(post?.[0]).toBe(`/api/supervision/${NOTICE_ID}/escalations`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ version: 3, step: 'urging', note: '仍未整改' });
    // A 409: the user is told, and the notice is fetched again.
    expect(await screen.findByText(/刚被他人修改/, undefined, T)).toBeTruthy();
  });

  it('shows why the server refused an evidence file (its problem+json), and sends only the accepted ones', async () => {
    const gets: Record<string, unknown> = { [`/api/supervision/${NOTICE_ID}`]: notice({ version: 2 }), '/api/ledger': ledger };
    const { fetchMock } = renderWithApp(<NoticePage />, {
      path: '/supervision/:noticeId',
      url: `/supervision/${NOTICE_ID}`,
      role: 'unit',
      api: gets,
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (path.endsWith('/evidence') && isPost(init)) {
        const file = (init?.body as FormData | undefined)?.get('file') as File;
        if (file.name.endsWith('.exe'))
          return json(
            { status: 415, code: 'unsupported_media_type', title: 'Unsupported Media Type', detail: '佐证材料须为照片、PDF 或办公文件' },
            415,
          );
        return json({ ...answered.responses[0].evidence[0], filename: file.name }, 201);
      }
      if (isPost(init)) return json(notice({ version: 3, status: 'answered' }));
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });
    await screen.findByRole('button', { name: /提交回复/ }, T);
    // The picker re-keys its <input> after each upload: look it up each time.
    const input = () => document.querySelector('.notice-upload input[type=file]') as HTMLInputElement;
    fireEvent.change(input(), { target: { files: [new File(['MZ'], 'tool.exe', { type: 'application/octet-stream' })] } });
    expect(
      await screen.findByText('tool.exe：文件类型不符，只接受照片（jpg/png/webp）、PDF 或 Word/Excel 文件', undefined, T),
    ).toBeTruthy();
    fireEvent.change(input(), { target: { files: [new File(['png'], '现场照片.png', { type: 'image/png' })] } });
    await waitFor(() => expect(document.querySelector('.ant-upload-list-item-done')).toBeTruthy(), T);

    fireEvent.change(screen.getByLabelText('办理情况'), { target: { value: '已整改' } });
    fireEvent.click(screen.getByRole('button', { name: /提交回复/ }));
    await waitFor(
      () =>
        expect(fetchMock.mock.calls.some(([url, i]) => url === `/api/supervision/${NOTICE_ID}/answer` && isPost(i as RequestInit))).toBe(
          true,
        ),
      T,
    );
    const post = fetchMock.mock.calls.find(([url]) => url === `/api/supervision/${NOTICE_ID}/answer`);
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      version: 2,
      text: '已整改',
      evidenceIds: ['00000000-0000-4000-8000-0000000000f1'],
    });
  });
});
