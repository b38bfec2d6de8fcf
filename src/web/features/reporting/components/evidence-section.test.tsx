import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../lib/api-client.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, period, REPORT_ID, report, row } from '../../../testing/reporting.fixtures.ts';
import { ReportForm } from './report-form.tsx';

const T = { timeout: 10_000 };
const FILE_ID = '00000000-0000-4000-8000-0000000000e1';
const evidence = (overrides: Record<string, unknown> = {}) => ({
  id: FILE_ID,
  reportId: REPORT_ID,
  orgId: '00000000-0000-4000-8000-0000000000o1',
  filename: '现场照片.png',
  contentType: 'image/png',
  sizeBytes: 20480,
  sha256: 'ab',
  createdBy: null,
  createdAt: '2018-06-12T02:00:00Z',
  ...overrides,
});
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], '新照片.png', { type: 'image/png' });
const pick = (file: File) => {
  const input = document.querySelector('.reporting-evidence input[type="file"]') as HTMLInputElement;
  expect(input).toBeTruthy();
  fireEvent.change(input, { target: { files: [file] } });
};

describe('evidence in the report form', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('lists the files with download links, removes one, attaches another; refusals are said in Chinese', async () => {
    setCsrfToken('csrf-token');
    let files = [evidence()];
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(report())} autosaveMs={60_000} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: { [`/api/reports/${REPORT_ID}/evidence`]: { items: files } },
    });
    let refuse = false;
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (input === `/api/reports/${REPORT_ID}/evidence` && method === 'GET') return json({ items: files });
      if (input === `/api/evidence/${FILE_ID}` && method === 'DELETE') {
        files = [];
        return json({ ok: true });
      }
      if (input === `/api/reports/${REPORT_ID}/evidence` && method === 'POST') {
        if (refuse)
          return json(
            {
              status: 415,
              code: 'evidence_type_not_allowed',
              title: 'Unsupported Media Type',
              detail: 'evidence must be a photo (jpg, png, webp), a PDF or an office file (docx, xlsx, doc, xls)',
            },
            415,
          );
        const added = evidence({ id: '00000000-0000-4000-8000-0000000000e2', filename: '新照片.png' });
        files = [...files, added];
        return json(added, 201);
      }
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });

    const link = (await screen.findByRole('link', { name: '下载证明材料：现场照片.png' }, T)) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe(`/api/evidence/${FILE_ID}`);
    expect(screen.getByText(/20 KB/)).toBeTruthy();

    // Remove (with a confirmation).
    fireEvent.click(screen.getByRole('button', { name: '删除证明材料：现场照片.png' }));
    const confirm = await screen.findByRole('button', { name: /^删\s?除$/ }, T);
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.queryByRole('link', { name: '下载证明材料：现场照片.png' })).toBeNull(), T);
    expect(fetchMock.mock.calls.some(([u, i]) => u === `/api/evidence/${FILE_ID}` && i?.method === 'DELETE')).toBe(true);

    // Attach: multipart with the CSRF token.
    pick(png());
    expect(await screen.findByRole('link', { name: '下载证明材料：新照片.png' }, T)).toBeTruthy();
    const post = fetchMock.mock.calls.find(([u, i]) => u === `/api/reports/${REPORT_ID}/evidence` && i?.method === 'POST');
    const init = post?.[1] as RequestInit;
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-token');
    expect(((init.body as FormData).get('file') as File).name).toBe('新照片.png');

    refuse = true;
    pick(png());
    expect(await screen.findByText(/文件类型不支持：请上传照片/, undefined, T)).toBeTruthy();
  });

  it('a new report is saved as a draft before its first file', async () => {
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(null)} autosaveMs={60_000} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      if (init?.method === 'PUT') return json(report({ ...JSON.parse(String(init.body)), version: 1 }));
      if (input === `/api/reports/${REPORT_ID}/evidence` && init?.method === 'POST') return json(evidence(), 201);
      if (input === `/api/reports/${REPORT_ID}/evidence`) return json({ items: [evidence()] });
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });
    await screen.findByText('点击或拖入文件上传证明材料', undefined, T);
    pick(png());
    expect(await screen.findByRole('link', { name: '下载证明材料：现场照片.png' }, T)).toBeTruthy();
    const methods = fetchMock.mock.calls.map(([u, i]) => `${i?.method ?? 'GET'} ${u}`);
    const put = methods.findIndex((m) => m.startsWith('PUT '));
    const post = methods.indexOf(`POST /api/reports/${REPORT_ID}/evidence`);
    expect(put).toBeGreaterThanOrEqual(0);
    expect(post).toBeGreaterThan(put);
  });

  it('a submitted report shows its files without remove or upload', async () => {
    renderWithApp(<ReportForm period={period} row={row(report({ status: 'submitted' }))} autosaveMs={60_000} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: { [`/api/reports/${REPORT_ID}/evidence`]: { items: [evidence()] } },
    });
    expect(await screen.findByRole('link', { name: '下载证明材料：现场照片.png' }, T)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '删除证明材料：现场照片.png' })).toBeNull();
    expect(document.querySelector('.reporting-evidence input[type="file"]')).toBeNull();
  });
});
