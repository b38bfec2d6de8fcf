import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../lib/api-client.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { ProjectFilesCard, ReportPhotos } from './project-files.tsx';

const T = { timeout: 10_000 };
const PROJECT_ID = '00000000-0000-4000-8000-0000000000p1';
const REPORT_ID = '00000000-0000-4000-8000-0000000000r1';
const file = (over: Record<string, unknown> = {}) => ({
  id: '00000000-0000-4000-8000-0000000000f1',
  projectId: PROJECT_ID,
  reportId: null,
  kind: 'document',
  filename: '立项批复.pdf',
  contentType: 'application/pdf',
  sizeBytes: 20480,
  sha256: 'ab',
  createdBy: null,
  createdAt: '2026-06-12T02:00:00Z',
  canDelete: true,
  ...over,
});
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

describe('project files on the project page', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('lists the documents with download links (photos stay with their report), uploads one, deletes one', async () => {
    setCsrfToken('csrf-token');
    let items = [file(), file({ id: '00000000-0000-4000-8000-0000000000f2', reportId: REPORT_ID, kind: 'photo', filename: '现场.png' })];
    const { fetchMock } = renderWithApp(<ProjectFilesCard projectId={PROJECT_ID} canUpload />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: { [`/api/projects/${PROJECT_ID}/files`]: () => ({ items }) },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (input === `/api/projects/${PROJECT_ID}/files` && method === 'GET') return json({ items });
      if (input === `/api/projects/${PROJECT_ID}/files` && method === 'POST') {
        const saved = file({ id: '00000000-0000-4000-8000-0000000000f3', filename: '施工合同.pdf' });
        items = [...items, saved];
        return json(saved, 201);
      }
      if (input === '/api/project-files/00000000-0000-4000-8000-0000000000f1' && method === 'DELETE') {
        items = items.filter((f) => f.id !== '00000000-0000-4000-8000-0000000000f1');
        return json({ ok: true });
      }
      return json({ status: 404, code: 'not_found', title: 'not found' }, 404);
    });
    const link = await screen.findByRole('link', { name: '下载 立项批复.pdf' }, T);
    expect(link.getAttribute('href')).toBe('/api/project-files/00000000-0000-4000-8000-0000000000f1');
    expect(screen.queryByText('现场.png')).toBeNull();

    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File([new Uint8Array([0x25, 0x50])], '施工合同.pdf', { type: 'application/pdf' })] } });
    await screen.findByRole('link', { name: '下载 施工合同.pdf' }, T);
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(post?.[1]?.body).toBeInstanceOf(FormData);

    fireEvent.click(screen.getByRole('button', { name: '删除 立项批复.pdf' }));
    fireEvent.click(await screen.findByRole('button', { name: /^删\s*除$/ }, T));
    await waitFor(() => expect(screen.queryByRole('link', { name: '下载 立项批复.pdf' })).toBeNull(), T);
  });

  it('shows a report’s photos, without a delete button where the caller may not delete', async () => {
    renderWithApp(<ReportPhotos projectId={PROJECT_ID} reportId={REPORT_ID} canUpload={false} />, {
      path: '/',
      url: '/',
      role: 'leader',
      api: {
        [`/api/projects/${PROJECT_ID}/files`]: {
          items: [
            file(),
            file({
              id: '00000000-0000-4000-8000-0000000000f2',
              reportId: REPORT_ID,
              kind: 'photo',
              filename: '现场.png',
              canDelete: false,
            }),
          ],
        },
      },
    });
    await screen.findByRole('link', { name: '下载 现场.png' }, T);
    expect(screen.queryByText('立项批复.pdf')).toBeNull();
    expect(screen.queryByRole('button', { name: '删除 现场.png' })).toBeNull();
    expect(screen.queryByText('上传现场照片')).toBeNull();
  });
});
